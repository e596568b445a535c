import { and, asc, count, eq, exists, not, sql, type SQL } from 'drizzle-orm';
import { textArray, type Queryable } from '@/db/client';
import { vehicleEcus, vehicles } from '@/db/schema';
import { invalid } from '../errors';
import type { VehicleFilter } from './draft-schema';

function filterCondition(db: Queryable, filter: VehicleFilter): SQL | undefined {
  const ecu = filter.ecuId
    ? exists(
        // A correlated subquery: the vehicle has this ECU (at this version when one is given).
        db
          .select({ one: vehicleEcus.vin })
          .from(vehicleEcus)
          .where(and(eq(vehicleEcus.vin, vehicles.vin), eq(vehicleEcus.ecuId, filter.ecuId), filter.softwareVersion ? eq(vehicleEcus.softwareVersion, filter.softwareVersion) : undefined)),
      )
    : undefined;
  return and(filter.model ? eq(vehicles.model, filter.model) : undefined, filter.region ? eq(vehicles.region, filter.region) : undefined, ecu);
}

/** How many registered vehicles match, and the first few of them (the builder's live count). */
export async function countMatchingVehicles(db: Queryable, filter: VehicleFilter) {
  const where = filterCondition(db, filter);
  const [row] = await db.select({ n: count() }).from(vehicles).where(where);
  const sample = await db.select({ vin: vehicles.vin }).from(vehicles).where(where).orderBy(asc(vehicles.vin)).limit(5);
  return { count: row?.n ?? 0, sample: sample.map((r) => r.vin) };
}

/** Every VIN the filter matches. */
export async function listMatchingVins(db: Queryable, filter: VehicleFilter): Promise<string[]> {
  const rows = await db.select({ vin: vehicles.vin }).from(vehicles).where(filterCondition(db, filter)).orderBy(asc(vehicles.vin));
  return rows.map((r) => r.vin);
}

/** The target of a new campaign: pasted or uploaded VINs plus the vehicles a filter matches. */
export async function resolveTargetVins(db: Queryable, target: { vins: string[]; filter: VehicleFilter | null }): Promise<string[]> {
  const fromFilter = target.filter ? await listMatchingVins(db, target.filter) : [];
  const vins = [...new Set([...target.vins, ...fromFilter])];
  if (!vins.length) throw invalid(target.filter ? 'The filter matches no vehicle; widen it or add VINs.' : 'Choose the target vehicles: paste VINs, upload a CSV or use a filter.');
  return vins;
}

/**
 * How many vehicles a campaign with this target would hold: the registered pasted VINs and the
 * filter's matches, a vehicle in both counted once (the builder's wave preview). Unknown VINs
 * are not counted.
 */
export async function countTargetVehicles(db: Queryable, target: { vins: string[]; filter: VehicleFilter | null }): Promise<number> {
  let total = 0;
  const condition = target.filter ? filterCondition(db, target.filter) : undefined;
  if (target.filter) {
    const [row] = await db.select({ n: count() }).from(vehicles).where(condition);
    total += row?.n ?? 0;
  }
  const wanted = [...new Set(target.vins)];
  // A filter with no condition matches every vehicle: no pasted VIN adds one.
  if (target.filter && !condition) return total;
  if (!wanted.length) return total;
  const pasted = sql`${vehicles.vin} = any(${textArray(wanted)})`;
  const [row] = await db.select({ n: count() }).from(vehicles).where(condition ? and(pasted, not(condition)) : pasted);
  return total + (row?.n ?? 0);
}
