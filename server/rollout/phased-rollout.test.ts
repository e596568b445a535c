import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { campaigns, campaignVehicles, commands } from '@/db/schema';
import { createCampaign, transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { runVehicleUpdate, type SimulationResult } from '../simulator/vehicle-simulator';
import { makePackage, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { retryVehicles } from './engine';

/** Runs vehicles a few at a time, as a fleet would, in the given order. */
async function runFleet(baseUrl: string, vins: string[], failing: Set<string> = new Set(), concurrency = 4): Promise<SimulationResult[]> {
  const results: SimulationResult[] = [];
  for (let i = 0; i < vins.length; i += concurrency) {
    const batch = vins.slice(i, i + concurrency);
    results.push(
      ...(await Promise.all(
        batch.map((vin) => runVehicleUpdate({ baseUrl, vin, progressReports: 1, fail: failing.has(vin) ? { at: 'activation', code: 1112 } : undefined })),
      )),
    );
  }
  return results;
}

describe('a campaign to 200 vehicles in 4 waves', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let campaignId: number;
  let waves: string[][];

  const campaign = async () => (await (await getDb()).select().from(campaigns).where(eq(campaigns.id, campaignId)))[0]!;
  const phases = async () => {
    const rows = await queryRows<{ phase: string; n: number }>(await getDb(), sql`select phase, count(*)::int as n from campaign_vehicles where campaign_id = ${campaignId} group by phase`);
    return Object.fromEntries(rows.map((r) => [r.phase, r.n]));
  };

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    const vins = await makeVehicles(db, 200);
    const { vehiclePackage } = await makePackage(db, 4096);
    const created = await createCampaign(db, {
      name: 'Phased rollout',
      vehiclePackageId: vehiclePackage.id,
      vins,
      rollout: { waves: Array.from({ length: 4 }, () => ({ size: 25, unit: 'percent' as const })), successThreshold: 80, errorThreshold: 20, autoAdvance: true },
    });
    campaignId = created.id;
    await db.transaction((tx) => transitionCampaign(tx, campaignId, 'Deployed', 'test'));
    const members = await db.select({ vin: campaignVehicles.vin, wave: campaignVehicles.wave }).from(campaignVehicles).where(eq(campaignVehicles.campaignId, campaignId)).orderBy(asc(campaignVehicles.vin));
    waves = [0, 1, 2, 3].map((w) => members.filter((m) => m.wave === w).map((m) => m.vin));
  }, 120_000);
  afterAll(() => server?.close());

  it('puts 50 vehicles in each wave and queues StartCampaign for the first only', async () => {
    expect(waves.map((w) => w.length)).toEqual([50, 50, 50, 50]);
    const queued = await (await getDb()).select({ vin: commands.vin }).from(commands).where(eq(commands.campaignId, campaignId));
    expect(new Set(queued.map((q) => q.vin))).toEqual(new Set(waves[0]));
  });

  it('starts wave 2 on its own once wave 1 reaches the success threshold', async () => {
    const results = await runFleet(server.url, waves[0]!);
    expect(results.every((r) => r.outcome === 'completed')).toBe(true);
    expect((await campaign()).currentWave).toBe(1);
    const queued = await (await getDb()).select({ vin: commands.vin }).from(commands).where(and(eq(commands.campaignId, campaignId), eq(commands.status, 'pending')));
    expect(new Set(queued.map((q) => q.vin))).toEqual(new Set(waves[1]));
  }, 180_000);

  it('suspends itself when failures reach the error threshold, and says why', async () => {
    const failing = new Set(waves[1]!.slice(0, 10));
    // The failing vehicles report first; once 10 of 50 (20%) failed, the others find nothing to do.
    await runFleet(server.url, waves[1]!.slice(0, 10), failing, 1);
    const suspended = await campaign();
    expect(suspended.status).toBe('Suspended');
    expect(suspended.suspendReason).toMatch(/10 of 50 vehicles in wave 2 of 4 failed \(20%\), reaching the error threshold of 20%/);
    const blocked = await runFleet(server.url, waves[1]!.slice(10, 14));
    expect(blocked.map((r) => r.outcome)).toEqual(['nothing-to-do', 'nothing-to-do', 'nothing-to-do', 'nothing-to-do']);
    expect(await phases()).toMatchObject({ completed: 50, failed: 10 });
  }, 180_000);

  it('goes on through every wave after an operator resumes it', async () => {
    const db = await getDb();
    await db.transaction((tx) => transitionCampaign(tx, campaignId, 'Deployed', 'operator@test'));
    expect((await campaign()).suspendReason).toBeNull();
    await runFleet(server.url, waves[1]!.slice(10));
    expect((await campaign()).currentWave).toBe(2);
    await runFleet(server.url, waves[2]!);
    expect((await campaign()).currentWave).toBe(3);
    await runFleet(server.url, waves[3]!);
    const after = await campaign();
    // Not complete while 10 vehicles stand failed.
    expect(after.status).toBe('Deployed');
    expect(await phases()).toEqual({ completed: 190, failed: 10 });
  }, 300_000);

  it('completes once the failed vehicles are retried and succeed', async () => {
    const db = await getDb();
    const retried = await db.transaction((tx) => retryVehicles(tx, campaignId, { errorCode: '1112' }, 'operator@test'));
    expect(retried).toBe(10);
    expect(await phases()).toEqual({ completed: 190, queued: 10 });
    const results = await runFleet(server.url, waves[1]!.slice(0, 10));
    expect(results.every((r) => r.outcome === 'completed')).toBe(true);
    expect(await phases()).toEqual({ completed: 200 });
    expect((await campaign()).status).toBe('Completed');
  }, 180_000);
});
