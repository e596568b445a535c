import { z } from 'zod';
import { eventDetailSchema, getEventDetail } from '../../events/event-detail';
import { getUpdateHistory, updateHistorySchema } from '../../events/update-history';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const eventsRouter = createTRPCRouter({
  /** A vehicle's update history: campaigns → attempts → event timeline, plus events of no attempt. */
  history: protectedProcedure
    .input(z.object({ vin: z.string().min(1).max(64) }))
    .output(updateHistorySchema)
    .query(({ ctx, input }) => getUpdateHistory(ctx.db, input)),

  /** One event with its raw JSON. */
  get: protectedProcedure
    .input(z.object({ id: z.number().int() }))
    .output(eventDetailSchema)
    .query(({ ctx, input }) => getEventDetail(ctx.db, input)),
});
