import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db, type Queryable } from '@/db/client';
import { logger } from '../logging/logger';
import type { FleetCounts } from './schemas';

/** How old the overview's fleet figures may be before the next reader refreshes them. */
export const FLEET_COUNTS_MAX_AGE_MS = 15_000;
const SNAPSHOT = 'overview.fleet';

const countsSchema = z.object({
  registered: z.coerce.number(),
  seen_last_24h: z.coerce.number(),
  in_deployed: z.coerce.number(),
  completed_last_24h: z.coerce.number(),
  failed_in_deployed: z.coerce.number(),
  declined_in_deployed: z.coerce.number(),
});
const rowSchema = z.object({ data: countsSchema, computed_at: z.coerce.date(), stale: z.boolean().optional() });
type Row = z.infer<typeof rowSchema>;

/**
 * The overview's fleet figures. They take a pass over every member of the deployed campaigns
 * and over the last day's C_35 reports (≈ 200 ms at 100,000 vehicles), too much for a page
 * that re-reads them every 10 s in every open browser. So they are kept as a snapshot in
 * `dashboard_snapshots`, shared by every instance: a reader gets the stored figures and their
 * time (`asOf`) in one primary-key read; when they are older than `maxAgeMs` the reader still
 * gets them, and one instance recomputes them in the background for the next reader. With
 * `maxAgeMs: 0`, or when there is no snapshot yet, the figures are counted now.
 */
export async function countFleet(db: Db, { maxAgeMs = FLEET_COUNTS_MAX_AGE_MS }: { maxAgeMs?: number } = {}): Promise<FleetCounts> {
  if (maxAgeMs <= 0) return toCounts(await refreshFleetCounts(db));
  const [stored] = await queryRows<unknown>(
    db,
    sql`select data, computed_at, computed_at < now() - make_interval(secs => ${maxAgeMs / 1000}) as stale from dashboard_snapshots where name = ${SNAPSHOT}`,
  );
  if (!stored) return toCounts(await refreshFleetCounts(db));
  const row = rowSchema.parse(stored);
  if (row.stale) refreshInBackground(db);
  return toCounts(row);
}

const REFRESHING = Symbol.for('ota.overview.fleet-refreshing');
type RefreshGlobal = typeof globalThis & { [REFRESHING]?: boolean };

/**
 * One background refresh per process at a time; across instances the advisory lock lets one
 * count while the others keep serving the stored figures. A failure is logged and the next
 * stale read tries again.
 */
function refreshInBackground(db: Db): void {
  const g = globalThis as RefreshGlobal;
  if (g[REFRESHING]) return;
  g[REFRESHING] = true;
  db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(hashtext(${SNAPSHOT})) as locked`);
    if (lock?.locked) await refreshFleetCounts(tx);
  })
    .catch((error: unknown) => logger.error({ err: error }, 'overview: refreshing the fleet figures failed'))
    .finally(() => {
      g[REFRESHING] = false;
    });
}

/**
 * Counts the fleet in one statement and stores the result as the snapshot. "Completed in the
 * last 24 h" counts each vehicle and campaign whose update-complete report (C_35) arrived in that
 * window and whose phase is completed (a late report after a refusal does not count).
 */
export async function refreshFleetCounts(db: Queryable): Promise<Row> {
  const [row] = await queryRows<unknown>(
    db,
    sql`
    with members as (
      -- Each vehicle of a deployed campaign once, in one pass over campaign_vehicles_vin_idx.
      select cv.vin, bool_or(cv.phase = 'failed') as failed, bool_or(cv.phase = 'declined') as declined
      from campaign_vehicles cv
      where cv.campaign_id = any(array(select id from campaigns where status = 'Deployed'))
      group by cv.vin
    ), counted as (
      select json_build_object(
        'registered', (select count(*) from vehicles),
        'seen_last_24h', (select count(*) from vehicles where last_seen_at >= now() - interval '24 hours'),
        'in_deployed', m.in_deployed,
        'failed_in_deployed', m.failed_in_deployed,
        'declined_in_deployed', m.declined_in_deployed,
        'completed_last_24h', (select count(*) from (
          select distinct e.vin, e.campaign_id
          from events e
          join campaign_vehicles cv on cv.campaign_id = e.campaign_id and cv.vin = e.vin
          where e.code = 'C_35' and e.received_at >= now() - interval '24 hours' and cv.phase = 'completed'
        ) done)
      ) as data
      from (
        select count(*) as in_deployed, count(*) filter (where failed) as failed_in_deployed, count(*) filter (where declined) as declined_in_deployed
        from members
      ) m
    )
    insert into dashboard_snapshots (name, data, computed_at)
    select ${SNAPSHOT}, data, now() from counted
    on conflict (name) do update set data = excluded.data, computed_at = excluded.computed_at
    returning data, computed_at`,
  );
  return rowSchema.parse(row);
}

function toCounts({ data, computed_at }: Row): FleetCounts {
  return {
    registered: data.registered,
    seenLast24h: data.seen_last_24h,
    inDeployedCampaign: data.in_deployed,
    completedLast24h: data.completed_last_24h,
    failedInDeployedCampaigns: data.failed_in_deployed,
    declinedInDeployedCampaigns: data.declined_in_deployed,
    asOf: computed_at,
  };
}
