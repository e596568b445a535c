import { verify } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { FixedStatement, type Queryable } from '@/db/client';
import { getConfig } from '../config';
import { DomainError } from '../errors';
import { logger } from '../logging/logger';
import { canonicalJson } from '../vehicle-protocol/canonical-json';
import { MAX_GET_SIGNATURE_SECONDS, signedGetValue } from '../vehicle-protocol/signed-get';
import { parsePublicKey, verifyValue } from '../vehicle-protocol/signatures';
import { promotePendingKey, usableKeyOfSql, usableKeys, type UsableKey } from './vehicle-keys';

/**
 * Who is calling: the VIN and primaryId it claims, the envelope that must prove it (its
 * signature), and — under VEHICLE_AUTH=mtls-header — the names of the client certificate a
 * trusted proxy verified (null: no trusted proxy named one).
 */
export type VehicleIdentity = {
  vin: string;
  primaryId: string;
  proof: { signed: unknown; signatures?: unknown[] };
  certificateNames?: string[] | null;
};

export const unknownVehicle = (vin: string) =>
  new DomainError('UNKNOWN_VEHICLE', `vehicle ${vin} is not registered; ask an operator to add it to the fleet`);

const HOW_TO_SIGN = '"signatures" needs an ed25519 signature (base64) over the canonical JSON (RFC 8785) of "signed" with its enrolled key';

export const signatureRequired = (vin: string) => new DomainError('SIGNATURE_REQUIRED', `vehicle ${vin} must sign its requests: ${HOW_TO_SIGN}`);

/** The key among `keys` that signed the envelope; throws SIGNATURE_INVALID when none did. */
export function verifyVehicleProof(keys: UsableKey[], id: VehicleIdentity): UsableKey {
  for (const key of keys) {
    try {
      if (verifyValue(id.proof.signed, id.proof.signatures, parsePublicKey(key.publicKey))) return key;
    } catch (error) {
      logger.error({ err: error, vin: id.vin, keyid: key.keyid }, 'a public key of the vehicle cannot be read');
    }
  }
  throw new DomainError('SIGNATURE_INVALID', `the signature of vehicle ${id.vin} does not verify: ${HOW_TO_SIGN}`);
}

const hasSignatures = (id: VehicleIdentity) => Array.isArray(id.proof.signatures) && id.proof.signatures.length > 0;

/** Under mtls-header: the trusted proxy must have named a certificate, and one of its names must be the VIN. */
export function checkCertificate(vin: string, names: string[] | null | undefined): void {
  if (!names) {
    throw new DomainError('CLIENT_CERTIFICATE_REQUIRED', 'this server identifies vehicles by their TLS client certificate: connect through the mutual-TLS proxy with the vehicle certificate');
  }
  if (!names.includes(vin)) {
    throw new DomainError('CLIENT_CERTIFICATE_MISMATCH', `the client certificate (${names.join(', ') || 'no name'}) is not vehicle ${vin}'s: its CN or SAN must be the VIN`);
  }
}

/**
 * Applies VEHICLE_AUTH to a request before anything is stored. True: the caller proved to be
 * the VIN (its signature verified with a usable key, or its certificate names it). False
 * (only under `open`): nothing was proven, so the request may act only for a vehicle without a
 * usable key — the statements check that themselves. Refusals are 401s with their own code.
 * A signature by the vehicle's pending key promotes it (the rotation completes). A signed
 * request costs one indexed query; an unsigned one under `open` none.
 */
export async function proveVehicle(db: Queryable, id: VehicleIdentity): Promise<boolean> {
  const mode = getConfig().vehicleAuth;
  if (mode === 'mtls-header') {
    checkCertificate(id.vin, id.certificateNames);
    return true;
  }
  if (!hasSignatures(id)) {
    if (mode === 'signature') throw signatureRequired(id.vin);
    return false;
  }
  const keys = await usableKeys(db, id.vin);
  if (!keys.length) {
    if (mode === 'signature') throw new DomainError('VEHICLE_KEY_MISSING', `vehicle ${id.vin} has no enrolled key; an operator enrols its public key on the vehicle page (or the CSV import's public_key column)`);
    return false;
  }
  const key = verifyVehicleProof(keys, id);
  if (key.status === 'pending') await promotePendingKey(db, id.vin, key.id);
  return true;
}

/** SQL: the vehicle (`vin`, an SQL expression) may be acted for: proven, or it has no usable key. */
const mayActSql = (proven: unknown, vin: SQL) => sql`(${proven}::boolean or not exists (${usableKeyOfSql(vin)}))`;

/**
 * Marks the vehicle seen (as a poll does: last_seen_at rewritten only when older than
 * LAST_SEEN_PRECISION_SECONDS), registering it under AUTO_REGISTER_VEHICLES; refuses a vehicle
 * that has a key and did not prove itself, or one that is not registered. One fixed statement
 * (after proveVehicle, unless `proven` says what it found). Returns the vehicle's configuration digest.
 */
export async function touchVehicle(db: Queryable, id: VehicleIdentity, proven?: boolean): Promise<{ vin: string; configDigest: string | null }> {
  const [row] = await pollAsVehicle<PollRow & { config_digest: string | null }>(db, id, touchStatement, proven);
  return { vin: row!.touched_vin!, configDigest: row!.config_digest };
}

/** The parameters of a poll statement (pollStatement): the vehicle's claim and what VEHICLE_AUTH found. */
type PollParams = { vin: unknown; primaryId: unknown; proven: unknown; precision: unknown };
/** What seenVehicleCtes needs when it does not register (the notification's first statement). */
type SeenParams = Omit<PollParams, 'primaryId'> & { primaryId?: unknown };

/**
 * The "seen now" part of a poll statement, as CTEs that end with `v`: the vehicle's `vin` when
 * it may be acted for (proven, or without a usable key; registered on the spot under
 * AUTO_REGISTER_VEHICLES). last_seen_at is rewritten only when it is older than
 * LAST_SEEN_PRECISION_SECONDS, so a poll that finds nothing to deliver usually writes nothing:
 * no row lock, no WAL, no commit to flush (vehicles.last_seen_at is indexed, so each rewrite is
 * a new row version in every index). The notification's first statement uses it too, without
 * registering.
 */
export function seenVehicleCtes(p: SeenParams, autoRegister: boolean): SQL {
  const known = sql`known as (select vin, ${mayActSql(p.proven, sql`vehicles.vin`)} as may_act from vehicles where vin = ${p.vin})`;
  const refreshed = sql`refreshed as (
    update vehicles set last_seen_at = now()
    where vin = (select vin from known where may_act) and ${lastSeenStaleSql(p.precision)}
    returning vin)`;
  if (!autoRegister) return sql`${known}, ${refreshed}, v as (select vin from known where may_act)`;
  return sql`${known}, ${refreshed},
    registered as (
      insert into vehicles (vin, primary_id, last_seen_at) select ${p.vin}::text, ${p.primaryId}::text, now()
      where not exists (select 1 from known)
      on conflict (vin) do nothing
      returning vin),
    v as (select vin from known where may_act union all select vin from registered)`;
}

/**
 * A poll (C_03, C_36) as one fixed statement built around the vehicle's touch: `build` gets
 * the touch as CTEs ending with `v` (`with ${touch}, …`) and the VIN parameter, and must select
 * `touched_vin` and `has_key` (hasKeySql, null for an unknown vehicle). Run it with pollAsVehicle.
 */
export function pollStatement(build: (touch: SQL, vin: unknown) => SQL): FixedStatement<keyof PollParams> {
  return new FixedStatement(['vin', 'primaryId', 'proven', 'precision'], (p) => build(seenVehicleCtes(p, getConfig().AUTO_REGISTER_VEHICLES), p.vin));
}

const touchStatement = pollStatement(
  (touch, vin) => sql`with ${touch} select (select vin from v) as touched_vin, ${hasKeySql(vin)} as has_key,
    (select config_digest from vehicles where vin = ${vin}::text) as config_digest`,
);

/** SQL: the vehicle row's last_seen_at is due for a rewrite (older than `precisionSeconds`, or never set). */
const lastSeenStaleSql = (precisionSeconds: unknown) =>
  sql`(vehicles.last_seen_at is null or vehicles.last_seen_at <= now() - make_interval(secs => ${precisionSeconds}::double precision))`;

/** Whether the vehicle `vin` has a usable key, as a column of a poll statement (`has_key`). */
export const hasKeySql = (vin: unknown) => sql`exists (${usableKeyOfSql(sql`${vin}::text`)})`;

export type PollRow = { touched_vin: string | null; has_key: boolean | null };

/**
 * Runs a poll statement (pollStatement). proveVehicle runs first (no query for an unsigned
 * request under `open`, one for a signed one), so a poll is one or two statements. Two first
 * polls of a new vehicle at once (AUTO_REGISTER_VEHICLES): the one whose insert lost the race
 * runs again and finds the vehicle.
 */
export async function pollAsVehicle<R extends PollRow>(db: Queryable, id: VehicleIdentity, statement: FixedStatement<keyof PollParams>, provenAlready?: boolean): Promise<R[]> {
  const proven = provenAlready ?? (await proveVehicle(db, id));
  const { AUTO_REGISTER_VEHICLES, LAST_SEEN_PRECISION_SECONDS } = getConfig();
  const values = { vin: id.vin, primaryId: id.primaryId, proven, precision: LAST_SEEN_PRECISION_SECONDS };
  for (let attempt = 0; ; attempt++) {
    const rows = await statement.rows<R>(db, values, AUTO_REGISTER_VEHICLES ? 'register' : '');
    if (rows[0]?.touched_vin) return rows;
    if (rows[0]?.has_key) throw signatureRequired(id.vin);
    if (attempt > 0 || !AUTO_REGISTER_VEHICLES) throw unknownVehicle(id.vin);
  }
}

/**
 * VEHICLE_AUTH for a GET that names its vehicle in `?vin=` (C_07), per
 * vehicle-protocol/signed-get.ts: under `signature` the URL must carry the vehicle's `expires`
 * and `sig`; under `mtls-header` the certificate must name the VIN; under `open` a vehicle with
 * a usable key must sign too, one without may use the bare `?vin=`.
 */
export async function proveVehicleGet(db: Queryable, url: URL, vin: string, certificateNames: string[] | null, now = Date.now()): Promise<void> {
  const mode = getConfig().vehicleAuth;
  if (mode === 'mtls-header') return checkCertificate(vin, certificateNames);
  const sig = url.searchParams.get('sig');
  const keys = sig !== null || mode === 'open' ? await usableKeys(db, vin) : [];
  if (sig === null) {
    if (mode === 'signature' || keys.length) {
      throw new DomainError('SIGNATURE_REQUIRED', `vehicle ${vin} must sign this URL: add expires (unix seconds, at most ${MAX_GET_SIGNATURE_SECONDS} s ahead) and sig (base64url ed25519 over the canonical JSON of {"expires","method":"GET","path","vin"}) with its enrolled key`);
    }
    return;
  }
  if (!keys.length) {
    if (mode === 'signature') throw new DomainError('VEHICLE_KEY_MISSING', `vehicle ${vin} has no enrolled key; an operator enrols its public key on the vehicle page`);
    return;
  }
  const expires = Number(url.searchParams.get('expires'));
  const seconds = Math.floor(now / 1000);
  if (!Number.isInteger(expires) || expires < seconds || expires > seconds + MAX_GET_SIGNATURE_SECONDS) {
    throw new DomainError('SIGNATURE_INVALID', `the URL's expires must be unix seconds from now to ${MAX_GET_SIGNATURE_SECONDS} s ahead; sign a fresh one`);
  }
  const value = signedGetValue(url.pathname, vin, expires);
  const bytes = Buffer.from(sig, 'base64url');
  const data = Buffer.from(canonicalJson(value));
  const key = bytes.length === 64 ? keys.find((k) => safeVerify(data, k, bytes)) : undefined;
  if (!key) throw new DomainError('SIGNATURE_INVALID', `the URL signature of vehicle ${vin} does not verify: sig is base64url ed25519 over the canonical JSON of {"expires","method":"GET","path","vin"}`);
  if (key.status === 'pending') await promotePendingKey(db, vin, key.id);
}

function safeVerify(data: Buffer, key: UsableKey, sig: Buffer): boolean {
  try {
    return verify(null, data, parsePublicKey(key.publicKey), sig);
  } catch {
    return false;
  }
}
