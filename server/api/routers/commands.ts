import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit';
import { cancelCommand, queueStartCampaignFor } from '../../commands/change-commands';
import { commandPageSchema, listCommands, listCommandsInput, listVehicleCommands, vehicleCommandSchema } from '../../commands/list-commands';
import { createTRPCRouter, operatorProcedure, protectedProcedure } from '../trpc';

export const commandsRouter = createTRPCRouter({
  /** The fleet's command queue, one state at a time, with the count of each state. */
  list: protectedProcedure
    .input(listCommandsInput)
    .output(commandPageSchema)
    .query(({ ctx, input }) => listCommands(ctx.db, input)),

  /** One vehicle's commands with each delivery. */
  forVehicle: protectedProcedure
    .input(z.object({ vin: z.string().min(1).max(64) }))
    .output(z.array(vehicleCommandSchema))
    .query(({ ctx, input }) => listVehicleCommands(ctx.db, input)),

  queueStartCampaign: operatorProcedure
    .input(z.object({ vin: z.string().min(1).max(64), campaignId: z.number().int().positive() }))
    .output(z.object({ id: z.number(), campaignStatus: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const { command, campaignStatus } = await queueStartCampaignFor(tx, { ...input, actor: ctx.user.email });
        await recordAudit(tx, ctx.user, 'command.queue', { type: 'command', id: command.id }, { vin: input.vin, command: command.command, campaignId: input.campaignId });
        return { id: command.id, campaignStatus };
      }),
    ),

  cancel: operatorProcedure
    .input(z.object({ id: z.number().int() }))
    .output(z.object({ id: z.number(), status: z.literal('cancelled') }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const command = await cancelCommand(tx, input);
        await recordAudit(tx, ctx.user, 'command.cancel', { type: 'command', id: command.id }, { vin: command.vin, command: command.command, campaignId: command.campaignId });
        return { id: command.id, status: 'cancelled' as const };
      }),
    ),
});
