import type { Queryable } from '@/db/client';
import { readWaveTallies } from '../rollout/wave-counts';
import { phases, type Phase } from './vehicle-phase';

export type PhaseCounts = Record<Phase, number> & { total: number };

export const emptyCounts = (): PhaseCounts => ({ ...(Object.fromEntries(phases.map((p) => [p, 0])) as Record<Phase, number>), total: 0 });

/** How many vehicles of each campaign are in each phase, from the campaigns' wave counters (one statement). */
export async function phaseCountsByCampaign(db: Queryable, campaignIds: number[]): Promise<Map<number, PhaseCounts>> {
  const result = new Map<number, PhaseCounts>(campaignIds.map((id) => [id, emptyCounts()]));
  for (const [campaignId, tallies] of await readWaveTallies(db, campaignIds)) {
    const counts = result.get(campaignId)!;
    for (const { phase, n } of tallies) {
      counts[phase] += n;
      counts.total += n;
    }
  }
  return result;
}

/** Share of a campaign's vehicles that completed, in percent. */
export const completion = (c: PhaseCounts) => (c.total ? (100 * c.completed) / c.total : 0);
