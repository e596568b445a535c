import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Queryable } from '@/db/client';
import { phases } from '../campaigns/vehicle-phase';
import type { RecentFailure } from './schemas';

const rowSchema = z.object({
  source: z.enum(['campaign', 'vehicle-error']),
  vin: z.string(),
  campaign_id: z.coerce.number().nullable(),
  campaign_name: z.string().nullable(),
  phase: z.enum(phases).nullable(),
  codes: z.array(z.string()).nullable(),
  last_error_code: z.string().nullable(),
  at: z.coerce.date().nullable(),
});

/** How far back vehicle error reports (C_28) are listed. */
export const VEHICLE_ERROR_DAYS = 7;

/**
 * The latest trouble, newest first: vehicles whose phase in a deployed or suspended campaign is
 * failed or declined (with every error code their events of that campaign carried), and vehicle
 * error reports (C_28) of the last week that are not already one of those.
 */
export async function listRecentFailures(db: Queryable, input: { limit: number }): Promise<RecentFailure[]> {
  const rows = await queryRows<unknown>(
    db,
    sql`
    with failed as (
      select cv.vin, cv.campaign_id, c.name as campaign_name, cv.phase, cv.last_error_code, cv.last_event_at as at
      from campaigns c
      join campaign_vehicles cv on cv.campaign_id = c.id
      where c.status in ('Deployed', 'Suspended') and cv.phase in ('failed', 'declined')
      order by cv.last_event_at desc nulls last, cv.vin
      limit ${input.limit}
    ),
    reported as (
      -- Grouped from the C_28 rows alone (a partial index), then the few newest kept.
      select g.vin, g.campaign_id, g.at
      from (
        select e.vin, e.campaign_id, max(e.received_at) as at
        from events e
        where e.code = 'C_28' and e.received_at >= now() - ${VEHICLE_ERROR_DAYS}::int * interval '1 day'
        group by e.vin, e.campaign_id
      ) g
      where not exists (
        select 1 from campaign_vehicles cv join campaigns c on c.id = cv.campaign_id
        where cv.vin = g.vin and cv.campaign_id = g.campaign_id
          and cv.phase in ('failed', 'declined') and c.status in ('Deployed', 'Suspended')
      )
      order by g.at desc
      limit ${input.limit}
    )
    select * from (
      select 'campaign' as source, f.vin, f.campaign_id, f.campaign_name, f.phase, f.last_error_code, f.at,
        (select jsonb_agg(distinct x.code)
           from events e cross join lateral jsonb_array_elements_text(e.error_codes) as x(code)
           where e.vin = f.vin and e.campaign_id = f.campaign_id) as codes
      from failed f
      union all
      select 'vehicle-error', r.vin, r.campaign_id, c.name, cv.phase, null, r.at,
        (select coalesce(jsonb_agg(distinct x.code) filter (where x.code is not null), '[]'::jsonb)
           from events e cross join lateral jsonb_array_elements_text(e.error_codes) as x(code)
           where e.vin = r.vin and e.campaign_id is not distinct from r.campaign_id and e.code = 'C_28'
             and e.received_at >= now() - ${VEHICLE_ERROR_DAYS}::int * interval '1 day') as codes
      from reported r
      left join campaigns c on c.id = r.campaign_id
      left join campaign_vehicles cv on cv.campaign_id = r.campaign_id and cv.vin = r.vin
    ) trouble
    order by at desc nulls last, vin
    limit ${input.limit}`,
  );
  return rows.map((raw) => {
    const r = rowSchema.parse(raw);
    const codes = new Set(r.codes ?? []);
    // The phase machine's own code (e.g. C_10_REJECTED) when no event carried one.
    if (r.last_error_code && !codes.size) codes.add(r.last_error_code);
    return {
      source: r.source,
      vin: r.vin,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      phase: r.phase,
      errorCodes: [...codes].sort(),
      at: r.at,
    };
  });
}
