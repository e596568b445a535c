import { count, desc, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, type CampaignStatus } from '@/db/schema';
import { completion, phaseCountsByCampaign, type PhaseCounts } from '../campaigns/progress';
import type { ActiveCampaigns } from './schemas';

/** Campaigns whose vehicles may still be updating: deployed, or suspended for now. */
export const activeStatuses: CampaignStatus[] = ['Deployed', 'Suspended'];

const inProgress = (c: PhaseCounts) => c.command_delivered + c.config_uploaded + c.consented + c.downloading + c.downloaded + c.installing + c.activating;

/** Deployed campaigns first (then suspended), highest priority first, each with its vehicles' phases (one grouped query). */
export async function listActiveCampaigns(db: Queryable, input: { limit: number }): Promise<ActiveCampaigns> {
  const rows = await db
    .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status, priority: campaigns.priority })
    .from(campaigns)
    .where(inArray(campaigns.status, activeStatuses))
    .orderBy(sql`case when ${campaigns.status} = 'Deployed' then 0 else 1 end`, desc(campaigns.priority), desc(campaigns.id))
    .limit(input.limit);
  const [{ n: total } = { n: 0 }] = await db.select({ n: count() }).from(campaigns).where(inArray(campaigns.status, activeStatuses));
  const counts = await phaseCountsByCampaign(
    db,
    rows.map((r) => r.id),
  );
  return {
    total,
    campaigns: rows.map((r) => {
      const c = counts.get(r.id)!;
      return {
        ...r,
        vehicles: c.total,
        queued: c.queued,
        inProgress: inProgress(c),
        completed: c.completed,
        failed: c.failed,
        declined: c.declined,
        cancelled: c.cancelled,
        completionPercent: completion(c),
      };
    }),
  };
}
