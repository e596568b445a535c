import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Queryable } from '@/db/client';
import type { EventsPerHour } from './schemas';

const rowSchema = z.object({ hour: z.coerce.date(), progress: z.coerce.number(), failures: z.coerce.number(), total: z.coerce.number() });

/**
 * Events received in each of the last `hours` hours (the current one last, every hour present
 * even without events), split as the database's trigger on events counts them as they arrive
 * (event_hour_counts: a failure is a vehicle error C_28 or a refusal; a step any other
 * classified event but C_01). Reads hours × 3 kinds × the database sessions that wrote in
 * each hour (one shard each), whatever the traffic.
 */
export async function countEventsPerHour(db: Queryable, input: { hours: number }): Promise<EventsPerHour> {
  const back = input.hours - 1;
  const rows = await queryRows<unknown>(
    db,
    sql`
    with hours as (
      select generate_series(date_trunc('hour', now()) - ${back}::int * interval '1 hour', date_trunc('hour', now()), interval '1 hour') as hour
    ),
    counted as (
      select hour,
        sum(events) filter (where kind = 'failure') as failures,
        sum(events) filter (where kind = 'progress') as progress,
        sum(events) as total
      from event_hour_counts
      where hour >= date_trunc('hour', now()) - ${back}::int * interval '1 hour'
      group by 1
    )
    select h.hour, coalesce(c.progress, 0)::int as progress, coalesce(c.failures, 0)::int as failures, coalesce(c.total, 0)::int as total
    from hours h
    left join counted c on c.hour = h.hour
    order by h.hour`,
  );
  const buckets = rows.map((raw) => {
    const r = rowSchema.parse(raw);
    return { hour: r.hour, progress: r.progress, failures: r.failures, other: r.total - r.progress - r.failures, total: r.total };
  });
  return { buckets, total: buckets.reduce((sum, b) => sum + b.total, 0) };
}
