import { z } from 'zod';
import { apiTokenSchema, createApiToken, listApiTokens, newApiTokenSchema, revokeApiToken, revokeApiTokenSchema } from '../../auth/api-tokens';
import { adminProcedure, createTRPCRouter } from '../trpc';

/** Tokens of the REST management API (Admin → API tokens). */
export const apiTokensRouter = createTRPCRouter({
  list: adminProcedure
    .input(z.object({}).optional())
    .output(z.array(apiTokenSchema))
    .query(({ ctx }) => listApiTokens(ctx.db)),

  /** Answers the token itself once; only its hash is kept. */
  create: adminProcedure
    .input(newApiTokenSchema)
    .output(z.object({ token: z.string(), apiToken: apiTokenSchema }))
    .mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.actor, input)),

  revoke: adminProcedure
    .input(revokeApiTokenSchema)
    .output(apiTokenSchema)
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.actor, input)),
});
