import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { roles, users } from '@/db/schema';
import { recordAudit } from '../../audit/record-audit';
import { createUser, listUsers } from '../../auth/users';
import { DomainError, notFound } from '../../errors';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc';

const userOut = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  disabled: z.boolean(),
  lastSignInAt: z.date().nullable().optional(),
  createdAt: z.date(),
});

export const usersRouter = createTRPCRouter({
  /** Who am I: the signed-in user (any role). */
  me: protectedProcedure.output(z.object({ id: z.number(), email: z.string(), name: z.string(), role: z.enum(roles) })).query(({ ctx }) => ctx.user),

  list: adminProcedure.output(z.array(userOut)).query(({ ctx }) => listUsers(ctx.db)),

  create: adminProcedure
    .input(z.object({ email: z.string().email('Enter a valid e-mail address'), name: z.string().max(100).default(''), password: z.string().min(8, 'The password needs at least 8 characters'), role: z.enum(roles) }))
    .output(userOut)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const user = await createUser(tx, input);
        await recordAudit(tx, ctx.user, 'user.create', { type: 'user', id: user.id }, { email: user.email, role: user.role });
        return user;
      }),
    ),

  update: adminProcedure
    .input(z.object({ id: z.number().int(), role: z.enum(roles).optional(), disabled: z.boolean().optional() }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        if (input.id === ctx.user.id && (input.disabled || (input.role && input.role !== 'admin'))) {
          throw new DomainError('CONFLICT', 'You cannot demote or disable yourself; ask another admin.');
        }
        const [user] = await tx
          .update(users)
          .set({ ...(input.role ? { role: input.role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}) })
          .where(eq(users.id, input.id))
          .returning({ id: users.id, email: users.email });
        if (!user) throw notFound(`user ${input.id}`);
        await recordAudit(tx, ctx.user, 'user.update', { type: 'user', id: user.id }, { email: user.email, role: input.role, disabled: input.disabled });
        return { ok: true };
      }),
    ),
});
