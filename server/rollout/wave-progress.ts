import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles, type RolloutPlan } from '@/db/schema';
import { isStalled } from '../campaigns/attention';
import { notFound } from '../errors';
import { waveCount as engineWaveCount } from './engine';
import { readCampaignTallies, summarize, thresholdInputs, type WaveSummary, type WaveTally } from './wave-counts';
import { decideWave, thresholdCounts, waveSizes, type WaveDecision } from './waves';

export type WaveState = 'released' | 'current' | 'waiting';

export type WaveCountsRow = WaveSummary & {
  wave: number;
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

const emptyRow = (wave: number): WaveCountsRow => ({ wave, vehicles: 0, eligible: 0, completed: 0, failed: 0, declined: 0, cancelled: 0, blocked: 0, notStarted: 0, inProgress: 0, stalled: 0 });

/** How many of a campaign's vehicles are stalled, per wave: time-dependent, so a query (over the vehicles on their way only, indexed). */
export async function countStalledByWave(db: Queryable, campaignId: number): Promise<Map<number, number>> {
  const rows = await db
    .select({ wave: campaignVehicles.wave, n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(campaignVehicles)
    .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
    .where(and(eq(campaignVehicles.campaignId, campaignId), isStalled))
    .groupBy(campaignVehicles.wave);
  return new Map(rows.map((r) => [r.wave, r.n]));
}

/** Each wave's counts (waves without vehicles left out), from the campaign's wave counters and its stalled vehicles. */
function waveRows(tallies: WaveTally[], stalled: Map<number, number>): WaveCountsRow[] {
  const waves = [...new Set(tallies.map((t) => t.wave))].sort((a, b) => a - b);
  return waves.map((wave) => ({ wave, ...summarize(tallies.filter((t) => t.wave === wave)), stalled: stalled.get(wave) ?? 0 }));
}

/**
 * A campaign's rollout as the operator watches it: each wave with its plan, state (released,
 * current, waiting) and live counts; the current wave against its thresholds; the engine's
 * next step. A draft shows the planned split (vehicles are put in waves when it is deployed).
 */
export async function waveProgress(db: Queryable, campaignId: number): Promise<WaveProgress> {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw notFound(`campaign ${campaignId}`);
  const tallies = await readCampaignTallies(db, campaignId);
  const rows = waveRows(tallies, await countStalledByWave(db, campaignId));
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
  // The engine's own inputs and wave count: the page says what the engine will decide.
  const next: WaveDecision =
    campaign.status === 'Deployed'
      ? decideWave(plan, campaign.currentWave, engineWaveCount(campaign), thresholdInputs(tallies, campaign.currentWave, campaign.reofferDeclinedAfterHours !== null), campaign.acknowledgedFailures)
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
