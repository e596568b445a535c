import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from './columns';
import { campaigns } from './campaigns';
import { vehicles } from './vehicles';

/** Every event a vehicle reported (API_1), the raw JSON kept whole beside the classified columns. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    /** C_01 ... C_35, or null when eventsType/status is outside the protocol table. */
    code: text('code'),
    classified: boolean('classified').notNull(),
    eventsUuid: text('events_uuid').notNull(),
    eventsType: text('events_type').notNull(),
    status: text('status').notNull(),
    attemptId: text('attempt_id'),
    reportId: text('report_id'),
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    /** currentTime.time as the vehicle stated it. */
    eventTime: tstz('event_time').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    bytesDownloaded: bigint('bytes_downloaded', { mode: 'number' }),
    downloadSize: bigint('download_size', { mode: 'number' }),
    /** Error codes from errorCodes / oemErrors / errorExtras, as text. */
    errorCodes: jsonb('error_codes').$type<string[]>().notNull().default([]),
    /** sha256 of the event's canonical JSON: the same event twice is one row. */
    contentHash: text('content_hash').notNull(),
    /** The eventsUuid was already used by a different event of this vehicle. */
    uuidReused: boolean('uuid_reused').notNull().default(false),
    raw: jsonb('raw').notNull(),
    /**
     * Why the event moved no campaign phase although it names one (server/events/plausibility.ts):
     * e.g. `not-offered` (the vehicle is not a target the campaign was offered to), `attempt-not-opened`.
     * Null for a plausible event.
     */
    implausibleReason: text('implausible_reason'),
  },
  (t) => [
    // Every index here is written by every notification, so there are only the ones a query reads.
    // One index for the duplicate check and the eventsUuid lookup: the content hash covers the
    // eventsUuid, so (vin, events_uuid, content_hash) is unique exactly when (vin, content_hash) is.
    uniqueIndex('events_vin_uuid_hash_uq').on(t.vin, t.eventsUuid, t.contentHash),
    index('events_vin_time_idx').on(t.vin, t.eventTime),
    // The overview's "completed in the last 24 h" and "vehicle errors of the last week": only those
    // codes' rows, newest at hand, whatever the rest of the history holds.
    index('events_update_complete_idx').on(t.receivedAt, t.vin, t.campaignId).where(sql`code = 'C_35'`),
    index('events_vehicle_error_idx').on(t.receivedAt, t.vin, t.campaignId).where(sql`code = 'C_28'`),
  ],
);

export const eventKinds = ['progress', 'failure', 'other'] as const;
export type EventKind = (typeof eventKinds)[number];

/**
 * Events received per hour and kind (the overview's chart), kept by a statement trigger on
 * `events` in the transaction of each insert (and delete), so no writer can forget it and the
 * chart never re-counts the history. Each database session adds to its own `shard` of a row
 * (its backend pid), so concurrent notifications do not queue on one counter row; readers sum
 * the shards.
 * failure: a vehicle error (C_28) or a refusal; progress: any other classified step but C_01;
 * other: C_01 and unclassified events.
 */
export const eventHourCounts = pgTable(
  'event_hour_counts',
  {
    hour: tstz('hour').notNull(),
    kind: text('kind').$type<EventKind>().notNull(),
    shard: smallint('shard').notNull(),
    events: bigint('events', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'event_hour_counts_pk', columns: [t.hour, t.kind, t.shard] })],
);
