import { and, eq, inArray, sql } from 'drizzle-orm';
import { FixedQuery, FixedStatement, textArray, textArrayLiteral, type Queryable } from '@/db/client';
import type { CommitTail } from '@/db/hot-transaction';
import { campaigns, campaignVehicles, commands, softwarePackages, vehiclePackageItems, type Phase } from '@/db/schema';
import { queueStartCampaign } from '../commands/queue-start-campaign';
import { enqueueWebhook, enqueueWebhooksFromSql } from '../webhooks/outbox';
import { DomainError, notFound } from '../errors';
import { checkCompatibility, type Compatibility, type KnownConfig } from './compatibility';
import { lastKnownConfigs } from './vehicle-configs';
import { foldWaveCounts, foldWaveCountsStatement, readCampaignTallies, thresholdInputs } from './wave-counts';
import { assignWaves, decideWave, type WaveCounts, type WaveDecision } from './waves';

type Campaign = typeof campaigns.$inferSelect;

const campaignForUpdate = new FixedQuery(['campaignId'], (db, p) => db.select().from(campaigns).where(eq(campaigns.id, p.campaignId as number)).for('no key update'));

async function lockCampaign(db: Queryable, campaignId: number): Promise<Campaign> {
  const [campaign] = await campaignForUpdate.run(db, { campaignId });
  if (!campaign) throw notFound(`campaign ${campaignId}`);
  return campaign;
}

/** What a vehicle needs to take this campaign: the package's bytes and the repro policy's free storage. */
const packageBytes = new FixedQuery(['vehiclePackageId'], (db, p) =>
  db
    .select({ bytes: sql<string | null>`sum(${softwarePackages.length})` })
    .from(vehiclePackageItems)
    .innerJoin(softwarePackages, eq(softwarePackages.id, vehiclePackageItems.softwarePackageId))
    .where(eq(vehiclePackageItems.vehiclePackageId, p.vehiclePackageId as number)),
);

export async function campaignNeeds(db: Queryable, campaign: Pick<Campaign, 'vehiclePackageId' | 'reproPolicy'>): Promise<CampaignNeeds> {
  const [row] = await packageBytes.run(db, { vehiclePackageId: campaign.vehiclePackageId });
  return needsOf(campaign, Number(row?.bytes ?? 0));
}

export type CampaignNeeds = { packageBytes: number; reproMinFreeMb: number };
export const needsOf = (campaign: Pick<Campaign, 'reproPolicy'>, packageBytes: number): CampaignNeeds => ({ packageBytes, reproMinFreeMb: campaign.reproPolicy.minFreeStorageMb ?? 0 });

/** Checks each vehicle's last known configuration against the campaign and records why a vehicle is blocked. */
export async function checkMembers(db: Queryable, campaign: Campaign, vins: string[]): Promise<Map<string, Compatibility>> {
  const [needs, configs] = await Promise.all([campaignNeeds(db, campaign), lastKnownConfigs(db, vins)]);
  return recordVerdicts(db, campaign, verdictsOf(campaign, needs, configs, vins));
}

/** Each vehicle's verdict on the campaign from its known configuration (null: none known). */
export function verdictsOf(campaign: Campaign, needs: CampaignNeeds, configs: Map<string, KnownConfig | null>, vins: string[]): Map<string, Compatibility> {
  return new Map(vins.map((vin) => [vin, checkCompatibility(campaign.preconditions, needs, configs.get(vin) ?? null)]));
}

/**
 * Records why each blocked vehicle is blocked, and clears the reason of the others. The clear
 * goes with the COMMIT when a `tail` is given (nothing after it reads the reason); a vehicle
 * newly blocked is written now, with its vehicle.blocked webhook, in the same statement.
 */
export async function recordVerdicts(db: Queryable, campaign: Campaign, verdicts: Map<string, Compatibility>, tail?: CommitTail): Promise<Map<string, Compatibility>> {
  const blocked: { vin: string; reason: string }[] = [];
  const clear: string[] = [];
  for (const [vin, verdict] of verdicts) {
    if (verdict.status === 'blocked') blocked.push({ vin, reason: verdict.reason });
    else clear.push(vin);
  }
  if (blocked.length) {
    await db.execute(sql`with source as (update campaign_vehicles cv set blocked_reason = b.reason, updated_at = now()
        from unnest(${textArray(blocked.map((b) => b.vin))}, ${textArray(blocked.map((b) => b.reason))}) as b(vin, reason)
        where cv.campaign_id = ${campaign.id} and cv.vin = b.vin and cv.blocked_reason is distinct from b.reason
        returning cv.vin, cv.blocked_reason)
      ${enqueueWebhooksFromSql('vehicle.blocked', sql`jsonb_build_object('vin', source.vin, 'campaignId', ${campaign.id}::int, 'campaignName', ${campaign.name}::text, 'reason', source.blocked_reason)`)}`);
  }
  if (clear.length) {
    const values = { campaignId: campaign.id, vins: textArrayLiteral(clear) };
    if (tail) tail.add(clearBlocked, values);
    else await clearBlocked.rows(db, values);
  }
  return verdicts;
}

const clearBlocked = new FixedStatement(
  ['campaignId', 'vins'],
  (p) => sql`update campaign_vehicles set blocked_reason = null where campaign_id = ${p.campaignId}::int and vin = any(${p.vins}::text[]) and blocked_reason is not null`,
);

/**
 * Releases one wave: queues StartCampaign for each of its vehicles whose last known
 * configuration meets the preconditions. Blocked vehicles get their reason; vehicles that
 * never uploaded a configuration are asked for one by C_03 and offered the campaign by C_05.
 */
export async function releaseWave(db: Queryable, campaign: Campaign, wave: number, actor: string): Promise<number> {
  const members = await db
    .select({ vin: campaignVehicles.vin })
    .from(campaignVehicles)
    .where(and(eq(campaignVehicles.campaignId, campaign.id), eq(campaignVehicles.wave, wave), eq(campaignVehicles.phase, 'queued')));
  const verdicts = await checkMembers(db, campaign, members.map((m) => m.vin));
  const ready = [...verdicts].filter(([, v]) => v.status === 'ok').map(([vin]) => vin);
  return ready.length ? queueStartCampaign(db, campaign.id, actor, ready) : 0;
}

/** Draft → Deployed: puts every vehicle in its wave and releases the first wave. */
export async function startRollout(db: Queryable, campaignId: number, actor: string): Promise<number> {
  const campaign = await lockCampaign(db, campaignId);
  const members = await db.select({ vin: campaignVehicles.vin }).from(campaignVehicles).where(eq(campaignVehicles.campaignId, campaignId)).orderBy(campaignVehicles.vin);
  const byWave = new Map<number, string[]>();
  for (const { member, wave } of assignWaves(members, campaign.rollout)) byWave.set(wave, [...(byWave.get(wave) ?? []), member.vin]);
  for (const [wave, vins] of byWave) {
    if (wave === 0) continue; // the default is 0
    for (let i = 0; i < vins.length; i += 5000) {
      await db.update(campaignVehicles).set({ wave }).where(and(eq(campaignVehicles.campaignId, campaignId), inArray(campaignVehicles.vin, vins.slice(i, i + 5000))));
    }
  }
  await db.update(campaigns).set({ currentWave: 0, suspendReason: null }).where(eq(campaigns.id, campaignId));
  const queued = await releaseWave(db, { ...campaign, currentWave: 0 }, 0, actor);
  await enqueueWaveStarted(db, campaign, 0, queued, actor);
  return queued;
}

/** wave.started: `wave` counts from 1 as the dashboard shows it. */
async function enqueueWaveStarted(db: Queryable, campaign: Campaign, wave: number, queuedCommands: number, actor: string): Promise<void> {
  await enqueueWebhook(db, 'wave.started', { campaignId: campaign.id, campaignName: campaign.name, wave: wave + 1, waves: waveCount(campaign), queuedCommands, actor });
}

export function waveCount(campaign: Pick<Campaign, 'rollout'>): number {
  return Math.max(1, campaign.rollout.waves.length);
}

/** The counts the thresholds read (decideWave's inputs), from the campaign's wave counters. */
export async function rolloutCounts(db: Queryable, campaign: Pick<Campaign, 'id' | 'currentWave' | 'reofferDeclinedAfterHours'>): Promise<WaveCounts> {
  // Still waiting, for completion: vehicles blocked by the preconditions (they may upload a
  // configuration that fits) and declines the campaign will offer again.
  return thresholdInputs(await readCampaignTallies(db, campaign.id), campaign.currentWave, campaign.reofferDeclinedAfterHours !== null);
}

const campaignIfFree = new FixedQuery(['campaignId'], (db, p) =>
  db.select().from(campaigns).where(eq(campaigns.id, p.campaignId as number)).for('no key update', { skipLocked: true }),
);

/**
 * evaluateRollout for a vehicle's run-ending event, at the end of its notification's
 * transaction, without waiting: when another transaction holds the campaign's row (it is
 * evaluating the thresholds itself, or an operator acts), this returns false at once and the
 * caller evaluates after its commit (evaluate-after-commit.ts). Waiting here made every
 * finishing vehicle of a campaign queue behind the one before it, each holding the row for
 * the rest of its transaction. The fold of the counters goes out with the COMMIT (`tail`):
 * the thresholds read the counts and the changes not folded yet alike.
 */
export async function evaluateRolloutIfFree(db: Queryable, campaignId: number, tail?: CommitTail): Promise<boolean> {
  const [campaign] = await campaignIfFree.run(db, { campaignId });
  if (!campaign) return false;
  await evaluateLocked(db, campaign, 'rollout', tail);
  return true;
}

/**
 * Applies the thresholds to a deployed campaign after its vehicles moved: suspends it (with
 * the reason in words) at the error threshold, starts the next wave at the success threshold
 * when it advances on its own, completes it after the last wave. Runs in the caller's transaction.
 * Also folds the campaign's counter changes (whatever its status).
 */
export async function evaluateRollout(db: Queryable, campaignId: number, actor = 'rollout'): Promise<WaveDecision> {
  return evaluateLocked(db, await lockCampaign(db, campaignId), actor);
}

/** evaluateRollout with the campaign's row locked and read (FOR NO KEY UPDATE). */
async function evaluateLocked(db: Queryable, campaign: Campaign, actor: string, tail?: CommitTail): Promise<WaveDecision> {
  // Under the campaign's lock: the changes since the last fold move into its counts, so that
  // reading them stays short however many vehicles moved.
  if (tail) tail.add(foldWaveCountsStatement, { campaignId: campaign.id });
  else await foldWaveCounts(db, campaign.id);
  if (campaign.status !== 'Deployed') return { action: 'none' };
  const campaignId = campaign.id;
  const counts = await rolloutCounts(db, campaign);
  const decision = decideWave(campaign.rollout, campaign.currentWave, waveCount(campaign), counts, campaign.acknowledgedFailures);
  if (decision.action === 'suspend') {
    const reason = `Suspended automatically: ${decision.reason}`;
    await db.update(campaigns).set({ status: 'Suspended', suspendReason: reason, updatedAt: sql`now()` }).where(eq(campaigns.id, campaignId));
    await enqueueStatusChange(db, campaign, 'Suspended', actor, reason, true);
  } else if (decision.action === 'advance') {
    await openNextWave(db, campaign, actor);
    // The next wave may already meet its thresholds (e.g. all blocked): look again.
    return evaluateRollout(db, campaignId, actor).then((next) => (next.action === 'none' || next.action === 'wait' ? decision : next));
  } else if (decision.action === 'complete') {
    await db.update(campaigns).set({ status: 'Completed', suspendReason: null, updatedAt: sql`now()` }).where(eq(campaigns.id, campaignId));
    await enqueueStatusChange(db, campaign, 'Completed', actor, null, true);
  }
  return decision;
}

/**
 * The webhooks of a campaign's status change, in the caller's transaction: campaign.status_changed,
 * and campaign.suspended (with the reason) when it was suspended.
 */
export async function enqueueStatusChange(
  db: Queryable,
  campaign: Pick<Campaign, 'id' | 'name' | 'status'>,
  to: Campaign['status'],
  actor: string,
  reason: string | null,
  automatic = false,
): Promise<void> {
  const base = { campaignId: campaign.id, campaignName: campaign.name };
  await enqueueWebhook(db, 'campaign.status_changed', { ...base, from: campaign.status, to, actor, automatic, reason });
  if (to === 'Suspended') await enqueueWebhook(db, 'campaign.suspended', { ...base, reason: reason ?? '', automatic, actor });
}

/** Releases the wave after the current one; returns how many StartCampaign commands it queued. */
async function openNextWave(db: Queryable, campaign: Campaign, actor: string): Promise<number> {
  const next = campaign.currentWave + 1;
  await db.update(campaigns).set({ currentWave: next, acknowledgedFailures: 0, updatedAt: sql`now()` }).where(eq(campaigns.id, campaign.id));
  const queued = await releaseWave(db, { ...campaign, currentWave: next }, next, actor);
  await enqueueWaveStarted(db, campaign, next, queued, actor);
  return queued;
}

/** An operator starts the next wave (campaigns that do not advance on their own, or early). */
export async function startNextWave(db: Queryable, campaignId: number, actor: string, fromWave?: number): Promise<{ wave: number; queuedCommands: number }> {
  const campaign = await lockCampaign(db, campaignId);
  const count = waveCount(campaign);
  // The operator clicked while looking at `fromWave`: a second click, or a wave that started on
  // its own meanwhile, must not release one more.
  if (fromWave !== undefined && campaign.currentWave !== fromWave) {
    throw new DomainError('CONFLICT', `Wave ${campaign.currentWave + 1} of campaign ${campaignId} is already running (you were looking at wave ${fromWave + 1}); nothing was started. Look at the page again.`);
  }
  if (campaign.status !== 'Deployed') throw new DomainError('CONFLICT', `Campaign ${campaignId} is ${campaign.status}; ${campaign.status === 'Suspended' ? 'resume it before starting the next wave' : 'only a deployed campaign starts waves'}.`);
  if (campaign.currentWave + 1 >= count) {
    throw new DomainError('CONFLICT', `Campaign ${campaignId} is already in its last wave (wave ${campaign.currentWave + 1} of ${count}): there is no next wave to start.`);
  }
  const queuedCommands = await openNextWave(db, campaign, actor);
  return { wave: campaign.currentWave + 1, queuedCommands };
}

/**
 * Gives failed (and declined) vehicles another go: all of them, or those with one error code.
 * They go back to queued and get a new StartCampaign (their wave must be released).
 */
export async function retryVehicles(db: Queryable, campaignId: number, filter: { errorCode?: string | null }, actor: string): Promise<number> {
  return (await retryMembers(db, campaignId, filter, actor)).retried;
}

export type RetryResult = {
  /** Vehicles put back to queued. */
  retried: number;
  /** Fresh StartCampaign commands queued for those whose wave is released and whose configuration fits. */
  queuedCommands: number;
  /** Retried vehicles whose wave is not released yet: they get their command with their wave. */
  waitingForWave: number;
};

/** retryVehicles, also telling how many commands it queued. */
export async function retryMembers(db: Queryable, campaignId: number, filter: { errorCode?: string | null }, actor: string): Promise<RetryResult> {
  const campaign = await lockCampaign(db, campaignId);
  if (campaign.status === 'Cancelled' || campaign.status === 'Completed' || campaign.status === 'Draft') {
    throw new DomainError('CONFLICT', `campaign ${campaignId} is ${campaign.status}; only a deployed or suspended campaign retries vehicles`);
  }
  const matching = and(
    eq(campaignVehicles.campaignId, campaignId),
    inArray(campaignVehicles.phase, ['failed', 'declined']),
    filter.errorCode ? eq(campaignVehicles.lastErrorCode, filter.errorCode) : undefined,
  );
  // Failures of the current wave an operator acknowledged by resuming are gone once retried.
  const [current] = await db
    .select({ failed: sql<number>`count(*)::int`.mapWith(Number) })
    .from(campaignVehicles)
    .where(and(matching, eq(campaignVehicles.wave, campaign.currentWave), eq(campaignVehicles.phase, 'failed')));
  const retried = await db
    .update(campaignVehicles)
    .set({ phase: 'queued', progress: 0, lastErrorCode: null, declinedAt: null, retries: sql`${campaignVehicles.retries} + 1`, updatedAt: sql`now()` })
    .where(matching)
    .returning({ vin: campaignVehicles.vin, wave: campaignVehicles.wave });
  await forgetAcknowledgedFailures(db, campaign, current?.failed ?? 0);
  const released = retried.filter((r) => r.wave <= campaign.currentWave).map((r) => r.vin);
  let queuedCommands = 0;
  if (released.length) {
    // Their old StartCampaign is spent: a fresh one is queued.
    await db
      .update(commands)
      .set({ status: 'cancelled' })
      .where(and(eq(commands.campaignId, campaignId), sql`${commands.vin} = any(${textArray(released)})`, inArray(commands.status, ['pending', 'delivered'])));
    const verdicts = await checkMembers(db, campaign, released);
    const ready = released.filter((vin) => verdicts.get(vin)?.status === 'ok');
    if (ready.length) queuedCommands = await queueStartCampaign(db, campaignId, actor, ready);
  }
  return { retried: retried.length, queuedCommands, waitingForWave: retried.length - released.length };
}

/** Lowers the failures an operator acknowledged when `gone` of the current wave's failures no longer stand. */
async function forgetAcknowledgedFailures(db: Queryable, campaign: Campaign, gone: number): Promise<void> {
  if (!gone || !campaign.acknowledgedFailures) return;
  await db
    .update(campaigns)
    .set({ acknowledgedFailures: Math.max(0, campaign.acknowledgedFailures - gone) })
    .where(eq(campaigns.id, campaign.id));
}

/**
 * Takes one vehicle out of a campaign: C_18 answers Cancelled for it and its open commands are
 * withdrawn. A vehicle that completed stays completed. The thresholds are looked at again (the
 * wave has one vehicle fewer to wait for).
 */
export async function cancelVehicle(db: Queryable, campaignId: number, vin: string, actor = 'system'): Promise<{ fromPhase: Phase; withdrawnCommands: number }> {
  const campaign = await lockCampaign(db, campaignId);
  if (campaign.status === 'Cancelled' || campaign.status === 'Completed') {
    throw new DomainError('CONFLICT', `Campaign ${campaignId} is ${campaign.status}; its vehicles can no longer be cancelled.`);
  }
  const [member] = await db
    .select({ phase: campaignVehicles.phase, wave: campaignVehicles.wave })
    .from(campaignVehicles)
    .where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin)))
    .for('update');
  if (!member) throw notFound(`vehicle ${vin} in campaign ${campaignId}`);
  if (member.phase === 'cancelled') throw new DomainError('CONFLICT', `Vehicle ${vin} is already cancelled in campaign ${campaignId}.`);
  if (member.phase === 'completed') throw new DomainError('CONFLICT', `Vehicle ${vin} already completed campaign ${campaignId}; there is nothing left to cancel.`);
  await db
    .update(campaignVehicles)
    .set({ phase: 'cancelled', updatedAt: sql`now()` })
    .where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin)));
  const withdrawn = await db
    .update(commands)
    .set({ status: 'cancelled' })
    .where(and(eq(commands.campaignId, campaignId), eq(commands.vin, vin), inArray(commands.status, ['pending', 'delivered'])))
    .returning({ id: commands.id });
  if (member.phase === 'failed' && member.wave === campaign.currentWave) await forgetAcknowledgedFailures(db, campaign, 1);
  await evaluateRollout(db, campaignId, actor);
  return { fromPhase: member.phase, withdrawnCommands: withdrawn.length };
}
