import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, serial, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from './columns';
import { type WebhookDeliveryStatus, type WebhookEventType } from './webhook-event-types';

export * from './webhook-event-types';

/** A receiver an admin registered: the events it wants, the secret its deliveries are signed with. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: serial('id').primaryKey(),
    url: text('url').notNull(),
    events: text('events').array().$type<WebhookEventType[]>().notNull(),
    /** HMAC-SHA256 key of X-OTA-Signature; admins see it on the Admin page (the receiver needs it). */
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** Why the sender (or an admin) disabled it; null while enabled. */
    disabledReason: text('disabled_reason'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Start of the current run of failures (null after a success): the endpoint is disabled after 24 h of them. */
    failingSince: tstz('failing_since'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  // The outbox insert reads the enabled endpoints subscribed to one type.
  (t) => [index('webhook_endpoints_enabled_idx').on(t.id).where(sql`${t.enabled}`)],
);

/**
 * The outbox: one row per (event, endpoint), written in the same transaction as the change
 * that causes it; any instance's sender claims due rows (FOR UPDATE SKIP LOCKED) and sends them.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: integer('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event's id (X-OTA-Delivery, `id` in the body): the same on a redelivery, for the receiver's dedupe. */
    eventId: uuid('event_id').notNull().default(sql`gen_random_uuid()`),
    type: text('type').$type<WebhookEventType>().notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    /** When the sender may take it next; a claim pushes it forward by the lease. */
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    /** Failures are retried until then (24 h after it was written or redelivered), then it is failed. */
    retryUntil: tstz('retry_until').notNull().default(sql`now() + interval '24 hours'`),
    lastStatusCode: smallint('last_status_code'),
    lastError: text('last_error'),
    lastLatencyMs: integer('last_latency_ms'),
    createdAt: createdAt(),
    deliveredAt: tstz('delivered_at'),
  },
  (t) => [
    // The sender's pick: due pending rows, oldest first.
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
    check('webhook_deliveries_status_ck', sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
);
