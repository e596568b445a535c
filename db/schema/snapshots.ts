import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns';

/**
 * Aggregates of the whole fleet that cost a pass over large tables, computed at most every few
 * seconds by whichever instance is asked first and shared by all (server/overview/fleet-counts.ts).
 * `computed_at` is the moment the figures describe; the dashboard shows it.
 */
export const dashboardSnapshots = pgTable('dashboard_snapshots', {
  name: text('name').primaryKey(),
  data: jsonb('data').notNull(),
  computedAt: tstz('computed_at').notNull(),
});
