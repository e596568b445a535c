import { z } from 'zod';
import { webhookDeliveryStatuses } from '@/db/schema';
import {
  createWebhookEndpoint,
  createWebhookEndpointSchema,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  setWebhookEndpointEnabled,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from '../webhooks/endpoints';
import { operation } from './operation';
import { keysetBefore, keysetCursor, pageOf, pageQuerySchema, sliceList } from './paging';
import { idParams } from './params';

const tag = 'Webhooks';

/** Webhook receivers and their deliveries (docs/webhooks.md), admin only as on the Admin page. */
export const webhookOperations = [
  operation({
    method: 'GET',
    path: '/webhooks',
    tag,
    summary: 'The registered receivers (never their secrets)',
    role: 'admin',
    procedure: 'webhooks.list',
    query: pageQuerySchema,
    response: { status: 200, json: pageOf(webhookEndpointSchema) },
    handle: async ({ db, query }) => sliceList(await listWebhookEndpoints(db), query),
  }),
  operation({
    method: 'POST',
    path: '/webhooks',
    tag,
    summary: 'Register a receiver for some event types; answers its signing secret, the only time it is shown',
    description: 'A `secret` of your own may be given; otherwise one is generated. Loopback and private-network URLs are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.',
    role: 'admin',
    procedure: 'webhooks.create',
    body: { json: createWebhookEndpointSchema },
    response: { status: 201, json: z.object({ endpoint: webhookEndpointSchema, secret: z.string() }) },
    handle: ({ db, actor, body }) => createWebhookEndpoint(db, actor, body),
  }),
  operation({
    method: 'POST',
    path: '/webhooks/{id}/enable',
    tag,
    summary: 'Enable a receiver again (its failure count starts afresh)',
    role: 'admin',
    procedure: 'webhooks.setEnabled',
    params: idParams,
    response: { status: 200, json: webhookEndpointSchema },
    handle: ({ db, actor, params }) => setWebhookEndpointEnabled(db, actor, { id: params.id, enabled: true }),
  }),
  operation({
    method: 'POST',
    path: '/webhooks/{id}/disable',
    tag,
    summary: 'Disable a receiver; its pending deliveries are marked failed',
    role: 'admin',
    procedure: 'webhooks.setEnabled',
    params: idParams,
    response: { status: 200, json: webhookEndpointSchema },
    handle: ({ db, actor, params }) => setWebhookEndpointEnabled(db, actor, { id: params.id, enabled: false }),
  }),
  operation({
    method: 'DELETE',
    path: '/webhooks/{id}',
    tag,
    summary: 'Delete a receiver and its deliveries',
    role: 'admin',
    procedure: 'webhooks.delete',
    params: idParams,
    response: { status: 200, json: z.object({ id: z.number() }) },
    handle: ({ db, actor, params }) => deleteWebhookEndpoint(db, actor, params),
  }),
  operation({
    method: 'GET',
    path: '/webhooks/deliveries',
    tag,
    summary: 'Deliveries, newest first, of one receiver or status if asked',
    role: 'admin',
    procedure: 'webhooks.deliveries',
    query: pageQuerySchema.extend({
      endpointId: z.coerce.number().int().optional().describe('Only this receiver’s deliveries'),
      status: z.enum(webhookDeliveryStatuses).optional().describe('Only deliveries in this state'),
    }),
    response: { status: 200, json: pageOf(webhookDeliverySchema) },
    handle: async ({ db, query }) => {
      const items = await listWebhookDeliveries(db, { endpointId: query.endpointId, status: query.status, limit: query.limit, before: keysetBefore(query) });
      const last = items.length === query.limit ? items[items.length - 1]!.id : null;
      return { items, nextCursor: keysetCursor(last) };
    },
  }),
  operation({
    method: 'POST',
    path: '/webhooks/deliveries/{id}/redeliver',
    tag,
    summary: 'Send a delivery again (as a new attempt, with 24 h of retries)',
    role: 'admin',
    procedure: 'webhooks.redeliver',
    params: idParams,
    response: { status: 200, json: webhookDeliverySchema },
    handle: ({ db, actor, params }) => redeliverWebhook(db, actor, { deliveryId: params.id }),
  }),
];
