import { z } from 'zod';
import { auditPageSchema, pageAudit } from '../../audit/audit-page';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const auditRouter = createTRPCRouter({
  /** Newest first; pass the answer's `nextBefore` as `before` for the next page. */
  list: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50), before: z.number().int().positive().optional() }).default({ limit: 50 }))
    .output(auditPageSchema)
    .query(({ ctx, input }) => pageAudit(ctx.db, input)),
});
