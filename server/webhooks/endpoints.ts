import { randomBytes } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '@/db/client';
import { webhookDeliveries, webhookDeliveryStatuses, webhookEndpoints, webhookEventTypes } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import { actorName, type Actor } from '../auth/actor';
import { getConfig } from '../config';
import { DomainError, notFound } from '../errors';
import { wakeWebhookSender } from './sender-loop';
import { checkWebhookUrl } from './url-policy';

export const createWebhookEndpointSchema = z.object({
  url: z.string().trim().min(1, 'Give the receiver’s URL').max(2000, 'The URL can have at most 2000 characters'),
  events: z.array(z.enum(webhookEventTypes)).min(1, 'Choose at least one event type'),
  /** The HMAC key; one is generated when not given. */
  secret: z.string().min(16, 'A secret needs at least 16 characters').max(200, 'A secret can have at most 200 characters').optional(),
});
export type CreateWebhookEndpoint = z.infer<typeof createWebhookEndpointSchema>;

export const setWebhookEndpointEnabledSchema = z.object({ id: z.number().int(), enabled: z.boolean() });
export type SetWebhookEndpointEnabled = z.infer<typeof setWebhookEndpointEnabledSchema>;

export const deleteWebhookEndpointSchema = z.object({ id: z.number().int() });
export type DeleteWebhookEndpoint = z.infer<typeof deleteWebhookEndpointSchema>;

export const redeliverWebhookSchema = z.object({ deliveryId: z.number().int() });
export type RedeliverWebhook = z.infer<typeof redeliverWebhookSchema>;

export const listWebhookDeliveriesSchema = z.object({
  endpointId: z.number().int().optional(),
  status: z.enum(webhookDeliveryStatuses).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** Paging: deliveries older than this id. */
  before: z.number().int().optional(),
});
export type ListWebhookDeliveries = z.input<typeof listWebhookDeliveriesSchema>;

/** An endpoint as admins see it: never its secret (shown once, when created). */
export const webhookEndpointSchema = z.object({
  id: z.number(),
  url: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number(),
  failingSince: z.date().nullable(),
  createdBy: z.string(),
  createdAt: z.date(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookDeliverySchema = z.object({
  id: z.number(),
  endpointId: z.number(),
  endpointUrl: z.string(),
  eventId: z.string(),
  type: z.enum(webhookEventTypes),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number(),
  nextAttemptAt: z.date(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  lastLatencyMs: z.number().nullable(),
  createdAt: z.date(),
  deliveredAt: z.date().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled,
  disabledReason: webhookEndpoints.disabledReason,
  consecutiveFailures: webhookEndpoints.consecutiveFailures,
  failingSince: webhookEndpoints.failingSince,
  createdBy: webhookEndpoints.createdBy,
  createdAt: webhookEndpoints.createdAt,
};

/** A new secret: 32 random bytes, hex, with a prefix that says what it is. */
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('hex')}`;

/**
 * An admin registers a receiver. The URL must resolve to public addresses unless private
 * networks are allowed. Answers the endpoint and its secret (the only time it is shown).
 */
export async function createWebhookEndpoint(
  db: Db,
  actor: Actor,
  input: CreateWebhookEndpoint,
  allowPrivate = getConfig().webhookAllowPrivateNetworks,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = await checkWebhookUrl(input.url, allowPrivate);
  const events = [...new Set(input.events)];
  const secret = input.secret ?? generateWebhookSecret();
  return db.transaction(async (tx) => {
    const [endpoint] = await tx.insert(webhookEndpoints).values({ url: url.href, events, secret, createdBy: actorName(actor) }).returning(endpointColumns);
    await recordAudit(tx, actor, 'webhook.create', { type: 'webhook', id: endpoint!.id }, { url: url.href, events, secretGiven: input.secret !== undefined });
    return { endpoint: endpoint!, secret };
  });
}

/**
 * Enables or disables an endpoint. Enabling starts its failure count afresh; disabling fails
 * its pending deliveries (an admin can redeliver them once it is enabled again).
 */
export async function setWebhookEndpointEnabled(db: Db, actor: Actor, input: SetWebhookEndpointEnabled): Promise<WebhookEndpoint> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, input.id)).for('update');
    if (!current) throw notFound(`webhook endpoint ${input.id}`);
    if (current.enabled === input.enabled) return pickEndpoint(current);
    const [saved] = input.enabled
      ? await tx
          .update(webhookEndpoints)
          .set({ enabled: true, disabledReason: null, consecutiveFailures: 0, failingSince: null })
          .where(eq(webhookEndpoints.id, input.id))
          .returning(endpointColumns)
      : await disableEndpoint(tx, input.id, `Disabled by ${actorName(actor)}.`);
    await recordAudit(tx, actor, input.enabled ? 'webhook.enable' : 'webhook.disable', { type: 'webhook', id: input.id }, { url: current.url });
    return saved!;
  });
}

/** Disables an endpoint with a reason and fails its pending deliveries; in the caller's transaction. */
export async function disableEndpoint(db: Queryable, id: number, reason: string) {
  const saved = await db.update(webhookEndpoints).set({ enabled: false, disabledReason: reason }).where(eq(webhookEndpoints.id, id)).returning(endpointColumns);
  await db
    .update(webhookDeliveries)
    .set({ status: 'failed', lastError: sql`coalesce(${webhookDeliveries.lastError} || '; ', '') || 'not sent: the endpoint was disabled'` })
    .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, 'pending')));
  return saved;
}

/** Removes an endpoint and its deliveries. */
export async function deleteWebhookEndpoint(db: Db, actor: Actor, input: DeleteWebhookEndpoint): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    const [gone] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, input.id)).returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
    if (!gone) throw notFound(`webhook endpoint ${input.id}`);
    await recordAudit(tx, actor, 'webhook.delete', { type: 'webhook', id: gone.id }, { url: gone.url });
    return { id: gone.id };
  });
}

/**
 * Sends a delivery again (same event id, so the receiver can tell): back to pending, due now,
 * with a fresh 24 h of retries. Its endpoint must be enabled.
 */
export async function redeliverWebhook(db: Db, actor: Actor, input: RedeliverWebhook): Promise<WebhookDelivery> {
  const delivery = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: webhookDeliveries.status, enabled: webhookEndpoints.enabled, url: webhookEndpoints.url, type: webhookDeliveries.type })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(eq(webhookDeliveries.id, input.deliveryId))
      .for('update', { of: webhookDeliveries });
    if (!row) throw notFound(`webhook delivery ${input.deliveryId}`);
    if (!row.enabled) throw new DomainError('CONFLICT', `The endpoint ${row.url} is disabled; enable it before redelivering.`);
    if (row.status === 'pending') throw new DomainError('CONFLICT', `Delivery ${input.deliveryId} is still pending; the sender will try it again on its own.`);
    await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()`, retryUntil: sql`now() + interval '24 hours'`, deliveredAt: null })
      .where(eq(webhookDeliveries.id, input.deliveryId));
    await recordAudit(tx, actor, 'webhook.redeliver', { type: 'webhook', id: input.deliveryId }, { url: row.url, type: row.type, previousStatus: row.status });
    const [saved] = await listDeliveriesQuery(tx, { deliveryId: input.deliveryId, limit: 1 });
    return saved!;
  });
  wakeWebhookSender();
  return delivery;
}

export async function listWebhookEndpoints(db: Queryable): Promise<WebhookEndpoint[]> {
  return db.select(endpointColumns).from(webhookEndpoints).orderBy(webhookEndpoints.id);
}

/** Newest first; of one endpoint or status if asked. */
export async function listWebhookDeliveries(db: Queryable, input: ListWebhookDeliveries): Promise<WebhookDelivery[]> {
  const parsed = listWebhookDeliveriesSchema.parse(input);
  return listDeliveriesQuery(db, parsed);
}

function listDeliveriesQuery(db: Queryable, input: { endpointId?: number; status?: string; before?: number; deliveryId?: number; limit: number }) {
  return db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      endpointUrl: webhookEndpoints.url,
      eventId: webhookDeliveries.eventId,
      type: webhookDeliveries.type,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      lastLatencyMs: webhookDeliveries.lastLatencyMs,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      and(
        input.endpointId !== undefined ? eq(webhookDeliveries.endpointId, input.endpointId) : undefined,
        input.status ? eq(webhookDeliveries.status, input.status as 'pending') : undefined,
        input.before !== undefined ? lt(webhookDeliveries.id, input.before) : undefined,
        input.deliveryId !== undefined ? eq(webhookDeliveries.id, input.deliveryId) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(input.limit);
}

function pickEndpoint(row: typeof webhookEndpoints.$inferSelect): WebhookEndpoint {
  const { secret: _secret, ...rest } = row;
  return rest;
}
