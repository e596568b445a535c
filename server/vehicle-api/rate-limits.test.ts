import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../config';
import { getDb } from '../db';
import { CLIENT_IP_HEADER } from '../http/client-ip';
import { makeVehicles } from '../testing/factories';
import { callVehicleApi, postJson } from '../testing/vehicle-client';

const poll = (vin: string, ip?: string) =>
  callVehicleApi('/api/ota/v1/C_36', { body: JSON.stringify({ signed: { vin, primaryId: '0' } }), headers: ip ? { [CLIENT_IP_HEADER]: ip } : {} });

describe('vehicle API rate limits (per instance)', () => {
  let vins: string[];
  beforeAll(async () => {
    vins = await makeVehicles(await getDb(), 3, {}, null);
  });
  afterEach(() => {
    delete process.env.VEHICLE_RATE_LIMIT_PER_MINUTE;
    delete process.env.VEHICLE_IP_RATE_LIMIT_PER_MINUTE;
    resetConfig();
  });

  it('answers a VIN over VEHICLE_RATE_LIMIT_PER_MINUTE with 429 and Retry-After, and leaves other VINs alone', async () => {
    process.env.VEHICLE_RATE_LIMIT_PER_MINUTE = '3';
    resetConfig();
    const [busy, quiet] = vins as [string, string];
    for (let i = 0; i < 3; i++) expect((await poll(busy)).status).toBe(200);
    const refused = await poll(busy);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect((await refused.json()).error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining(`vehicle ${busy}`) });
    // Every endpoint that names the VIN counts toward it.
    expect((await postJson('/api/ota/v1/C_03', { signed: { vin: busy, primaryId: '0' } })).status).toBe(429);
    expect((await poll(quiet)).status).toBe(200);
  });

  it('answers a client address over VEHICLE_IP_RATE_LIMIT_PER_MINUTE with 429, whatever VIN it names', async () => {
    process.env.VEHICLE_IP_RATE_LIMIT_PER_MINUTE = '2';
    resetConfig();
    expect((await poll(vins[0]!, '192.0.2.7')).status).toBe(200);
    expect((await poll(vins[1]!, '192.0.2.7')).status).toBe(200);
    const refused = await poll(vins[2]!, '192.0.2.7');
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe('RATE_LIMITED');
    expect((await poll(vins[2]!, '192.0.2.8')).status).toBe(200);
  });

  it('limits nothing with 0', async () => {
    process.env.VEHICLE_RATE_LIMIT_PER_MINUTE = '0';
    resetConfig();
    for (let i = 0; i < 20; i++) expect((await poll(vins[2]!)).status).toBe(200);
  });
});
