import { and, asc, eq, gt, ilike, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { likeEscape, type Queryable } from '@/db/client';
import { vehicles } from '@/db/schema';
import { csvStream } from '../csv/csv-stream';
import { rxswinEntries } from './snapshot-diff';

/** A vehicle as the fleet list and its export show it. */
export const vehicleRowColumns = {
  vin: vehicles.vin,
  primaryId: vehicles.primaryId,
  model: vehicles.model,
  region: vehicles.region,
  rmState: vehicles.rmState,
  lastSeenAt: vehicles.lastSeenAt,
};

/** Fleet inventory: which vehicles run an RXSWIN, or a version on an ECU (the vehicle list's filters and its export). */
export const inventoryFilterSchema = z.object({
  q: z.string().trim().max(64).optional(),
  model: z.string().trim().max(100).optional(),
  region: z.string().trim().max(100).optional(),
  /** Part of an RXSWIN the vehicle runs now, any case. */
  rxswin: z.string().trim().max(100).optional(),
  /** An ECU the vehicle has … */
  ecuId: z.string().trim().max(64).optional(),
  /** … running exactly this version (with ecuId: on that ECU; without: on any ECU). */
  ecuVersion: z.string().trim().max(100).optional(),
});
export type InventoryFilter = z.infer<typeof inventoryFilterSchema>;

/**
 * The RXSWIN a vehicle runs now: what a completed update should have left while the vehicle has
 * not uploaded its configuration since, else its latest configuration upload's.
 */
export const currentRxswin = sql`coalesce(
  case when ${vehicles.configUploadRequestedAt} is not null then ${vehicles.expectedConfig}->'rxswin' end,
  (select cs.rxswin from config_snapshots cs where cs.vin = "vehicles"."vin" order by cs.received_at desc, cs.id desc limit 1)
)`;

/** The SQL conditions of the filter, on `vehicles` (and its ECUs and snapshots through indexed sub-queries; "vehicles"."vin" is spelled out so a sub-query cannot capture it). */
export function inventoryConditions(filter: InventoryFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.q) where.push(ilike(vehicles.vin, `%${likeEscape(filter.q)}%`));
  if (filter.model) where.push(eq(vehicles.model, filter.model));
  if (filter.region) where.push(eq(vehicles.region, filter.region));
  if (filter.rxswin) where.push(sql`(${currentRxswin})::text ilike ${`%${likeEscape(filter.rxswin)}%`}`);
  if (filter.ecuId || filter.ecuVersion) {
    where.push(
      sql`exists (select 1 from vehicle_ecus e where e.vin = "vehicles"."vin"${filter.ecuId ? sql` and e.ecu_id = ${filter.ecuId}` : sql``}${filter.ecuVersion ? sql` and e.software_version = ${filter.ecuVersion}` : sql``})`,
    );
  }
  return where;
}

const csvHeader = ['vin', 'primary_id', 'model', 'region', 'rm_state', 'last_seen_at', 'last_config_at', 'ecu_versions', 'rxswin', 'config_differs_from_expected'];

/** The filtered fleet as CSV, in batches by VIN as the consumer pulls: ECU versions and RXSWIN as the vehicle runs them now. */
export function streamInventoryCsv(db: Queryable, filter: InventoryFilter, batchSize = 1000): ReadableStream<Uint8Array> {
  const conditions = inventoryConditions(filter);
  return csvStream({
    header: csvHeader,
    batchSize,
    nextBatch: (after) =>
      db
        .select({
          ...vehicleRowColumns,
          lastConfigAt: vehicles.lastConfigAt,
          ecus: sql<string | null>`(select string_agg(e.ecu_id || ': ' || coalesce(e.software_version, '?') || case when e.source = 'activation' then ' (reported by activation)' else '' end, '; ' order by e.ecu_id) from vehicle_ecus e where e.vin = "vehicles"."vin")`,
          rxswin: sql<unknown>`${currentRxswin}`,
          mismatch: vehicles.configMismatch,
        })
        .from(vehicles)
        .where(and(...conditions, after === null ? undefined : gt(vehicles.vin, after)))
        .orderBy(asc(vehicles.vin))
        .limit(batchSize),
    cells: (r) => [r.vin, r.primaryId, r.model, r.region, r.rmState, r.lastSeenAt, r.lastConfigAt, r.ecus, rxswinEntries(r.rxswin).join('; '), r.mismatch?.differences.join('; ') ?? null],
  });
}
