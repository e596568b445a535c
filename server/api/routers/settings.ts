import { z } from 'zod';
import { actionDefaultSchema, listActionDefaults, setActionDefault, setActionDefaultSchema } from '../../settings/action-defaults';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc';

export const settingsRouter = createTRPCRouter({
  /** The fleet defaults C_03 answers (any role may read them). */
  actionDefaults: protectedProcedure
    .input(z.object({}).optional())
    .output(z.array(actionDefaultSchema))
    .query(({ ctx }) => listActionDefaults(ctx.db)),

  setActionDefault: adminProcedure
    .input(setActionDefaultSchema)
    .output(actionDefaultSchema)
    .mutation(({ ctx, input }) => setActionDefault(ctx.db, ctx.actor, input)),
});
