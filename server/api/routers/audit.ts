import { z } from 'zod';
import { listAudit } from '../../audit/record-audit';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const auditRouter = createTRPCRouter({
  list: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50), before: z.number().int().optional() }))
    .output(
      z.array(
        z.object({ id: z.number(), at: z.date(), actorEmail: z.string(), action: z.string(), entityType: z.string(), entityId: z.string().nullable(), details: z.unknown() }),
      ),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
