import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { logger } from '../logging/logger';
import { metrics } from './registry';

/**
 * The gauges read from the database at scrape time, in three cheap statements: campaigns by
 * status, the deployed campaigns' vehicles by phase (their wave counters, never a count of
 * campaign_vehicles), the outbox by status and, on PostgreSQL, this instance's connections.
 */
export async function collectDatabaseGauges(db: Db, driver: 'pglite' | 'postgres', poolSize: number): Promise<void> {
  const m = metrics();
  m.dbPoolSize.set(driver === 'postgres' ? poolSize : 1);
  try {
    const [row] = await queryRows<{ campaigns: { status: string; n: number }[] | null; phases: { id: number; phase: string; n: number }[] | null; outbox: { status: string; n: number }[] | null }>(
      db,
      sql`select
        (select json_agg(json_build_object('status', status, 'n', n)) from (select status, count(*)::int as n from campaigns group by status) s) as campaigns,
        (select json_agg(json_build_object('id', campaign_id, 'phase', phase, 'n', n)) from (
          select t.campaign_id, t.phase, sum(t.n)::int as n
          from (select campaign_id, phase, n from campaign_wave_counts union all select campaign_id, phase, n from campaign_wave_count_changes) t
          join campaigns c on c.id = t.campaign_id and c.status = 'Deployed'
          group by t.campaign_id, t.phase having sum(t.n) <> 0) p) as phases,
        (select json_agg(json_build_object('status', status, 'n', n)) from (select status, count(*)::int as n from webhook_deliveries where status <> 'delivered' group by status) o) as outbox`,
    );
    m.campaigns.reset();
    for (const status of ['Draft', 'Deployed', 'Suspended', 'Cancelled', 'Completed']) m.campaigns.set({ status }, 0);
    for (const c of row?.campaigns ?? []) m.campaigns.set({ status: c.status }, c.n);
    m.campaignVehicles.reset();
    for (const p of row?.phases ?? []) m.campaignVehicles.set({ campaign_id: String(p.id), phase: p.phase }, p.n);
    m.webhookBacklog.reset();
    m.webhookBacklog.set({ status: 'pending' }, 0);
    m.webhookBacklog.set({ status: 'failed' }, 0);
    for (const o of row?.outbox ?? []) m.webhookBacklog.set({ status: o.status }, o.n);
    if (driver === 'postgres') {
      const connections = await queryRows<{ state: string | null; n: number }>(
        db,
        sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
            where datname = current_database() and application_name = current_setting('application_name') group by 1`,
      );
      m.dbConnections.reset();
      for (const c of connections) m.dbConnections.set({ state: c.state ?? 'unknown' }, Number(c.n));
    }
    m.dbUp.set(1);
  } catch (error) {
    m.dbUp.set(0);
    logger.warn({ err: error }, 'metrics: the database could not be read');
  }
}
