import { z } from 'zod';
import { cancelCommand, cancelCommandSchema, queueStartCampaignFor, queueStartCampaignSchema } from '../../commands/change-commands';
import { commandPageSchema, listCommands, listCommandsInputSchema, listVehicleCommands, vehicleCommandSchema } from '../../commands/list-commands';
import { createTRPCRouter, operatorProcedure, protectedProcedure } from '../trpc';

export const commandsRouter = createTRPCRouter({
  /** The fleet's command queue, one state at a time, with the count of each state. */
  list: protectedProcedure
    .input(listCommandsInputSchema)
    .output(commandPageSchema)
    .query(({ ctx, input }) => listCommands(ctx.db, input)),

  /** One vehicle's commands with each delivery. */
  forVehicle: protectedProcedure
    .input(z.object({ vin: z.string().min(1).max(64) }))
    .output(z.array(vehicleCommandSchema))
    .query(({ ctx, input }) => listVehicleCommands(ctx.db, input)),

  queueStartCampaign: operatorProcedure
    .input(queueStartCampaignSchema)
    .output(z.object({ id: z.number(), campaignStatus: z.string() }))
    .mutation(({ ctx, input }) => queueStartCampaignFor(ctx.db, ctx.actor, input)),

  cancel: operatorProcedure
    .input(cancelCommandSchema)
    .output(z.object({ id: z.number(), status: z.literal('cancelled') }))
    .mutation(({ ctx, input }) => cancelCommand(ctx.db, ctx.actor, input)),
});
