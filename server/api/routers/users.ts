import { z } from 'zod';
import { roles } from '@/db/schema';
import { recordAudit } from '../../audit/record-audit';
import { createUser, listUsers, updateUser } from '../../auth/users';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc';

const userOut = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  disabled: z.boolean(),
  lastSignInAt: z.date().nullable(),
  createdAt: z.date(),
});

export const usersRouter = createTRPCRouter({
  /** Who am I: the signed-in user (any role). */
  me: protectedProcedure.output(z.object({ id: z.number(), email: z.string(), name: z.string(), role: z.enum(roles) })).query(({ ctx }) => ctx.user),

  list: adminProcedure
    .input(z.object({}).optional())
    .output(z.array(userOut))
    .query(({ ctx }) => listUsers(ctx.db)),

  create: adminProcedure
    .input(
      z.object({
        email: z.string().trim().email('Enter a valid e-mail address'),
        name: z.string().trim().max(100, 'The name can have at most 100 characters').default(''),
        password: z.string().min(8, 'The password needs at least 8 characters').max(200, 'The password can have at most 200 characters'),
        role: z.enum(roles),
      }),
    )
    .output(userOut)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const user = await createUser(tx, input);
        await recordAudit(tx, ctx.user, 'user.create', { type: 'user', id: user.id }, { email: user.email, name: user.name, role: user.role });
        return user;
      }),
    ),

  /** Change a user's role, or disable / enable the account (audited). */
  update: adminProcedure
    .input(
      z
        .object({ id: z.number().int(), role: z.enum(roles).optional(), disabled: z.boolean().optional() })
        .refine((c) => c.role !== undefined || c.disabled !== undefined, 'Say what to change: a role, or disabled true/false'),
    )
    .output(userOut)
    .mutation(({ ctx, input }) => updateUser(ctx.db, ctx.user, input)),
});
