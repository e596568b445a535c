import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles } from '@/db/schema';
import { readCampaignTallies, summarize } from '../rollout/wave-counts';
import { phaseLiterals } from './phase-sql';
import { activePhases, finalPhases } from './vehicle-phase';

// SQL conditions over campaign_vehicles (and, for stalled, campaigns joined on it), shared by
// the funnel's counts, the wave progress, the vehicle table's filters and its CSV.

/** Not offered the campaign: its last known configuration does not meet the preconditions (and it has not finished). */
export const isBlocked: SQL = sql`(${campaignVehicles.blockedReason} is not null and ${campaignVehicles.phase} not in (${phaseLiterals(finalPhases)}))`;

/**
 * Silent too long on its way: an active phase whose last event (or, before any, the last change)
 * is older than the campaign's stallAfterMinutes, in a campaign that still runs.
 */
export const isStalled: SQL = sql`(${campaigns.status} in ('Deployed', 'Suspended') and ${campaignVehicles.phase} in (${phaseLiterals(activePhases)})
  and coalesce(${campaignVehicles.lastEventAt}, ${campaignVehicles.updatedAt}) < now() - make_interval(mins => ${campaigns.stallAfterMinutes}))`;

/** How many of a campaign's vehicles are blocked (from its wave counters) and how many stalled (a query over the vehicles on their way). */
export async function countAttention(db: Queryable, campaignId: number): Promise<{ blocked: number; stalled: number }> {
  const { blocked } = summarize(await readCampaignTallies(db, campaignId));
  const [row] = await db
    .select({ stalled: sql<number>`count(*)::int`.mapWith(Number) })
    .from(campaignVehicles)
    .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
    .where(and(eq(campaignVehicles.campaignId, campaignId), isStalled));
  return { blocked, stalled: row?.stalled ?? 0 };
}
