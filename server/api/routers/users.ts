import { z } from 'zod';
import { roles } from '@/db/schema';
import { createUser, listUsers, newUserSchema, updateUser, userChangeSchema, userSchema } from '../../auth/users';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc';

export const usersRouter = createTRPCRouter({
  /** Who am I: the signed-in user (any role). */
  me: protectedProcedure.output(z.object({ id: z.number(), email: z.string(), name: z.string(), role: z.enum(roles) })).query(({ ctx }) => ctx.user),

  list: adminProcedure
    .input(z.object({}).optional())
    .output(z.array(userSchema))
    .query(({ ctx }) => listUsers(ctx.db)),

  create: adminProcedure
    .input(newUserSchema)
    .output(userSchema)
    .mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),

  /** Change a user's role, or disable / enable the account (audited). */
  update: adminProcedure
    .input(userChangeSchema)
    .output(userSchema)
    .mutation(({ ctx, input }) => updateUser(ctx.db, ctx.actor, input)),
});
