import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { vehicles } from '@/db/schema';
import { getConfig } from '../config';
import { DomainError } from '../errors';

export const unknownVehicle = (vin: string) =>
  new DomainError('UNKNOWN_VEHICLE', `vehicle ${vin} is not registered; ask an operator to add it to the fleet`);

/**
 * Marks the vehicle as seen now and returns it; with AUTO_REGISTER_VEHICLES an unknown VIN
 * is registered on the spot, otherwise it is UNKNOWN_VEHICLE. One statement either way.
 */
export async function touchVehicle(db: Queryable, vin: string, primaryId: string) {
  const [row] = getConfig().AUTO_REGISTER_VEHICLES
    ? await db
        .insert(vehicles)
        .values({ vin, primaryId, lastSeenAt: sql`now()` })
        .onConflictDoUpdate({ target: vehicles.vin, set: { lastSeenAt: sql`now()` } })
        .returning()
    : await db.update(vehicles).set({ lastSeenAt: sql`now()` }).where(eq(vehicles.vin, vin)).returning();
  if (!row) throw unknownVehicle(vin);
  return row;
}

/**
 * The same "seen now" as touchVehicle as a statement returning `vin`, for polls that fold it
 * into a single CTE with their read.
 */
export function touchVehicleSql(vin: string, primaryId: string) {
  return getConfig().AUTO_REGISTER_VEHICLES
    ? sql`insert into vehicles (vin, primary_id, last_seen_at) values (${vin}, ${primaryId}, now())
          on conflict (vin) do update set last_seen_at = now() returning vin`
    : sql`update vehicles set last_seen_at = now() where vin = ${vin} returning vin`;
}
