import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { FixedStatement, type Queryable } from '@/db/client';
import type { WebhookEventType } from '@/db/schema';

/**
 * The outbox write of one event: a delivery row for every enabled endpoint subscribed to
 * `type`, as ONE `insert … select` in the caller's transaction (the change and its deliveries
 * commit or roll back together). With no endpoint it inserts nothing and costs one cheap
 * statement. Every delivery of one event shares its id. Its text never varies: on postgres.js
 * it is a prepared statement (FixedStatement), which a hot transaction can also send with its
 * COMMIT: `tail.add(webhookDeliveries, webhookValues(type, data))`.
 */
export const webhookDeliveries = new FixedStatement(
  ['eventId', 'type', 'payload'],
  (p) => sql`insert into webhook_deliveries (endpoint_id, event_id, type, payload)
    select e.id, ${p.eventId}::uuid, ${p.type}::text, ${p.payload}::jsonb
    from webhook_endpoints e where e.enabled and ${p.type}::text = any(e.events)`,
);

/** webhookDeliveries' values for one event (a new event id). */
export function webhookValues(type: WebhookEventType, data: Record<string, unknown>): Record<'eventId' | 'type' | 'payload', unknown> {
  return { eventId: randomUUID(), type, payload: JSON.stringify(data) };
}

/** Writes the deliveries of one event (webhookDeliveries) in the caller's transaction. */
export async function enqueueWebhook(db: Queryable, type: WebhookEventType, data: Record<string, unknown>): Promise<void> {
  await webhookDeliveries.rows(db, webhookValues(type, data));
}

/**
 * The same for rows a statement returns (a CTE named `source`): `payload` is a jsonb
 * expression over `source`'s columns. Each row becomes its own event (its own id).
 */
export function enqueueWebhooksFromSql(type: WebhookEventType, payload: SQL): SQL {
  return sql`insert into webhook_deliveries (endpoint_id, type, payload)
    select e.id, ${type}::text, ${payload}
    from source cross join webhook_endpoints e where e.enabled and ${type}::text = any(e.events)`;
}
