import { count, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaignVehicles } from '@/db/schema';
import { phases, type Phase } from './vehicle-phase';

export type PhaseCounts = Record<Phase, number> & { total: number };

export const emptyCounts = (): PhaseCounts => ({ ...(Object.fromEntries(phases.map((p) => [p, 0])) as Record<Phase, number>), total: 0 });

/** How many vehicles of each campaign are in each phase: one grouped query. */
export async function phaseCountsByCampaign(db: Queryable, campaignIds: number[]): Promise<Map<number, PhaseCounts>> {
  const result = new Map<number, PhaseCounts>(campaignIds.map((id) => [id, emptyCounts()]));
  if (!campaignIds.length) return result;
  const rows = await db
    .select({ campaignId: campaignVehicles.campaignId, phase: campaignVehicles.phase, n: count() })
    .from(campaignVehicles)
    .where(inArray(campaignVehicles.campaignId, campaignIds))
    .groupBy(campaignVehicles.campaignId, campaignVehicles.phase);
  for (const r of rows) {
    const counts = result.get(r.campaignId)!;
    counts[r.phase] += r.n;
    counts.total += r.n;
  }
  return result;
}

/** Share of a campaign's vehicles that completed, in percent. */
export const completion = (c: PhaseCounts) => (c.total ? (100 * c.completed) / c.total : 0);
