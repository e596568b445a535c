// The vocabulary of webhooks, without any Drizzle import: the schema types its columns with
// it, and the Admin page (in the browser) lists the same event types.

export const webhookEventTypes = [
  'campaign.status_changed',
  'campaign.suspended',
  'wave.started',
  'vehicle.update_completed',
  'vehicle.update_failed',
  'vehicle.blocked',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];
