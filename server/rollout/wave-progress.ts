import { eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles, type RolloutPlan } from '@/db/schema';
import { isBlocked, isStalled } from '../campaigns/attention';
import { activePhases } from '../campaigns/vehicle-phase';
import { notFound } from '../errors';
import { decideWave, thresholdCounts, waveSizes, type WaveDecision } from './waves';

export type WaveState = 'released' | 'current' | 'waiting';

export type WaveCountsRow = {
  wave: number;
  /** Vehicles in the wave. */
  vehicles: number;
  /** The engine's denominator: not blocked, not cancelled. */
  eligible: number;
  completed: number;
  failed: number;
  declined: number;
  cancelled: number;
  /** Not offered: configuration does not meet the preconditions (not finished). */
  blocked: number;
  /** Offered, but the vehicle has not picked up its StartCampaign yet. */
  notStarted: number;
  /** On their way (command delivered … activating), not blocked. */
  inProgress: number;
  /** Silent longer than the campaign's stall time in an active phase. */
  stalled: number;
};

export type WaveProgress = {
  status: (typeof campaigns.$inferSelect)['status'];
  plan: RolloutPlan;
  currentWave: number;
  waveCount: number;
  acknowledgedFailures: number;
  waves: (WaveCountsRow & { plan: RolloutPlan['waves'][number] | null; state: WaveState })[];
  /** The current wave against its thresholds, as the engine reads them. */
  current: { wave: number; eligible: number; completed: number; failed: number; newFailures: number; successNeeded: number; failuresToSuspend: number };
  /** What the engine does next (only for a deployed campaign; else none). */
  next: WaveDecision;
};

const n = (condition: SQL) => sql<number>`count(*) filter (where ${condition})::int`.mapWith(Number);
const emptyRow = (wave: number): WaveCountsRow => ({ wave, vehicles: 0, eligible: 0, completed: 0, failed: 0, declined: 0, cancelled: 0, blocked: 0, notStarted: 0, inProgress: 0, stalled: 0 });

/** Each wave's counts of one campaign: one grouped query over its vehicles. */
export async function countWaves(db: Queryable, campaignId: number): Promise<WaveCountsRow[]> {
  const cv = campaignVehicles;
  return db
    .select({
      wave: cv.wave,
      vehicles: sql<number>`count(*)::int`.mapWith(Number),
      eligible: n(sql`${cv.blockedReason} is null and ${cv.phase} <> 'cancelled'`),
      completed: n(sql`${cv.phase} = 'completed'`),
      failed: n(sql`${cv.phase} = 'failed'`),
      declined: n(sql`${cv.phase} = 'declined'`),
      cancelled: n(sql`${cv.phase} = 'cancelled'`),
      blocked: n(isBlocked),
      notStarted: n(sql`${cv.blockedReason} is null and ${cv.phase} = 'queued'`),
      inProgress: n(sql`${cv.blockedReason} is null and ${cv.phase} in ${activePhases}`),
      stalled: n(isStalled),
    })
    .from(cv)
    .innerJoin(campaigns, eq(campaigns.id, cv.campaignId))
    .where(eq(cv.campaignId, campaignId))
    .groupBy(cv.wave)
    .orderBy(cv.wave);
}

/**
 * A campaign's rollout as the operator watches it: each wave with its plan, state (released,
 * current, waiting) and live counts; the current wave against its thresholds; the engine's
 * next step. A draft shows the planned split (vehicles are put in waves when it is deployed).
 */
export async function waveProgress(db: Queryable, campaignId: number): Promise<WaveProgress> {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw notFound(`campaign ${campaignId}`);
  const rows = await countWaves(db, campaignId);
  const plan = campaign.rollout;
  const waveCount = Math.max(plan.waves.length, 1, ...rows.map((r) => r.wave + 1));
  const byWave = new Map(rows.map((r) => [r.wave, r]));
  const total = rows.reduce((sum, r) => sum + r.vehicles, 0);
  const planned = campaign.status === 'Draft' ? waveSizes(total, plan) : null;

  const waves = Array.from({ length: waveCount }, (_, wave) => {
    const counts: WaveCountsRow = planned ? { ...emptyRow(wave), vehicles: planned[wave] ?? 0, notStarted: planned[wave] ?? 0 } : (byWave.get(wave) ?? emptyRow(wave));
    const running = campaign.status === 'Deployed' || campaign.status === 'Suspended';
    const state: WaveState = campaign.status === 'Draft' || wave > campaign.currentWave ? 'waiting' : wave === campaign.currentWave && running ? 'current' : 'released';
    return { ...counts, plan: plan.waves[wave] ?? null, state };
  });

  const cur = waves[Math.min(campaign.currentWave, waveCount - 1)]!;
  const newFailures = Math.max(0, cur.failed - campaign.acknowledgedFailures);
  const campaignInProgress = waves.reduce((sum, w) => sum + w.notStarted + w.inProgress, 0);
  const campaignFailed = waves.reduce((sum, w) => sum + w.failed, 0);
  const next: WaveDecision =
    campaign.status === 'Deployed'
      ? decideWave(plan, campaign.currentWave, waveCount, { eligible: cur.eligible, completed: cur.completed, failed: cur.failed, inProgress: cur.notStarted + cur.inProgress, campaignInProgress, campaignFailed }, campaign.acknowledgedFailures)
      : { action: 'none' };

  return {
    status: campaign.status,
    plan,
    currentWave: campaign.currentWave,
    waveCount,
    acknowledgedFailures: campaign.acknowledgedFailures,
    waves,
    current: { wave: cur.wave, eligible: cur.eligible, completed: cur.completed, failed: cur.failed, newFailures, ...thresholdCounts(plan, cur.eligible) },
    next,
  };
}
