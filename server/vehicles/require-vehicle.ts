import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { preparedRows, type Queryable } from '@/db/client';
import { vehicles } from '@/db/schema';
import { getConfig } from '../config';
import { DomainError } from '../errors';
import { logger } from '../logging/logger';
import { parsePublicKey, verifyValue } from '../vehicle-protocol/signatures';

/** Who is calling: the VIN and primaryId it claims, and the envelope that must prove it when the vehicle has a key. */
export type VehicleIdentity = { vin: string; primaryId: string; proof: { signed: unknown; signatures?: unknown[] } };

export const unknownVehicle = (vin: string) =>
  new DomainError('UNKNOWN_VEHICLE', `vehicle ${vin} is not registered; ask an operator to add it to the fleet`);

/** Throws SIGNATURE_INVALID unless the envelope is signed with the vehicle's registered key. */
export function verifyVehicleProof(publicKey: string, id: VehicleIdentity): void {
  let ok = false;
  try {
    ok = verifyValue(id.proof.signed, id.proof.signatures, parsePublicKey(publicKey));
  } catch (error) {
    logger.error({ err: error, vin: id.vin }, 'the public key of a vehicle cannot be read');
  }
  if (!ok) {
    throw new DomainError(
      'SIGNATURE_INVALID',
      `vehicle ${id.vin} must sign its requests: "signatures" needs an ed25519 signature (base64) over the canonical JSON (RFC 8785) of "signed" with its registered key`,
    );
  }
}

/**
 * Marks the vehicle as seen now and returns it. A vehicle without a key is touched in one
 * statement; one with a key only after its signature checks out. Unknown VINs are
 * UNKNOWN_VEHICLE, or registered on the spot with AUTO_REGISTER_VEHICLES.
 */
export async function touchVehicle(db: Queryable, id: VehicleIdentity) {
  const [unsigned] = await db
    .update(vehicles)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(vehicles.vin, id.vin), isNull(vehicles.publicKey)))
    .returning();
  if (unsigned) return unsigned;
  const [known] = await db.select({ publicKey: vehicles.publicKey }).from(vehicles).where(eq(vehicles.vin, id.vin));
  if (known?.publicKey) {
    verifyVehicleProof(known.publicKey, id);
    const [row] = await db.update(vehicles).set({ lastSeenAt: sql`now()` }).where(eq(vehicles.vin, id.vin)).returning();
    return row!;
  }
  if (!getConfig().AUTO_REGISTER_VEHICLES) throw unknownVehicle(id.vin);
  const [row] = await db
    .insert(vehicles)
    .values({ vin: id.vin, primaryId: id.primaryId, lastSeenAt: sql`now()` })
    .onConflictDoUpdate({ target: vehicles.vin, set: { lastSeenAt: sql`now()` } })
    .returning();
  return row!;
}

/** The "seen now" part of a poll statement; returns `vin` when it touched the vehicle. */
function touchSql(id: VehicleIdentity, verified: boolean): SQL {
  const unsignedOnly = verified ? sql`` : sql` and public_key is null`;
  return getConfig().AUTO_REGISTER_VEHICLES
    ? sql`insert into vehicles (vin, primary_id, last_seen_at) values (${id.vin}, ${id.primaryId}, now())
          on conflict (vin) do update set last_seen_at = now() where true${verified ? sql`` : sql` and vehicles.public_key is null`} returning vin`
    : sql`update vehicles set last_seen_at = now() where vin = ${id.vin}${unsignedOnly} returning vin`;
}

export type PollRow = { touched_vin: string | null; public_key: string | null };

/**
 * Runs a poll (C_03, C_36) as one statement built around the vehicle's touch: `statement`
 * gets the touch as a CTE body and must select `touched_vin` and `public_key` (of the vehicle
 * before the statement). A vehicle with a key costs a second run, after its signature checks
 * out; the first run changed nothing for it.
 */
export async function pollAsVehicle<R extends PollRow>(db: Queryable, id: VehicleIdentity, statement: (touch: SQL) => SQL): Promise<R[]> {
  const rows = await preparedRows<R>(db, statement(touchSql(id, false)));
  if (rows[0]?.touched_vin) return rows;
  if (rows[0]?.public_key) {
    verifyVehicleProof(rows[0].public_key, id);
    return preparedRows<R>(db, statement(touchSql(id, true)));
  }
  throw unknownVehicle(id.vin);
}
