import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { campaigns } from '@/db/schema';
import { getDb } from '../db';
import { rolloutCounts } from '../rollout/engine';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';
import { createCampaignVehiclesCsvHandler } from './vehicles-csv-endpoint';

/**
 * A mixed run of a campaign in two waves over twelve vehicles: some complete, some fail (two
 * codes), some are not offered (wrong ECU version), one went silent half way, one was
 * cancelled, the rest wait. Every number the campaign page shows is then counted again here,
 * straight from the tables.
 */
describe('every count on the campaign page matches the database', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let campaignId: number;
  let silent: string;
  const sqlRows = async <T,>(query: ReturnType<typeof sql>) => queryRows<T>(await getDb(), query);

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    const fitting = await makeVehicles(db, 10);
    const outdated = await makeVehicles(db, 2, {}, { ecus: { '1': '0.9.0' }, availableMb: 2048 });
    const { campaign } = await makeDeployedCampaign(db, [...fitting, ...outdated], {
      rollout: { waves: [{ size: 6, unit: 'count' }, { size: 100, unit: 'percent' }], successThreshold: 60, errorThreshold: 100, autoAdvance: true },
      preconditions: { ecus: [{ ecuId: '1', versions: ['1.0.0'] }], minFreeStorageMb: 0 },
      stallAfterMinutes: 30,
    });
    campaignId = campaign.id;
    const members = await sqlRows<{ vin: string; wave: number; blocked: boolean }>(
      sql`select vin, wave, blocked_reason is not null as blocked from campaign_vehicles where campaign_id = ${campaignId} order by vin`,
    );
    const runnable = (wave: number) => members.filter((m) => m.wave === wave && !outdated.includes(m.vin)).map((m) => m.vin);
    const run = (vin: string, fail?: { at: 'download' | 'activation'; code: number }) => runVehicleUpdate({ baseUrl: server.url, vin, progressReports: 1, fail });

    // Wave 1: one fails at activation, the rest complete (the next wave opens on its own).
    const [first, ...rest] = runnable(0);
    await run(first!, { at: 'activation', code: 1112 });
    for (const vin of rest) await run(vin);
    // Wave 2: one fails at download, one completes, one uploads its configuration and goes silent, one is cancelled.
    const second = runnable(1);
    expect(second.length).toBeGreaterThanOrEqual(4);
    await run(second[0]!, { at: 'download', code: 2001 });
    await run(second[1]!);
    silent = second[2]!;
    const upload = await postJson('/api/ota/v1/config', {
      signed: { vin: silent, primaryId: '0', ecuVersionManifests: [{ ecuId: '1', softwareVersion: '1.0.0' }], augmentedManifest: { packageStorage: { used: 10, available: 2048 } } },
    });
    expect(upload.status).toBe(200);
    await db.execute(sql`update campaign_vehicles set last_event_at = now() - interval '45 minutes' where campaign_id = ${campaignId} and vin = ${silent}`);
    await (await callerAs('operator')).campaigns.cancelVehicle({ id: campaignId, vin: second[3]! });
  }, 120_000);
  afterAll(() => server?.close());

  it('has the mix it was meant to have', async () => {
    const phases = await sqlRows<{ phase: string }>(sql`select phase from campaign_vehicles where campaign_id = ${campaignId}`);
    const seen = new Set(phases.map((p) => p.phase));
    for (const phase of ['completed', 'failed', 'config_uploaded', 'cancelled']) expect(seen).toContain(phase);
  });

  it('funnel: vehicles per phase, total, blocked and stalled', async () => {
    const campaign = await (await callerAs('support')).campaigns.get({ id: campaignId });
    const byPhase = await sqlRows<{ phase: string; n: number }>(sql`select phase, count(*)::int as n from campaign_vehicles where campaign_id = ${campaignId} group by phase`);
    for (const [phase, n] of Object.entries(campaign.counts)) {
      if (phase === 'total') continue;
      expect(n, phase).toBe(byPhase.find((r) => r.phase === phase)?.n ?? 0);
    }
    const [total] = await sqlRows<{ n: number }>(sql`select count(*)::int as n from campaign_vehicles where campaign_id = ${campaignId}`);
    expect(campaign.counts.total).toBe(total!.n);
    expect(campaign.counts.total).toBe(12);

    const [blocked] = await sqlRows<{ n: number }>(
      sql`select count(*)::int as n from campaign_vehicles where campaign_id = ${campaignId} and blocked_reason is not null and phase not in ('completed', 'failed', 'declined', 'cancelled')`,
    );
    const [stalled] = await sqlRows<{ n: number }>(
      sql`select count(*)::int as n from campaign_vehicles cv join campaigns c on c.id = cv.campaign_id
          where cv.campaign_id = ${campaignId} and c.status in ('Deployed', 'Suspended')
            and cv.phase in ('command_delivered', 'config_uploaded', 'consented', 'downloading', 'downloaded', 'installing', 'activating')
            and coalesce(cv.last_event_at, cv.updated_at) < now() - c.stall_after_minutes * interval '1 minute'`,
    );
    expect(campaign.attention).toEqual({ blocked: blocked!.n, stalled: stalled!.n });
    expect(campaign.attention).toEqual({ blocked: 2, stalled: 1 });
  });

  it('failures by code', async () => {
    const failures = await (await callerAs('support')).campaigns.failures({ id: campaignId });
    const rows = await sqlRows<{ code: string | null; phase: string; n: number }>(
      sql`select last_error_code as code, phase, count(*)::int as n from campaign_vehicles
          where campaign_id = ${campaignId} and phase in ('failed', 'declined') group by last_error_code, phase`,
    );
    expect(failures.map((f) => ({ code: f.code, phase: f.phase, n: f.count })).sort((a, b) => String(a.code).localeCompare(String(b.code)))).toEqual(
      rows.sort((a, b) => String(a.code).localeCompare(String(b.code))),
    );
    expect(failures.reduce((sum, f) => sum + f.count, 0)).toBe(2);
  });

  it('waves: size, completed, failed, in progress, blocked, stalled of each, and the current wave as the engine reads it', async () => {
    const progress = await (await callerAs('support')).campaigns.waves({ id: campaignId });
    const rows = await sqlRows<Record<string, number>>(
      sql`select cv.wave,
            count(*)::int as vehicles,
            count(*) filter (where cv.phase = 'completed')::int as completed,
            count(*) filter (where cv.phase = 'failed')::int as failed,
            count(*) filter (where cv.phase = 'declined')::int as declined,
            count(*) filter (where cv.phase = 'cancelled')::int as cancelled,
            count(*) filter (where cv.blocked_reason is not null and cv.phase not in ('completed', 'failed', 'declined', 'cancelled'))::int as blocked,
            count(*) filter (where cv.blocked_reason is null and cv.phase = 'queued')::int as "notStarted",
            count(*) filter (where cv.blocked_reason is null and cv.phase not in ('queued', 'completed', 'failed', 'declined', 'cancelled'))::int as "inProgress",
            count(*) filter (where cv.phase not in ('queued', 'completed', 'failed', 'declined', 'cancelled')
              and coalesce(cv.last_event_at, cv.updated_at) < now() - c.stall_after_minutes * interval '1 minute')::int as stalled
          from campaign_vehicles cv join campaigns c on c.id = cv.campaign_id
          where cv.campaign_id = ${campaignId} group by cv.wave order by cv.wave`,
    );
    expect(progress.waveCount).toBe(2);
    expect(progress.currentWave).toBe(1);
    expect(progress.waves.map((w) => w.state)).toEqual(['released', 'current']);
    for (const row of rows) {
      const wave = progress.waves[row.wave!]!;
      for (const [key, value] of Object.entries(row)) expect(wave[key as keyof typeof wave], `wave ${row.wave} ${key}`).toBe(value);
      // Every vehicle of the wave is in exactly one of these.
      expect(wave.completed + wave.failed + wave.declined + wave.cancelled + wave.blocked + wave.notStarted + wave.inProgress).toBe(wave.vehicles);
    }
    expect(progress.waves.map((w) => w.vehicles)).toEqual([6, 6]);
    const db = await getDb();
    const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    const engine = await rolloutCounts(db, campaign!);
    expect(progress.current).toMatchObject({ eligible: engine.eligible, completed: engine.completed, failed: engine.failed });
  });

  it('vehicle table: each filter’s total matches, with wave, blocked reason and stalled flag per row, and the CSV agrees', async () => {
    const support = await callerAs('support');
    const count = async (where: ReturnType<typeof sql>) =>
      (await sqlRows<{ n: number }>(sql`select count(*)::int as n from campaign_vehicles cv join campaigns c on c.id = cv.campaign_id where cv.campaign_id = ${campaignId} and ${where}`))[0]!.n;
    const blocked = await support.campaigns.vehicles({ id: campaignId, filter: { blocked: true }, pageSize: 50 });
    expect(blocked.total).toBe(await count(sql`cv.blocked_reason is not null and cv.phase not in ('completed', 'failed', 'declined', 'cancelled')`));
    expect(blocked.rows.every((r) => r.blockedReason === 'ECU 1 runs 0.9.0, not 1.0.0')).toBe(true);
    const stalled = await support.campaigns.vehicles({ id: campaignId, filter: { stalled: true }, pageSize: 50 });
    expect(stalled.rows.map((r) => ({ vin: r.vin, stalled: r.stalled, phase: r.phase }))).toEqual([{ vin: silent, stalled: true, phase: 'config_uploaded' }]);
    for (const wave of [0, 1]) {
      const listed = await support.campaigns.vehicles({ id: campaignId, filter: { wave }, pageSize: 50 });
      expect(listed.total).toBe(await count(sql`cv.wave = ${wave}`));
      expect(listed.rows.every((r) => r.wave === wave)).toBe(true);
    }
    const all = await support.campaigns.vehicles({ id: campaignId, pageSize: 50 });
    expect(all.rows.filter((r) => r.stalled).map((r) => r.vin)).toEqual([silent]);

    const csv = createCampaignVehiclesCsvHandler(async () => ({ id: 1, email: 'support@test.example', name: '', role: 'support' }));
    const text = await (await csv(new Request(`http://ota.test/api/campaigns/${campaignId}/vehicles.csv?stalled=1`))).text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(-3)).toEqual(['wave', 'blocked_reason', 'stalled']);
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)])).toEqual([[silent, 'yes']]);
    const blockedCsv = await (await csv(new Request(`http://ota.test/api/campaigns/${campaignId}/vehicles.csv?blocked=1`))).text();
    expect(blockedCsv.trimEnd().split('\r\n')).toHaveLength(1 + blocked.total);
    const waveTwo = await (await csv(new Request(`http://ota.test/api/campaigns/${campaignId}/vehicles.csv?wave=2`))).text();
    const waveOf = (line: string) => /,(\d+),("[^"]*"|[^,]*),(yes|no)$/.exec(line)?.[1];
    expect(waveTwo.trimEnd().split('\r\n').slice(1).map(waveOf)).toEqual(Array(6).fill('2'));
  });
});
