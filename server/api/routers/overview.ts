import { z } from 'zod';
import { listActiveCampaigns } from '../../overview/active-campaigns';
import { countEventsPerHour } from '../../overview/events-per-hour';
import { countFleet } from '../../overview/fleet-counts';
import { listRecentFailures } from '../../overview/recent-failures';
import { activeCampaignsSchema, eventsPerHourSchema, fleetCountsSchema, recentFailureSchema } from '../../overview/schemas';
import { createTRPCRouter, protectedProcedure } from '../trpc';

/** The start page: read by every role. */
export const overviewRouter = createTRPCRouter({
  fleet: protectedProcedure
    .input(z.object({}).optional())
    .output(fleetCountsSchema)
    .query(({ ctx }) => countFleet(ctx.db)),

  activeCampaigns: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
    .output(activeCampaignsSchema)
    .query(({ ctx, input }) => listActiveCampaigns(ctx.db, input)),

  eventsPerHour: protectedProcedure
    .input(z.object({ hours: z.number().int().min(1).max(168).default(24) }).default({ hours: 24 }))
    .output(eventsPerHourSchema)
    .query(({ ctx, input }) => countEventsPerHour(ctx.db, input)),

  recentFailures: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(10) }).default({ limit: 10 }))
    .output(z.array(recentFailureSchema))
    .query(({ ctx, input }) => listRecentFailures(ctx.db, input)),
});
