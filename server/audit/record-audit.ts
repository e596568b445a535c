import { desc, lt } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { auditLog } from '@/db/schema';
import { actorName, type Actor } from '../auth/actor';

/** Writes the audit row of a change; the service that makes the change calls it inside its transaction. */
export async function recordAudit(
  db: Queryable,
  actor: Actor,
  action: string,
  entity: { type: string; id?: string | number | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(auditLog).values({ actorEmail: actorName(actor), action, entityType: entity.type, entityId: entity.id == null ? null : String(entity.id), details });
}

/** Newest first, `limit` rows older than the `before` id (paging). */
export function listAudit(db: Queryable, input: { limit: number; before?: number }) {
  return db
    .select()
    .from(auditLog)
    .where(input.before ? lt(auditLog.id, input.before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(input.limit);
}
