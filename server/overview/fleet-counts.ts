import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Queryable } from '@/db/client';
import type { FleetCounts } from './schemas';

const rowSchema = z.object({
  registered: z.coerce.number(),
  seen_last_24h: z.coerce.number(),
  in_deployed: z.coerce.number(),
  completed_last_24h: z.coerce.number(),
  failed_in_deployed: z.coerce.number(),
  declined_in_deployed: z.coerce.number(),
  as_of: z.coerce.date(),
});

/**
 * The overview's fleet figures in one statement. "Completed in the last 24 h" counts each
 * vehicle and campaign whose update-complete report (C_35) arrived in that window and whose
 * phase is completed (a late report after a refusal does not count).
 */
export async function countFleet(db: Queryable): Promise<FleetCounts> {
  const [row] = await queryRows<unknown>(
    db,
    sql`
    with members as (
      -- Each vehicle of a deployed campaign once, in one pass over campaign_vehicles_vin_idx.
      select cv.vin, bool_or(cv.phase = 'failed') as failed, bool_or(cv.phase = 'declined') as declined
      from campaign_vehicles cv
      where cv.campaign_id = any(array(select id from campaigns where status = 'Deployed'))
      group by cv.vin
    )
    select
      (select count(*) from vehicles)::int as registered,
      (select count(*) from vehicles where last_seen_at >= now() - interval '24 hours')::int as seen_last_24h,
      m.in_deployed, m.failed_in_deployed, m.declined_in_deployed,
      (select count(*) from (
        select distinct e.vin, e.campaign_id
        from events e
        join campaign_vehicles cv on cv.campaign_id = e.campaign_id and cv.vin = e.vin
        where e.code = 'C_35' and e.received_at >= now() - interval '24 hours' and cv.phase = 'completed'
      ) done)::int as completed_last_24h,
      now() as as_of
    from (
      select count(*)::int as in_deployed, (count(*) filter (where failed))::int as failed_in_deployed, (count(*) filter (where declined))::int as declined_in_deployed
      from members
    ) m`,
  );
  const r = rowSchema.parse(row);
  return {
    registered: r.registered,
    seenLast24h: r.seen_last_24h,
    inDeployedCampaign: r.in_deployed,
    completedLast24h: r.completed_last_24h,
    failedInDeployedCampaigns: r.failed_in_deployed,
    declinedInDeployedCampaigns: r.declined_in_deployed,
    asOf: r.as_of,
  };
}
