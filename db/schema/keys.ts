import { sql } from 'drizzle-orm';
import { bigserial, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from './columns';
import { vehicles } from './vehicles';

export const vehicleKeyStatuses = ['active', 'pending', 'retired', 'revoked'] as const;
export type VehicleKeyStatus = (typeof vehicleKeyStatuses)[number];

/**
 * Every public key a vehicle has had (server/vehicles/vehicle-keys.ts). A vehicle signs with a
 * *usable* key: `active` or `pending` and, when `valid_until` is set, not past it. Enrolment
 * adds an active key; rotation adds a pending one and gives the active one a grace period
 * (`valid_until`); the vehicle's first request signed with the pending key makes it active and
 * retires the old one. A revoked key is never accepted again.
 */
export const vehicleKeys = pgTable(
  'vehicle_keys',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    /** ed25519 public key: SPKI PEM when enrolled by the services; a key moved from vehicles.public_key keeps its original text (PEM or base64). */
    publicKey: text('public_key').notNull(),
    /** sha256 (hex) of the key's DER form: the `keyid` of the vehicle's signatures. */
    keyid: text('keyid').notNull(),
    status: text('status').$type<VehicleKeyStatus>().notNull(),
    createdAt: createdAt(),
    activatedAt: tstz('activated_at'),
    retiredAt: tstz('retired_at'),
    /** The end of a grace period (the old key during a rotation); null: no end. */
    validUntil: tstz('valid_until'),
  },
  (t) => [
    uniqueIndex('vehicle_keys_vin_keyid_uq').on(t.vin, t.keyid),
    // The hot path's "this vehicle's usable keys".
    index('vehicle_keys_usable_idx').on(t.vin).where(sql`status in ('active', 'pending')`),
  ],
);

export const serverKeyStatuses = ['active', 'retired'] as const;

/**
 * The keys that sign answers to vehicles (server/vehicle-api/server-keys.ts). The current key is
 * the newest active one whose `not_before` has passed (and `not_after` has not); a key with a
 * later `not_before` is the next one, published by GET /api/ota/v1/server-key before it signs.
 * The private key is stored encrypted (AES-256-GCM, key derived from SERVER_KEY_SECRET or
 * URL_SIGNING_SECRET).
 */
export const serverSigningKeys = pgTable(
  'server_signing_keys',
  {
    keyid: text('keyid').primaryKey(),
    /** `v1:<iv>:<tag>:<ciphertext>` (base64) of the PKCS#8 DER private key. */
    privateKeyEncrypted: text('private_key_encrypted').notNull(),
    /** SPKI PEM. */
    publicKey: text('public_key').notNull(),
    notBefore: tstz('not_before').notNull().defaultNow(),
    notAfter: tstz('not_after'),
    status: text('status').$type<(typeof serverKeyStatuses)[number]>().notNull().default('active'),
    /** Where it came from: `generated`, `env` (SERVER_SIGNING_KEY), `rotate`. */
    origin: text('origin').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('server_signing_keys_not_before_idx').on(t.notBefore)],
);
