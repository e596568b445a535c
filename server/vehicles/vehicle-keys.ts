import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '@/db/client';
import { vehicleKeys, vehicles, type VehicleKeyStatus } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/actor';
import { getConfig } from '../config';
import { DomainError, notFound } from '../errors';
import { keyIdOf, parsePublicKey } from '../vehicle-protocol/signatures';
import { vinSchema } from '../vehicle-protocol/messages';

/**
 * A vehicle's public keys: enrol the first, rotate to a new one, revoke one. Each is a service
 * (docs/services.md) with its own transaction and audit row. A key is *usable* while it is
 * active or pending and its grace period (`valid_until`) has not ended; require-vehicle.ts
 * accepts a signature by any usable key, and the first one by a pending key promotes it.
 */

/** SQL: the usable keys of the vehicle `vin` (an SQL expression), for the hot paths. */
export const usableKeyOfSql = (vin: SQL) =>
  sql`select 1 from vehicle_keys vk where vk.vin = ${vin} and vk.status in ('active', 'pending') and (vk.valid_until is null or vk.valid_until > now())`;

export type UsableKey = { id: number; publicKey: string; keyid: string; status: VehicleKeyStatus };

/** The keys a signature of `vin` may be made with now: one indexed query. */
export async function usableKeys(db: Queryable, vin: string): Promise<UsableKey[]> {
  return db
    .select({ id: vehicleKeys.id, publicKey: vehicleKeys.publicKey, keyid: vehicleKeys.keyid, status: vehicleKeys.status })
    .from(vehicleKeys)
    .where(and(eq(vehicleKeys.vin, vin), inArray(vehicleKeys.status, ['active', 'pending']), sql`(${vehicleKeys.validUntil} is null or ${vehicleKeys.validUntil} > now())`));
}

/**
 * The vehicle signed with its pending key for the first time: that key becomes active, the
 * one it replaces retires now (its grace period ends). Idempotent; runs in the caller's statement.
 */
export async function promotePendingKey(db: Queryable, vin: string, keyId: number): Promise<void> {
  await db.execute(sql`with promoted as (
      update vehicle_keys set status = 'active', activated_at = now(), valid_until = null
      where id = ${keyId} and vin = ${vin} and status = 'pending' returning id
    )
    update vehicle_keys set status = 'retired', retired_at = now(), valid_until = now()
    where vin = ${vin} and status = 'active' and id <> ${keyId} and exists (select 1 from promoted)`);
}

const publicKeyText = z
  .string()
  .trim()
  .min(1, 'Paste the public key')
  .max(4000, 'That is too long for an ed25519 public key')
  .transform((text, ctx) => {
    try {
      const key = parsePublicKey(text);
      if (key.asymmetricKeyType !== 'ed25519') {
        ctx.addIssue({ code: 'custom', message: `This is an ${key.asymmetricKeyType} key; vehicles sign with ed25519` });
        return z.NEVER;
      }
      return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), keyid: keyIdOf(key) };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not an ed25519 public key: give SPKI PEM, base64 DER or the raw 32 bytes in base64' });
      return z.NEVER;
    }
  });

/** Reads a public key as an operator or a CSV gives it; throws a readable message. */
export function readPublicKey(text: string): { pem: string; keyid: string } {
  const parsed = publicKeyText.safeParse(text);
  if (!parsed.success) throw new DomainError('INVALID_REQUEST', parsed.error.issues[0]?.message ?? 'Not a public key', [{ path: 'publicKey', message: parsed.error.issues[0]?.message ?? '' }]);
  return parsed.data;
}

export const enrolVehicleKeySchema = z.object({ vin: vinSchema, publicKey: z.string() });
export type EnrolVehicleKey = z.infer<typeof enrolVehicleKeySchema>;

export const rotateVehicleKeySchema = z.object({
  vin: vinSchema,
  publicKey: z.string(),
  /** How long the current key stays valid if the vehicle never signs with the new one; VEHICLE_KEY_GRACE_HOURS when unset. */
  graceHours: z.number().positive().max(24 * 365).optional(),
});
export type RotateVehicleKey = z.infer<typeof rotateVehicleKeySchema>;

export const revokeVehicleKeySchema = z.object({ vin: vinSchema, keyid: z.string().regex(/^[0-9a-f]{64}$/, 'A key id is 64 hex digits') });
export type RevokeVehicleKey = z.infer<typeof revokeVehicleKeySchema>;

export type VehicleKeyRow = typeof vehicleKeys.$inferSelect;

async function lockVehicle(db: Queryable, vin: string): Promise<void> {
  const [row] = await db.select({ vin: vehicles.vin }).from(vehicles).where(eq(vehicles.vin, vin)).for('update');
  if (!row) throw notFound(`vehicle ${vin}`);
}

async function knownKey(db: Queryable, vin: string, keyid: string) {
  const [row] = await db.select().from(vehicleKeys).where(and(eq(vehicleKeys.vin, vin), eq(vehicleKeys.keyid, keyid)));
  return row;
}

const usableNow = (k: VehicleKeyRow, now: Date) => (k.status === 'active' || k.status === 'pending') && (k.validUntil === null || k.validUntil > now);

/** Adds `keyid`'s row as active (helper of enrol and of the CSV import: the caller audits). */
export async function insertActiveKey(db: Queryable, vin: string, key: { pem: string; keyid: string }): Promise<VehicleKeyRow> {
  const [row] = await db.insert(vehicleKeys).values({ vin, publicKey: key.pem, keyid: key.keyid, status: 'active', activatedAt: sql`now()` }).returning();
  return row!;
}

/** The vehicle's first key (or its first after all were revoked or expired): from now on it signs with it. */
export async function enrolVehicleKey(db: Db, actor: Actor, input: EnrolVehicleKey): Promise<VehicleKeyRow> {
  const { vin } = enrolVehicleKeySchema.parse(input);
  const key = readPublicKey(input.publicKey);
  return db.transaction(async (tx) => {
    await lockVehicle(tx, vin);
    const keys = await tx.select().from(vehicleKeys).where(eq(vehicleKeys.vin, vin));
    const now = new Date();
    if (keys.some((k) => usableNow(k, now))) throw new DomainError('CONFLICT', `Vehicle ${vin} already has a key; rotate it to replace it, or revoke it first.`);
    if (keys.some((k) => k.keyid === key.keyid)) throw new DomainError('CONFLICT', `Key ${key.keyid.slice(0, 16)}… was this vehicle's before and has been retired or revoked; a used key is not enrolled again.`);
    const row = await insertActiveKey(tx, vin, key);
    await recordAudit(tx, actor, 'vehicle.key.enrol', { type: 'vehicle', id: vin }, { keyid: key.keyid });
    return row;
  });
}

/**
 * Adds the vehicle's next key as pending. The current key stays valid until the vehicle signs
 * with the new one, or until the grace period ends, whichever comes first: no request fails
 * while the new key reaches the vehicle. A pending key not used yet is replaced (revoked).
 */
export async function rotateVehicleKey(db: Db, actor: Actor, input: RotateVehicleKey): Promise<VehicleKeyRow> {
  const { vin, graceHours } = rotateVehicleKeySchema.parse(input);
  const key = readPublicKey(input.publicKey);
  const grace = graceHours ?? getConfig().VEHICLE_KEY_GRACE_HOURS;
  return db.transaction(async (tx) => {
    await lockVehicle(tx, vin);
    const keys = await tx.select().from(vehicleKeys).where(eq(vehicleKeys.vin, vin));
    const now = new Date();
    const current = keys.find((k) => k.status === 'active' && usableNow(k, now));
    if (!current) throw new DomainError('CONFLICT', `Vehicle ${vin} has no current key to rotate; enrol one.`);
    if (keys.some((k) => k.keyid === key.keyid)) throw new DomainError('CONFLICT', `Vehicle ${vin} already has (or had) key ${key.keyid.slice(0, 16)}…; a rotation needs a new key.`);
    const replaced = keys.filter((k) => k.status === 'pending');
    if (replaced.length) {
      await tx.update(vehicleKeys).set({ status: 'revoked', retiredAt: sql`now()` }).where(inArray(vehicleKeys.id, replaced.map((k) => k.id)));
    }
    // The grace period runs from the first rotation: a second one does not lengthen it.
    const validUntil = current.validUntil ?? new Date(now.getTime() + grace * 3_600_000);
    await tx.update(vehicleKeys).set({ validUntil }).where(eq(vehicleKeys.id, current.id));
    const [row] = await tx.insert(vehicleKeys).values({ vin, publicKey: key.pem, keyid: key.keyid, status: 'pending' }).returning();
    await recordAudit(tx, actor, 'vehicle.key.rotate', { type: 'vehicle', id: vin }, {
      keyid: key.keyid,
      previousKeyid: current.keyid,
      previousValidUntil: validUntil.toISOString(),
      ...(replaced.length ? { replacedPending: replaced.map((k) => k.keyid) } : {}),
    });
    return row!;
  });
}

/**
 * Revokes a key at once (a stolen vehicle, a leaked key). Revoking the pending key of a
 * rotation leaves the current one valid without end again; revoking the current key leaves the
 * vehicle with its pending key, if any, or with none (under VEHICLE_AUTH=signature it is then
 * refused until a key is enrolled).
 */
export async function revokeVehicleKey(db: Db, actor: Actor, input: RevokeVehicleKey): Promise<VehicleKeyRow> {
  const { vin, keyid } = revokeVehicleKeySchema.parse(input);
  return db.transaction(async (tx) => {
    await lockVehicle(tx, vin);
    const key = await knownKey(tx, vin, keyid);
    if (!key) throw notFound(`key ${keyid.slice(0, 16)}… of vehicle ${vin}`);
    if (key.status === 'revoked') throw new DomainError('CONFLICT', `Key ${keyid.slice(0, 16)}… of vehicle ${vin} is already revoked.`);
    const [row] = await tx.update(vehicleKeys).set({ status: 'revoked', retiredAt: sql`now()` }).where(eq(vehicleKeys.id, key.id)).returning();
    if (key.status === 'pending') {
      await tx.update(vehicleKeys).set({ validUntil: null }).where(and(eq(vehicleKeys.vin, vin), eq(vehicleKeys.status, 'active'), sql`${vehicleKeys.validUntil} > now()`));
    }
    await recordAudit(tx, actor, 'vehicle.key.revoke', { type: 'vehicle', id: vin }, { keyid, wasStatus: key.status });
    return row!;
  });
}

export const vehicleKeyViewSchema = z.object({
  keyid: z.string(),
  status: z.enum(['active', 'pending', 'retired', 'revoked']),
  /** active/pending past its grace period: no longer accepted. */
  expired: z.boolean(),
  publicKey: z.string(),
  createdAt: z.date(),
  activatedAt: z.date().nullable(),
  retiredAt: z.date().nullable(),
  validUntil: z.date().nullable(),
});
export type VehicleKeyView = z.infer<typeof vehicleKeyViewSchema>;

/** A vehicle's keys as the vehicle page and the REST API show them, with the server's VEHICLE_AUTH. */
export const vehicleKeysSchema = z.object({
  vehicleAuth: z.enum(['signature', 'mtls-header', 'open']),
  current: vehicleKeyViewSchema.nullable(),
  keys: z.array(vehicleKeyViewSchema),
});
export type VehicleKeys = z.infer<typeof vehicleKeysSchema>;

/** The vehicle's key history, newest first, and the key it signs with now (the active one, else the pending one). */
export async function listVehicleKeys(db: Queryable, input: { vin: string }): Promise<VehicleKeys> {
  const rows = await db.select().from(vehicleKeys).where(eq(vehicleKeys.vin, input.vin)).orderBy(desc(vehicleKeys.createdAt), desc(vehicleKeys.id));
  const now = new Date();
  const keys = rows.map((k) => ({
    keyid: k.keyid,
    status: k.status,
    expired: (k.status === 'active' || k.status === 'pending') && !usableNow(k, now),
    publicKey: k.publicKey,
    createdAt: k.createdAt,
    activatedAt: k.activatedAt,
    retiredAt: k.retiredAt,
    validUntil: k.validUntil,
  }));
  const current = keys.find((k) => k.status === 'active' && !k.expired) ?? keys.find((k) => k.status === 'pending' && !k.expired) ?? null;
  return { vehicleAuth: getConfig().vehicleAuth, current, keys };
}

/** Whether each vehicle has a usable key (the vehicle list, the profile's "signs requests"). */
export async function vinsWithKeys(db: Queryable, vins: string[]): Promise<Set<string>> {
  if (!vins.length) return new Set();
  const rows = await db
    .selectDistinct({ vin: vehicleKeys.vin })
    .from(vehicleKeys)
    .where(and(inArray(vehicleKeys.vin, vins), inArray(vehicleKeys.status, ['active', 'pending']), sql`(${vehicleKeys.validUntil} is null or ${vehicleKeys.validUntil} > now())`))
    .orderBy(asc(vehicleKeys.vin));
  return new Set(rows.map((r) => r.vin));
}
