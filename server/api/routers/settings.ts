import { z } from 'zod';
import { ActionDefault, listActionDefaults, setActionDefault, SetActionDefaultInput } from '../../settings/action-defaults';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc';

export const settingsRouter = createTRPCRouter({
  /** The fleet defaults C_03 answers (any role may read them). */
  actionDefaults: protectedProcedure
    .input(z.object({}).optional())
    .output(z.array(ActionDefault))
    .query(({ ctx }) => listActionDefaults(ctx.db)),

  setActionDefault: adminProcedure
    .input(SetActionDefaultInput)
    .output(ActionDefault)
    .mutation(({ ctx, input }) => setActionDefault(ctx.db, ctx.user, input)),
});
