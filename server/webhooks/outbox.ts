import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { preparedRows, type Queryable } from '@/db/client';
import type { WebhookEventType } from '@/db/schema';

/**
 * The outbox write of one event: a delivery row for every enabled endpoint subscribed to
 * `type`, as ONE `insert … select` in the caller's transaction (the change and its deliveries
 * commit or roll back together). With no endpoint it inserts nothing and costs one cheap
 * statement. Every delivery of one event shares its id.
 */
export function enqueueWebhookSql(type: WebhookEventType, data: Record<string, unknown>): SQL {
  return sql`insert into webhook_deliveries (endpoint_id, event_id, type, payload)
    select e.id, ${randomUUID()}::uuid, ${type}::text, ${JSON.stringify(data)}::jsonb
    from webhook_endpoints e where e.enabled and ${type}::text = any(e.events)`;
}

/** enqueueWebhookSql, run (as a prepared statement on postgres.js: its text never varies). */
export async function enqueueWebhook(db: Queryable, type: WebhookEventType, data: Record<string, unknown>): Promise<void> {
  await preparedRows(db, enqueueWebhookSql(type, data));
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
