import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt } from './columns';

/** The configuration a vehicle should report after a completed update. */
export type ExpectedConfig = {
  campaignId: number;
  attemptId: string | null;
  /** ECU id → software version, for each ECU the update wrote. */
  ecus: { ecuId: string; version: string }[];
  /** RXSWIN entries as the vehicle reports them; null when not known before the update. */
  rxswin: unknown[] | null;
  since: string;
};

/** The differences found between an upload and the expected configuration. */
export type ConfigMismatch = { campaignId: number; attemptId: string | null; differences: string[]; detectedAt: string };

export const vehicles = pgTable(
  'vehicles',
  {
    vin: text('vin').primaryKey(),
    primaryId: text('primary_id').notNull().default('0'),
    model: text('model'),
    region: text('region'),
    /** Last rmVehState reported by C_01 (IDLE, DOWNLOADING, ...). */
    rmState: text('rm_state'),
    rmStateAt: tstz('rm_state_at'),
    /** clientDigest of the last C_05, compared by C_04. */
    configDigest: text('config_digest'),
    lastConfigAt: tstz('last_config_at'),
    lastSeenAt: tstz('last_seen_at'),
    /** Set when an update completed: C_03 asks for a configuration upload (CarConfigInfoUploadNecessity 1) until one arrives. */
    configUploadRequestedAt: tstz('config_upload_requested_at'),
    /** What the next configuration upload should show after the last completed update (ECU versions, RXSWIN). */
    expectedConfig: jsonb('expected_config').$type<ExpectedConfig>(),
    /** "Configuration differs from expected": what the upload after an update showed that the update did not lead to expect. */
    configMismatch: jsonb('config_mismatch').$type<ConfigMismatch>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('vehicles_model_idx').on(t.model),
    index('vehicles_region_idx').on(t.region),
    // The vehicle list (most recently seen first) and the overview's "seen in the last 24 h".
    index('vehicles_last_seen_idx').on(t.lastSeenAt.desc().nullsLast(), t.vin),
  ],
);

/** One row per ECU of a vehicle, with the software it reported last (from ecuVersionManifests). */
export const vehicleEcus = pgTable(
  'vehicle_ecus',
  {
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    ecuId: text('ecu_id').notNull(),
    hardwareId: text('hardware_id'),
    softwareId: text('software_id'),
    softwareVersion: text('software_version'),
    /** The ECU's version manifest as the vehicle sent it. */
    manifest: jsonb('manifest').notNull(),
    /** Where the version comes from: the vehicle's configuration upload, or a successful activation (C_24) of a package for this ECU. */
    source: text('source').$type<'configuration' | 'activation'>().notNull().default('configuration'),
    reportedAt: tstz('reported_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'vehicle_ecus_pk', columns: [t.vin, t.ecuId] }), index('vehicle_ecus_version_idx').on(t.ecuId, t.softwareVersion)],
);

/** Every configuration upload (C_05): the raw request kept whole, plus the fields worth querying. */
export const configSnapshots = pgTable(
  'config_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    /** sha256 of the canonical JSON of the request: a replayed upload is stored once. */
    contentHash: text('content_hash').notNull(),
    clientDigest: text('client_digest'),
    rxswin: jsonb('rxswin'),
    storageUsedMb: doublePrecision('storage_used_mb'),
    storageAvailableMb: doublePrecision('storage_available_mb'),
    locale: text('locale'),
    uploadReason: text('upload_reason'),
    lastUpdateCampaignId: integer('last_update_campaign_id'),
    preferredCampaignId: integer('preferred_campaign_id'),
    attemptId: text('attempt_id'),
    isNewAttempt: boolean('is_new_attempt'),
    selectedCampaignId: integer('selected_campaign_id'),
    ecuVersionManifests: jsonb('ecu_version_manifests').notNull(),
    raw: jsonb('raw').notNull(),
  },
  (t) => [
    uniqueIndex('config_snapshots_vin_hash_uq').on(t.vin, t.contentHash),
    index('config_snapshots_vin_received_idx').on(t.vin, t.receivedAt),
  ],
);
