import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { listAudit } from './record-audit';

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.date(),
  actorEmail: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  details: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** One page of the audit log, newest first, older than the `before` id when given. */
export async function pageAudit(db: Queryable, input: { limit: number; before?: number }): Promise<AuditPage> {
  const rows = await listAudit(db, { limit: input.limit + 1, before: input.before });
  const entries = rows.slice(0, input.limit);
  return { entries, nextBefore: rows.length > input.limit ? (entries.at(-1)?.id ?? null) : null };
}
