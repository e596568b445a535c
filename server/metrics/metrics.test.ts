import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../config';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { callVehicleApi, postJson } from '../testing/vehicle-client';
import { getDb } from '../db';

type Sample = { name: string; labels: Record<string, string>; value: number };

/**
 * A strict reader of the Prometheus text format (0.0.4): every line is a HELP or TYPE comment
 * or a sample `name{label="value",…} number`; every sample belongs to a declared metric
 * (histograms' _bucket/_sum/_count, counters' _total). Throws on the first line that is not.
 */
function parsePrometheusText(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped'], `line ${i + 1}`).toContain(comment[3]);
        types.set(comment[2]!, comment[3]!);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (-?(?:[0-9.e+-]+|\+?Inf|NaN))$/i.exec(line);
    if (!sample) throw new Error(`line ${i + 1} is not Prometheus text: ${line}`);
    const name = sample[1]!;
    const family = [name, name.replace(/_(bucket|sum|count|total|created)$/, '')].find((n) => types.has(n));
    if (!family) throw new Error(`line ${i + 1}: ${name} has no TYPE`);
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    // Values are Go floats (Prometheus reads them with strconv.ParseFloat: NaN and Inf in any case; prom-client writes "Nan").
    const value = Number(sample[3]!.replace(/^([+-]?)inf$/i, '$1Infinity'));
    if (Number.isNaN(value) && sample[3]!.toLowerCase() !== 'nan') throw new Error(`line ${i + 1}: ${sample[3]} is not a number`);
    samples.push({ name, labels, value });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

afterEach(() => {
  delete process.env.METRICS_TOKEN;
  resetConfig();
});

describe('GET /metrics', () => {
  it('answers Prometheus text with the vehicle requests, events, campaigns, webhooks and database series', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin]);
    expect((await postJson('/api/ota/v1/action', { signed: { vin, primaryId: '0' } })).status).toBe(200);
    const event = { eventsUuid: randomUUID(), eventsType: 'rmState', status: 'success', currentTime: { time: String(Date.now() / 1000) }, rmState: 'IDLE' };
    const notified = await postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [event] } });
    expect(notified.status, await notified.clone().text()).toBe(200);
    expect((await postJson('/api/ota/v1/action', { signed: {} })).status).toBe(400);

    const res = await callVehicleApi('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const samples = parsePrometheusText(await res.text());

    expect(find(samples, 'ota_vehicle_request_duration_seconds_count', { endpoint: '/api/ota/v1/action', status: '200' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'ota_vehicle_request_duration_seconds_count', { endpoint: '/api/ota/v1/action', status: '400' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'ota_vehicle_request_duration_seconds_bucket', { endpoint: '/api/ota/v1/notification', status: '200', le: '+Inf' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'ota_events_ingested_total', { code: 'C_01' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'ota_campaigns', { status: 'Deployed' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'ota_campaigns', { status: 'Cancelled' })).toHaveLength(1);
    expect(find(samples, 'ota_campaign_vehicles', { campaign_id: String(campaign.id), phase: 'command_delivered' }).concat(find(samples, 'ota_campaign_vehicles', { campaign_id: String(campaign.id), phase: 'queued' })).reduce((n, s) => n + s.value, 0)).toBe(1);
    expect(find(samples, 'ota_webhook_delivery_attempts_total').map((s) => s.labels.outcome).sort()).toEqual(['delivered', 'failed', 'retry']);
    expect(find(samples, 'ota_webhook_deliveries', { status: 'pending' })).toHaveLength(1);
    expect(find(samples, 'ota_database_up')[0]?.value).toBe(1);
    expect(find(samples, 'ota_db_pool_size')[0]?.value).toBeGreaterThanOrEqual(1);
    if (process.env.DATABASE_URL) expect(find(samples, 'ota_db_connections').reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'ota_process_resident_memory_bytes')).toHaveLength(1);
  });

  it('keeps a request id the client sent', async () => {
    const res = await callVehicleApi('/api/health', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
    const odd = await callVehicleApi('/api/health', { headers: { 'x-request-id': 'not ok\u00e9' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('wants the bearer token when METRICS_TOKEN is set', async () => {
    process.env.METRICS_TOKEN = 'metrics-token-0123456789';
    resetConfig();
    const without = await callVehicleApi('/metrics');
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await callVehicleApi('/metrics', { headers: { authorization: 'Bearer wrong-token-000000000000' } })).status).toBe(401);
    const ok = await callVehicleApi('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ok.status).toBe(200);
    parsePrometheusText(await ok.text());
  });
});
