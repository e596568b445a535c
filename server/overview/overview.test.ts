import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '@/db/schema';
import { createCampaign, transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { runVehicleUpdate, type SimulationResult } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { countFleet, FLEET_COUNTS_MAX_AGE_MS } from './fleet-counts';
import type { FleetCounts, HourBucket } from './schemas';

/** On PostgreSQL every test file shares one database, so fleet totals move under our feet: there only our additions are a lower bound. */
const sharedDatabase = !!process.env.DATABASE_URL;
const expectGrowth = (after: number, before: number, ours: number, what: string) => {
  if (sharedDatabase) expect(after - before, what).toBeGreaterThanOrEqual(ours);
  else expect(after - before, what).toBe(ours);
};

const HOUR = 3_600_000;
const hourKey = (d: Date) => Math.floor(d.getTime() / HOUR) * HOUR;
const byHour = (buckets: HourBucket[]) => new Map(buckets.map((b) => [b.hour.getTime(), b]));

describe('the overview after real vehicle runs', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let support: Awaited<ReturnType<typeof callerAs>>;
  let fleetBefore: FleetCounts;
  let hoursBefore: HourBucket[];
  let vins: [string, string, string];
  let campaignId: number;
  let suspendedId: number;
  let draftName: string;
  let completedRun: SimulationResult;
  let failedRun: SimulationResult;
  let backdatedAt: Date;

  beforeAll(async () => {
    const db = await getDb();
    support = await callerAs('support');
    fleetBefore = await countFleet(db, { maxAgeMs: 0 });
    hoursBefore = (await support.overview.eventsPerHour({ hours: 24 })).buckets;
    server = await startVehicleApiServer();

    vins = (await makeVehicles(db, 3)) as [string, string, string];
    const made = await makeDeployedCampaign(db, vins, { priority: 1000, size: 20_000 });
    campaignId = made.campaign.id;
    completedRun = await runVehicleUpdate({ baseUrl: server.url, vin: vins[0] });
    failedRun = await runVehicleUpdate({ baseUrl: server.url, vin: vins[1], fail: { at: 'activation', code: 1112 } });

    // A campaign put on hold, and one never deployed.
    const [other] = await makeVehicles(db, 1);
    const suspended = await makeDeployedCampaign(db, [other!], { priority: 1000 });
    await db.transaction((tx) => transitionCampaign(tx, suspended.campaign.id, 'Suspended', 'test'));
    suspendedId = suspended.campaign.id;
    draftName = `Draft ${randomUUID().slice(0, 8)}`;
    await createCampaign(db, { name: draftName, vehiclePackageId: suspended.vehiclePackage.id, vins: [other!] });

    // A vehicle error (C_28) outside any campaign, received five hours ago.
    backdatedAt = new Date(Date.now() - 5 * HOUR);
    await db.insert(events).values({
      vin: vins[2],
      code: 'C_28',
      classified: true,
      eventsUuid: randomUUID().replaceAll('-', ''),
      eventsType: 'error',
      status: 'failure',
      eventTime: backdatedAt,
      receivedAt: backdatedAt,
      errorCodes: ['4242'],
      contentHash: randomUUID(),
      raw: { eventsType: 'error', status: 'failure', errorCodes: [{ code: 4242 }] },
    });
  });
  afterAll(() => server?.close());

  it('ran one vehicle to completion and one into an activation failure', () => {
    expect(completedRun.outcome).toBe('completed');
    expect(failedRun.outcome).toBe('failed');
  });

  it('counts the fleet: registered, seen, in a deployed campaign, completed and failed', async () => {
    const after = await countFleet(await getDb(), { maxAgeMs: 0 });
    expectGrowth(after.registered, fleetBefore.registered, 4, 'registered');
    // The two vehicles that ran spoke to the server; the others never did.
    expectGrowth(after.seenLast24h, fleetBefore.seenLast24h, 2, 'seen in the last 24 h');
    // The suspended campaign's vehicle is not in a deployed campaign.
    expectGrowth(after.inDeployedCampaign, fleetBefore.inDeployedCampaign, 3, 'in a deployed campaign');
    expectGrowth(after.completedLast24h, fleetBefore.completedLast24h, 1, 'completed in the last 24 h');
    expectGrowth(after.failedInDeployedCampaigns, fleetBefore.failedInDeployedCampaigns, 1, 'failed');
    expect(after.asOf.getTime()).toBeGreaterThanOrEqual(fleetBefore.asOf.getTime());
  });

  it('answers from a shared snapshot, and the first read after it is older than 15 s starts a recount', async () => {
    const db = await getDb();
    const fresh = await countFleet(db, { maxAgeMs: 0 });
    const served = await support.overview.fleet();
    expect(served.asOf.getTime(), 'a read within 15 s gets the stored figures').toBe(fresh.asOf.getTime());
    expect(served.registered).toBe(fresh.registered);

    // The snapshot ages past its limit: the next reader still gets it at once, and a recount replaces it.
    await db.execute(sql`update dashboard_snapshots set computed_at = computed_at - make_interval(secs => ${FLEET_COUNTS_MAX_AGE_MS / 1000 + 5}) where name = 'overview.fleet'`);
    const stale = await support.overview.fleet();
    expect(stale.asOf.getTime()).toBe(fresh.asOf.getTime() - FLEET_COUNTS_MAX_AGE_MS - 5_000);
    let next = stale;
    for (let i = 0; i < 100 && next.asOf.getTime() === stale.asOf.getTime(); i++) {
      await new Promise((r) => setTimeout(r, 50));
      next = await support.overview.fleet();
    }
    expect(next.asOf.getTime(), 'recounted in the background').toBeGreaterThan(stale.asOf.getTime());
  });

  it('lists running campaigns with where their vehicles are, deployed before suspended, never drafts', async () => {
    const { campaigns, total } = await support.overview.activeCampaigns({ limit: 100 });
    const mine = campaigns.find((c) => c.id === campaignId);
    expect(mine).toMatchObject({ status: 'Deployed', vehicles: 3, completed: 1, failed: 1, declined: 0 });
    // The third vehicle never fetched its StartCampaign: still queued.
    expect(mine!.queued + mine!.inProgress).toBe(1);
    expect(mine!.completionPercent).toBeCloseTo(100 / 3, 5);
    const suspended = campaigns.find((c) => c.id === suspendedId);
    expect(suspended).toMatchObject({ status: 'Suspended', vehicles: 1, queued: 1 });
    expect(campaigns.findIndex((c) => c.status === 'Suspended')).toBeGreaterThan(campaigns.findLastIndex((c) => c.status === 'Deployed'));
    expect(campaigns.map((c) => c.name)).not.toContain(draftName);
    expect(total).toBeGreaterThanOrEqual(campaigns.length);
  });

  it('buckets the events received per hour: the runs in this hour, the backdated error five hours ago', async () => {
    const { buckets, total } = await support.overview.eventsPerHour({ hours: 24 });
    expect(buckets).toHaveLength(24);
    buckets.slice(1).forEach((b, i) => expect(b.hour.getTime() - buckets[i]!.hour.getTime()).toBe(HOUR));
    expect(hourKey(buckets.at(-1)!.hour)).toBe(hourKey(new Date()));
    expect(total).toBe(buckets.reduce((s, b) => s + b.total, 0));
    for (const b of buckets) expect(b.progress + b.failures + b.other).toBe(b.total);

    // What the database holds for our vehicles, split as the chart splits it.
    const db = await getDb();
    const ours = await db.select().from(events).where(inArray(events.vin, vins));
    const runs = ours.filter((e) => e.receivedAt.getTime() !== backdatedAt.getTime());
    expect(runs).toHaveLength(completedRun.eventsSent + failedRun.eventsSent);
    const failures = runs.filter((e) => e.code === 'C_28' || ['failure', 'failed', 'rejected'].includes(e.status));
    expect(failures.map((e) => e.code).sort()).toEqual(['C_24', 'C_28']);
    const other = runs.filter((e) => e.code === 'C_01' || e.code === null);

    const before = byHour(hoursBefore);
    const delta = (b: HourBucket) => {
      const old = before.get(b.hour.getTime());
      return { progress: b.progress - (old?.progress ?? 0), failures: b.failures - (old?.failures ?? 0), other: b.other - (old?.other ?? 0) };
    };
    // The runs may straddle an hour boundary: add up the hours they happened in.
    const runHours = new Set(runs.map((e) => hourKey(e.receivedAt)));
    const grown = buckets.filter((b) => runHours.has(b.hour.getTime())).map(delta);
    const sum = (k: 'progress' | 'failures' | 'other') => grown.reduce((s, d) => s + d[k], 0);
    expectGrowth(sum('failures'), 0, failures.length, 'failures this hour');
    expectGrowth(sum('other'), 0, other.length, 'state changes this hour');
    expectGrowth(sum('progress'), 0, runs.length - failures.length - other.length, 'update steps this hour');

    const fiveHoursAgo = buckets.find((b) => b.hour.getTime() === hourKey(backdatedAt))!;
    expect(delta(fiveHoursAgo)).toEqual({ progress: 0, failures: 1, other: 0 });
  });

  it('lists the failed vehicle with its campaign and error code, and the vehicle error report', async () => {
    const failures = await support.overview.recentFailures({ limit: 100 });
    expect(failures).toContainEqual({ source: 'campaign', vin: vins[1], campaignId, campaignName: expect.any(String), phase: 'failed', errorCodes: ['1112'], at: expect.any(Date) });
    expect(failures).toContainEqual({ source: 'vehicle-error', vin: vins[2], campaignId: null, campaignName: null, phase: null, errorCodes: ['4242'], at: backdatedAt });
    // The failed vehicle's own C_28 is part of its campaign row, not listed twice; the completed vehicle is not listed.
    expect(failures.filter((f) => f.vin === vins[1])).toHaveLength(1);
    expect(failures.map((f) => f.vin)).not.toContain(vins[0]);
    const times = failures.map((f) => f.at?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keeps to the limit asked for', async () => {
    expect(await support.overview.recentFailures({ limit: 1 })).toHaveLength(1);
    expect((await support.overview.activeCampaigns({ limit: 1 })).campaigns).toHaveLength(1);
  });
});
