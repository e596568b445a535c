import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { campaigns, campaignStatuses, campaignVehicles, phases, type CampaignStatus, type Phase } from '@/db/schema';
import { getDb } from '../db';
import { makeDeployedCampaign, makePackage, makeVehicles } from '../testing/factories';
import { callVehicleApi, postJson } from '../testing/vehicle-client';
import { queueStartCampaign } from '../commands/queue-start-campaign';
import { campaignRunsSql, isOffered, offerFactsColumns, offeredSql, offerObstacles, type OfferFacts } from './offer-rule';

/** A time relative to the database's now() of the test's transaction (null: unset). */
type Ago = { minutes: number } | null;
type Case = {
  status: CampaignStatus;
  startsAt: Ago;
  endsAt: Ago;
  currentWave: number;
  reoffer: number | null;
  phase: Phase;
  wave: number;
  blocked: boolean;
  declinedAt: Ago;
};

const at = (ago: Ago): SQL | null => (ago === null ? null : sql`now() - make_interval(mins => ${ago.minutes})`);

/** Every campaign-side and vehicle-side dimension, each at its edges (now itself included), crossed pairwise. */
function cases(): Case[] {
  const base: Case = { status: 'Deployed', startsAt: null, endsAt: null, currentWave: 1, reoffer: null, phase: 'downloading', wave: 1, blocked: false, declinedAt: null };
  const windows: [Ago, Ago][] = [
    [null, null],
    [{ minutes: 60 }, { minutes: -60 }],
    [{ minutes: 0 }, null], // opens exactly now: open
    [null, { minutes: 0 }], // closes exactly now: closed
    [{ minutes: -60 }, null], // not open yet
    [null, { minutes: 60 }], // closed an hour ago
    [{ minutes: -60 }, { minutes: 60 }],
  ];
  const declines: [number | null, Ago][] = [
    [null, null],
    [null, { minutes: 600 }],
    [1, null],
    [1, { minutes: 30 }], // delay not over
    [1, { minutes: 60 }], // over exactly now: offered again
    [1, { minutes: 120 }],
    [0, { minutes: 0 }],
    [24, { minutes: 120 }],
  ];
  const out: Case[] = [];
  for (const status of campaignStatuses) for (const [startsAt, endsAt] of windows) out.push({ ...base, status, startsAt, endsAt });
  for (const phase of phases) {
    for (const [reoffer, declinedAt] of declines) out.push({ ...base, phase, reoffer, declinedAt });
    for (const wave of [0, 1, 2]) for (const blocked of [false, true]) out.push({ ...base, phase, wave, blocked });
    out.push({ ...base, phase, status: 'Suspended', reoffer: 1, declinedAt: { minutes: 120 } });
    out.push({ ...base, phase, endsAt: { minutes: 1 }, reoffer: 1, declinedAt: { minutes: 120 } });
    out.push({ ...base, phase, blocked: true, wave: 2, reoffer: 0, declinedAt: { minutes: 5 } });
  }
  return out;
}

class Rollback extends Error {}

describe('the offer rule: one condition in SQL and in TypeScript', () => {
  // Opening (and migrating) the database is the hook's time, not the first test's.
  beforeAll(async () => {
    await getDb();
  });

  it('gives the same answer in both forms for every case, rows stored in the database and now() its own', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { vehiclePackage } = await makePackage(db, 1024);
    const table = cases();
    let compared = 0;
    const seen = new Set<string>();
    await db
      .transaction(async (tx) => {
        // now() stays the same for the whole transaction: the rows' times and both forms of the rule read one clock.
        const created = await tx
          .insert(campaigns)
          .values(
            table.map((c, i) => ({
              name: `offer rule case ${i}`,
              vehiclePackageId: vehiclePackage.id,
              reproPolicy: { consent: 'none' as const, maxRetries: 0, transports: ['any' as const], minFreeStorageMb: 0 },
              status: c.status,
              startsAt: at(c.startsAt),
              endsAt: at(c.endsAt),
              currentWave: c.currentWave,
              reofferDeclinedAfterHours: c.reoffer,
            })),
          )
          .returning({ id: campaigns.id });
        await tx.insert(campaignVehicles).values(
          table.map((c, i) => ({ campaignId: created[i]!.id, vin, phase: c.phase, wave: c.wave, blockedReason: c.blocked ? 'ECU 1 runs 0.9.0, not 1.0.0' : null, declinedAt: at(c.declinedAt) })),
        );
        const [clock] = await queryRows<{ now: string }>(tx, sql`select now()::text as now`);
        const now = new Date(clock!.now);
        const rows = await tx
          .select({
            id: campaigns.id,
            ...offerFactsColumns,
            offered: sql<boolean>`${offeredSql()}`,
            offeredIgnoringBlock: sql<boolean>`${offeredSql({ ignoreBlock: true })}`,
            runs: sql<boolean>`${campaignRunsSql}`,
          })
          .from(campaignVehicles)
          .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
          .where(inArray(campaigns.id, created.map((c) => c.id)));
        expect(rows).toHaveLength(table.length);
        for (const { id, offered, offeredIgnoringBlock, runs, ...facts } of rows) {
          const f: OfferFacts = facts;
          const label = `case ${id}: ${JSON.stringify(facts)} at ${now.toISOString()}`;
          expect(offered, label).toBe(isOffered(f, now));
          expect(offeredIgnoringBlock, label).toBe(isOffered(f, now, { ignoreBlock: true }));
          expect(runs, label).toBe(!offerObstacles(f, now).some((o) => o === 'not-deployed' || o === 'not-open-yet' || o === 'closed'));
          for (const o of offerObstacles(f, now)) seen.add(o);
          seen.add(offered ? 'offered' : 'not offered');
          if (f.phase === 'declined' && offered) seen.add('declined, offered again');
          compared++;
        }
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    expect(compared).toBe(table.length);
    // The table reaches every branch of the rule.
    expect([...seen].sort()).toEqual(['blocked', 'closed', 'declined, offered again', 'finished', 'not offered', 'not-deployed', 'not-open-yet', 'offered', 'wave-not-released']);
  });

  it('is the rule of every vehicle endpoint: a decline past the re-offer delay is offered again by C_05, C_04, C_07, C_18 and C_36', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin], { reofferDeclinedAfterHours: 1 });
    const body = async (res: Response) => {
      const json = await res.json();
      expect(res.status, JSON.stringify(json)).toBe(200);
      return json.signed.body;
    };
    const config = { signed: { vin, primaryId: '0', clientDigest: 'reoffer', ecuVersionManifests: [{ ecuId: '1', softwareVersion: '1.0.0' }], augmentedManifest: { packageStorage: { available: 2048 } } } };
    const offered = async () => ({
      c05: (await body(await postJson('/api/ota/v1/config', config))).augmentedMetadata.signed.body.selectedCampaign.campaignId,
      c18: (await body(await postJson('/api/ota/v1/campaign-validity', { signed: { vin, primaryId: '0', campaignId: campaign.id } }))).status,
    });
    const c36 = async () => (await body(await postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } }))).campaignId;
    const c07 = async () => (await callVehicleApi(`/cdn/v1/campaigns/${campaign.id}/download-metadata?vin=${vin}`)).status;
    const c04 = async () => (await body(await postJson('/api/ota/v1/config-digest', { signed: { vin, primaryId: '0', clientDigest: 'reoffer' } }))).augmentedMetadata?.signed.body.selectedCampaign.campaignId;
    const decline = (hoursAgo: number) =>
      db
        .update(campaignVehicles)
        .set({ phase: 'declined', declinedAt: new Date(Date.now() - hoursAgo * 3_600_000) })
        .where(eq(campaignVehicles.vin, vin));

    await decline(0.5);
    // An open StartCampaign of the campaign (e.g. queued by hand) waits with the decline.
    await db.transaction((tx) => queueStartCampaign(tx, campaign.id, 'test', [vin]));
    expect(await c36()).toBe(0);
    expect(await c07()).toBe(404);
    expect(await offered()).toEqual({ c05: 0, c18: 'Suspended' });
    expect(await c04()).toBe(0);

    await decline(2);
    expect(await c07()).toBe(200);
    expect(await c36()).toBe(campaign.id);
    expect(await c04()).toBe(campaign.id);
    expect(await offered()).toEqual({ c05: campaign.id, c18: 'Deployed' });
    const [member] = await db.select({ phase: campaignVehicles.phase }).from(campaignVehicles).where(eq(campaignVehicles.vin, vin));
    expect(member?.phase).toBe('config_uploaded');
  });
});
