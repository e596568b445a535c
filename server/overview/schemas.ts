import { z } from 'zod';
import { campaignStatuses } from '@/db/schema';
import { phases } from '../campaigns/vehicle-phase';

/** The fleet at a glance, counted by the database at `asOf`. */
export const fleetCountsSchema = z.object({
  registered: z.number().int(),
  seenLast24h: z.number().int(),
  inDeployedCampaign: z.number().int(),
  completedLast24h: z.number().int(),
  failedInDeployedCampaigns: z.number().int(),
  declinedInDeployedCampaigns: z.number().int(),
  asOf: z.date(),
});
export type FleetCounts = z.infer<typeof fleetCountsSchema>;

/** Where the vehicles of one running campaign are. */
export const activeCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(campaignStatuses),
  priority: z.number().int(),
  vehicles: z.number().int(),
  queued: z.number().int(),
  inProgress: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  declined: z.number().int(),
  cancelled: z.number().int(),
  /** Share of the campaign's vehicles that completed, 0–100. */
  completionPercent: z.number(),
});
export type ActiveCampaign = z.infer<typeof activeCampaignSchema>;

export const activeCampaignsSchema = z.object({
  campaigns: z.array(activeCampaignSchema),
  /** All deployed and suspended campaigns, also those beyond the list's limit. */
  total: z.number().int(),
});
export type ActiveCampaigns = z.infer<typeof activeCampaignsSchema>;

/** Events received in one hour, split into what they say. */
export const hourBucketSchema = z.object({
  hour: z.date(),
  /** Steps of an update going well: consent, download, install, activation, completion. */
  progress: z.number().int(),
  /** Failures, vehicle errors (C_28) and refusals. */
  failures: z.number().int(),
  /** Vehicle state changes (C_01) and events outside the protocol's table. */
  other: z.number().int(),
  total: z.number().int(),
});
export type HourBucket = z.infer<typeof hourBucketSchema>;

export const eventsPerHourSchema = z.object({ buckets: z.array(hourBucketSchema), total: z.number().int() });
export type EventsPerHour = z.infer<typeof eventsPerHourSchema>;

/** A vehicle that failed or declined in a running campaign, or reported an error (C_28). */
export const recentFailureSchema = z.object({
  /** `campaign`: the vehicle's phase in a deployed or suspended campaign is failed or declined; `vehicle-error`: a C_28 report. */
  source: z.enum(['campaign', 'vehicle-error']),
  vin: z.string(),
  campaignId: z.number().int().nullable(),
  campaignName: z.string().nullable(),
  /** The vehicle's phase in that campaign now (null: no membership). */
  phase: z.enum(phases).nullable(),
  errorCodes: z.array(z.string()),
  at: z.date().nullable(),
});
export type RecentFailure = z.infer<typeof recentFailureSchema>;
