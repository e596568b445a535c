import { z } from 'zod';
import { webhookEventTypes } from '@/db/schema';
import {
  createWebhookEndpoint,
  createWebhookEndpointSchema,
  deleteWebhookEndpoint,
  deleteWebhookEndpointSchema,
  listWebhookDeliveries,
  listWebhookDeliveriesSchema,
  listWebhookEndpoints,
  redeliverWebhook,
  redeliverWebhookSchema,
  setWebhookEndpointEnabled,
  setWebhookEndpointEnabledSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from '../../webhooks/endpoints';
import { adminProcedure, createTRPCRouter } from '../trpc';

/** Webhook endpoints and their deliveries (Admin page); every change audited by its service. */
export const webhooksRouter = createTRPCRouter({
  eventTypes: adminProcedure
    .input(z.object({}).optional())
    .output(z.array(z.enum(webhookEventTypes)))
    .query(() => [...webhookEventTypes]),

  list: adminProcedure
    .input(z.object({}).optional())
    .output(z.array(webhookEndpointSchema))
    .query(({ ctx }) => listWebhookEndpoints(ctx.db)),

  /** Answers the secret: the only time it is shown. */
  create: adminProcedure
    .input(createWebhookEndpointSchema)
    .output(z.object({ endpoint: webhookEndpointSchema, secret: z.string() }))
    .mutation(({ ctx, input }) => createWebhookEndpoint(ctx.db, ctx.actor, input)),

  setEnabled: adminProcedure
    .input(setWebhookEndpointEnabledSchema)
    .output(webhookEndpointSchema)
    .mutation(({ ctx, input }) => setWebhookEndpointEnabled(ctx.db, ctx.actor, input)),

  delete: adminProcedure
    .input(deleteWebhookEndpointSchema)
    .output(z.object({ id: z.number() }))
    .mutation(({ ctx, input }) => deleteWebhookEndpoint(ctx.db, ctx.actor, input)),

  deliveries: adminProcedure
    .input(listWebhookDeliveriesSchema.optional())
    .output(z.array(webhookDeliverySchema))
    .query(({ ctx, input }) => listWebhookDeliveries(ctx.db, input ?? {})),

  redeliver: adminProcedure
    .input(redeliverWebhookSchema)
    .output(webhookDeliverySchema)
    .mutation(({ ctx, input }) => redeliverWebhook(ctx.db, ctx.actor, input)),
});
