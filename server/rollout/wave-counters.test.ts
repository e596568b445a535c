import type { Actor } from '../auth/actor';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { campaigns } from '@/db/schema';
import { phaseCountsByCampaign } from '../campaigns/progress';
import { cancelCampaignVehicle, retryCampaignVehicles } from '../campaigns/rollout-actions';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';
import { evaluateRollout } from './engine';
import { sweepRollouts } from './sweep';
import { readCampaignTallies } from './wave-counts';

const operator: Actor = { kind: 'user', id: 0, email: 'operator@test.example' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every vehicle answer must be a 200: a deadlock or a lost race would show up as a 409 or 500. */
async function ok(path: string, body: unknown) {
  const res = await postJson(path, body);
  const json = await res.json();
  expect(res.status, `${path} ${JSON.stringify(json)}`).toBe(200);
  return json.signed.body;
}

/** The campaign's vehicles counted row by row, in the shape of the counters. */
async function recount(campaignId: number) {
  return queryRows<{ wave: number; phase: string; blocked: boolean; n: number }>(
    await getDb(),
    sql`select wave, phase, blocked_reason is not null as blocked, count(*)::int as n from campaign_vehicles
        where campaign_id = ${campaignId} group by 1, 2, 3 order by 1, 2, 3`,
  );
}

describe('wave counters', () => {
  beforeAll(async () => {
    await getDb();
  });

  it('equal a full recount after a mixed, concurrent run (completions, failures, declines, blocks and unblocks, retries, cancels, sweeps)', async () => {
    const db = await getDb();
    const fitting = await makeVehicles(db, 30);
    // Blocked when their wave is released; they unblock themselves by uploading a configuration that fits.
    const outdated = await makeVehicles(db, 6, {}, { ecus: { '1': '0.9.0' }, availableMb: 2048 });
    const { campaign } = await makeDeployedCampaign(db, [...fitting, ...outdated], {
      rollout: { waves: [{ size: 50, unit: 'percent' }, { size: 50, unit: 'percent' }], successThreshold: 30, errorThreshold: 100, autoAdvance: true },
      preconditions: { ecus: [{ ecuId: '1', versions: ['1.0.0'] }], minFreeStorageMb: 0 },
      reofferDeclinedAfterHours: 1,
    });
    const campaignId = campaign.id;
    expect(await readCampaignTallies(db, campaignId)).toEqual(await recount(campaignId));

    const config = (vin: string, version: string, attemptId: string) => ({
      signed: { vin, primaryId: '0', ecuVersionManifests: [{ ecuId: '1', softwareVersion: version }], augmentedManifest: { packageStorage: { available: 2048 }, preferredCampaignId: campaignId, attemptId, isNewAttempt: true } },
    });
    // A failed download reports 2001 (retried below), a failed activation 1112 (left failed).
    const notify = (vin: string, attemptId: string, eventsType: string, status: string) =>
      ok('/api/ota/v1/notification', {
        signed: {
          vin,
          primaryId: '0',
          events: [{ eventsUuid: randomUUID(), eventsType, status, currentTime: { time: Math.floor(Date.now() / 1000) }, attemptId, ...(status === 'failure' ? { errorCodes: [eventsType === 'download' ? '2001' : '1112'] } : {}) }],
        },
      });
    /** Uploads configurations until the campaign is offered (its wave may not be released yet); the attempt id, or null. */
    const takeCampaign = async (vin: string, version = '1.0.0'): Promise<string | null> => {
      for (let i = 0; i < 600; i++) {
        const attemptId = randomUUID();
        const offer = await ok('/api/ota/v1/config', config(vin, version, attemptId));
        if (offer.augmentedMetadata.signed.body.selectedCampaign.campaignId === campaignId) return attemptId;
        await sleep(100);
      }
      return null;
    };
    const runTo = async (vin: string, attemptId: string, end: 'complete' | 'fail-activation' | 'fail-download' | 'decline') => {
      if (end === 'decline') return notify(vin, attemptId, 'download', 'rejected');
      await notify(vin, attemptId, 'download', 'accepted');
      if (end === 'fail-download') return notify(vin, attemptId, 'download', 'failure');
      await notify(vin, attemptId, 'download', 'success');
      await notify(vin, attemptId, 'installation', 'accepted');
      await notify(vin, attemptId, 'activate', 'accepted');
      if (end === 'fail-activation') return notify(vin, attemptId, 'activate', 'failure');
      await notify(vin, attemptId, 'updateComplete', 'success');
    };

    const vehicle = async (vin: string, i: number) => {
      await ok('/api/ota/v1/command', { signed: { vin, primaryId: '0' } });
      if (outdated.includes(vin)) {
        // An upload that still does not fit (stays blocked), then one that does.
        await ok('/api/ota/v1/config', config(vin, '0.9.0', randomUUID()));
        const attemptId = await takeCampaign(vin);
        if (attemptId) await runTo(vin, attemptId, 'complete');
        return;
      }
      const attemptId = await takeCampaign(vin);
      if (!attemptId) return;
      switch (i % 6) {
        case 0:
          return runTo(vin, attemptId, 'complete');
        case 1:
          return runTo(vin, attemptId, 'fail-activation');
        case 2:
          return runTo(vin, attemptId, 'decline');
        case 3: {
          // Fails, is retried by an operator (with others of its code, maybe), and completes.
          await runTo(vin, attemptId, 'fail-download');
          await retryCampaignVehicles(db, operator, { id: campaignId, errorCode: '2001' });
          const again = await takeCampaign(vin);
          if (again) await runTo(vin, again, 'complete');
          return;
        }
        case 4: {
          // Taken out by an operator half way; the vehicle goes on reporting.
          await notify(vin, attemptId, 'download', 'accepted');
          await cancelCampaignVehicle(db, operator, { id: campaignId, vin });
          return runTo(vin, attemptId, 'complete');
        }
        default:
          // Uploads its configuration and goes silent.
          return;
      }
    };

    let running = true;
    const sweeper = (async () => {
      while (running) {
        await sweepRollouts(db);
        await sleep(200);
      }
    })();
    try {
      await Promise.all([...fitting, ...outdated].map((vin, i) => vehicle(vin, i)));
    } finally {
      running = false;
      await sweeper;
    }

    const mix = await recount(campaignId);
    const phasesSeen = new Set(mix.map((r) => r.phase));
    for (const phase of ['completed', 'failed', 'declined', 'cancelled']) expect(phasesSeen, JSON.stringify(mix)).toContain(phase);
    const [retried] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from campaign_vehicles where campaign_id = ${campaignId} and retries > 0`);
    expect(retried!.n).toBeGreaterThan(0);

    // Before and after the changes are folded in, the counters say what a recount says.
    expect(await readCampaignTallies(db, campaignId)).toEqual(mix);
    await db.transaction((tx) => evaluateRollout(tx, campaignId));
    const [pending] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from campaign_wave_count_changes where campaign_id = ${campaignId}`);
    expect(pending!.n).toBe(0);
    const folded = await queryRows(db, sql`select wave, phase, blocked, n from campaign_wave_counts where campaign_id = ${campaignId} and n <> 0 order by 1, 2, 3`);
    expect(folded).toEqual(mix);
    expect(await readCampaignTallies(db, campaignId)).toEqual(mix);

    // The funnel and the wave view read the same counters.
    const funnel = (await phaseCountsByCampaign(db, [campaignId])).get(campaignId)!;
    for (const phase of phasesSeen) expect(funnel[phase as keyof typeof funnel], phase).toBe(mix.filter((r) => r.phase === phase).reduce((sum, r) => sum + r.n, 0));
    const waves = await (await callerAs('support')).campaigns.waves({ id: campaignId });
    expect(waves.waves.reduce((sum, w) => sum + w.vehicles, 0)).toBe(36);
  }, 600_000);

  it('a last wave whose vehicles are all blocked neither completes nor stays silent: the engine and the wave view both wait, and say why', async () => {
    const db = await getDb();
    const vins = await makeVehicles(db, 2, {}, { ecus: { '1': '0.9.0' }, availableMb: 2048 });
    const { campaign } = await makeDeployedCampaign(db, vins, { preconditions: { ecus: [{ ecuId: '1', versions: ['1.0.0'] }], minFreeStorageMb: 0 } });
    const reason =
      'No vehicle is on its way, but 2 vehicles are blocked by the preconditions (each is offered the campaign when it uploads a configuration that meets them). The campaign completes when they finish, or when an operator completes it.';

    const decided = await db.transaction((tx) => evaluateRollout(tx, campaign.id));
    expect(decided).toEqual({ action: 'wait', reason });
    const [row] = await db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(row!.status).toBe('Deployed');
    const progress = await (await callerAs('support')).campaigns.waves({ id: campaign.id });
    expect(progress.next).toEqual({ action: 'wait', reason });
    expect(progress.waves[0]).toMatchObject({ vehicles: 2, blocked: 2, eligible: 0 });

    // One uploads a configuration that fits: it is offered the campaign and on its way, so nothing is waited for any more.
    const offer = await ok('/api/ota/v1/config', { signed: { vin: vins[0], primaryId: '0', ecuVersionManifests: [{ ecuId: '1', softwareVersion: '1.0.0' }], augmentedManifest: { packageStorage: { available: 2048 } } } });
    expect(offer.augmentedMetadata.signed.body.selectedCampaign.campaignId).toBe(campaign.id);
    expect((await (await callerAs('support')).campaigns.waves({ id: campaign.id })).next).toEqual({ action: 'none' });
    expect(await db.transaction((tx) => evaluateRollout(tx, campaign.id))).toEqual({ action: 'none' });
  });
});
