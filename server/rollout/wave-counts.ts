import { sql } from 'drizzle-orm';
import { FixedStatement, type Queryable } from '@/db/client';
import type { Phase } from '@/db/schema';
import { isActivePhase, isFinalPhase } from '../campaigns/vehicle-phase';
import type { WaveCounts } from './waves';

/**
 * The one counting source of a campaign's vehicles: per wave, phase and blocked state, kept by
 * a trigger on campaign_vehicles (drizzle/0007_wave_counter_trigger.sql) in the transaction of
 * every change. A change appends to campaign_wave_count_changes (O(1), locking nothing another
 * writer holds); `foldWaveCounts` moves those rows into campaign_wave_counts under the
 * campaign's row lock; a reader sums both in one statement, so it always sees every committed
 * change exactly once. The rollout engine's thresholds, the wave view and the funnel all read
 * `readWaveTallies`: none of them re-counts the campaign's vehicles.
 */

/** How many of a campaign's vehicles are in one wave and phase, blocked (a blocked reason recorded) or not. */
export type WaveTally = { wave: number; phase: Phase; blocked: boolean; n: number };

const talliesOf = new FixedStatement(
  ['ids'],
  (p) => sql`select campaign_id, wave, phase, blocked, sum(n)::int as n from (
      select campaign_id, wave, phase, blocked, n from campaign_wave_counts where campaign_id = any(${p.ids}::int[])
      union all
      select campaign_id, wave, phase, blocked, n from campaign_wave_count_changes where campaign_id = any(${p.ids}::int[])
    ) t
    group by campaign_id, wave, phase, blocked
    having sum(n) <> 0
    order by campaign_id, wave, phase, blocked`,
);

/** Each campaign's tallies (an empty list for a campaign without vehicles): one statement. */
export async function readWaveTallies(db: Queryable, campaignIds: number[]): Promise<Map<number, WaveTally[]>> {
  const result = new Map<number, WaveTally[]>(campaignIds.map((id) => [id, []]));
  if (!campaignIds.length) return result;
  const rows = await talliesOf.rows<WaveTally & { campaign_id: number }>(db, { ids: `{${campaignIds.map(Number).join(',')}}` });
  for (const { campaign_id, ...tally } of rows) result.get(Number(campaign_id))?.push({ ...tally, wave: Number(tally.wave), n: Number(tally.n) });
  return result;
}

/** One campaign's tallies. */
export async function readCampaignTallies(db: Queryable, campaignId: number): Promise<WaveTally[]> {
  return (await readWaveTallies(db, [campaignId])).get(campaignId) ?? [];
}

/**
 * Folds the campaign's appended changes into its counts. Run it holding the campaign's row
 * lock (FOR NO KEY UPDATE), as the engine and the sweep do: two folds of one campaign never
 * run at once, so they cannot deadlock on each other's rows.
 */
export async function foldWaveCounts(db: Queryable, campaignId: number): Promise<void> {
  await foldWaveCountsStatement.rows(db, { campaignId });
}

/** foldWaveCounts' statement (for a transaction's COMMIT tail). */
export const foldWaveCountsStatement = new FixedStatement(
  ['campaignId'],
  (p) => sql`with gone as (
      delete from campaign_wave_count_changes where campaign_id = ${p.campaignId}::int returning wave, phase, blocked, n
    )
    insert into campaign_wave_counts as c (campaign_id, wave, phase, blocked, n)
    select ${p.campaignId}::int, wave, phase, blocked, sum(n)::int from gone group by wave, phase, blocked having sum(n) <> 0
    on conflict (campaign_id, wave, phase, blocked) do update set n = c.n + excluded.n`,
);

/** The counts of one wave (or of the whole campaign) that the page shows and the thresholds read. */
export type WaveSummary = {
  /** Vehicles in the wave. */
  vehicles: number;
  /** The thresholds' denominator: not blocked, not cancelled. */
  eligible: number;
  completed: number;
  failed: number;
  declined: number;
  cancelled: number;
  /** Not offered: the configuration does not meet the preconditions (not finished). */
  blocked: number;
  /** Offered, but the vehicle has not picked up its StartCampaign yet. */
  notStarted: number;
  /** On their way (command delivered … activating), not blocked. */
  inProgress: number;
};


/** Adds tallies up (pure): pass one wave's tallies for the wave, all of them for the campaign. */
export function summarize(tallies: WaveTally[]): WaveSummary {
  const s: WaveSummary = { vehicles: 0, eligible: 0, completed: 0, failed: 0, declined: 0, cancelled: 0, blocked: 0, notStarted: 0, inProgress: 0 };
  for (const { phase, blocked, n } of tallies) {
    s.vehicles += n;
    if (!blocked && phase !== 'cancelled') s.eligible += n;
    if (phase === 'completed') s.completed += n;
    if (phase === 'failed') s.failed += n;
    if (phase === 'declined') s.declined += n;
    if (phase === 'cancelled') s.cancelled += n;
    if (blocked && !isFinalPhase(phase)) s.blocked += n;
    if (!blocked && phase === 'queued') s.notStarted += n;
    if (!blocked && isActivePhase(phase)) s.inProgress += n;
  }
  return s;
}

/**
 * The inputs of decideWave (pure), from the campaign's tallies: the current wave's, and the
 * whole campaign's that decide whether it is complete. The engine and the wave view both call it.
 */
export function thresholdInputs(tallies: WaveTally[], currentWave: number, reoffersDeclines: boolean): WaveCounts {
  const wave = summarize(tallies.filter((t) => t.wave === currentWave));
  const campaign = summarize(tallies);
  return {
    eligible: wave.eligible,
    completed: wave.completed,
    failed: wave.failed,
    campaignInProgress: campaign.notStarted + campaign.inProgress,
    campaignFailed: campaign.failed,
    campaignBlocked: campaign.blocked,
    campaignReofferDeclined: reoffersDeclines ? campaign.declined : 0,
  };
}
