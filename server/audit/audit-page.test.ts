import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { callerAs } from '../testing/trpc';
import { recordAudit } from './record-audit';

/** On PostgreSQL other test files write audit rows at the same time: only our own rows' order is ours to check. */
const sharedDatabase = !!process.env.DATABASE_URL;

describe('the audit log, page by page', () => {
  let admin: Awaited<ReturnType<typeof callerAs>>;
  const actor = { kind: 'user' as const, id: 0, email: `auditor-${randomUUID().slice(0, 8)}@test.example` };
  const vin = `AUD${randomUUID().slice(0, 14)}`;

  beforeAll(async () => {
    admin = await callerAs('admin');
    const db = await getDb();
    for (let i = 1; i <= 5; i++) await recordAudit(db, actor, 'test.step', { type: 'vehicle', id: vin }, { step: i });
  });

  it('reads newest first, each page older than the last, every row once', async () => {
    const seen: { id: number; actorEmail: string; details: unknown }[] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await admin.audit.list({ limit: 2, before });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      if (page.nextBefore !== null) {
        expect(page.entries).toHaveLength(2);
        expect(page.nextBefore).toBe(page.entries.at(-1)!.id);
      }
      seen.push(...page.entries);
      if (page.nextBefore === null || seen.filter((e) => e.actorEmail === actor.email).length === 5) break;
      before = page.nextBefore;
    }
    const ids = seen.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    expect(seen.filter((e) => e.actorEmail === actor.email).map((e) => e.details)).toEqual([5, 4, 3, 2, 1].map((step) => ({ step })));
  });

  it('starts with our latest rows, when nobody else writes meanwhile', async () => {
    const { entries } = await admin.audit.list({ limit: 2 });
    if (sharedDatabase) return;
    expect(entries.map((e) => [e.actorEmail, e.action, e.entityType, e.entityId, e.details])).toEqual([
      [actor.email, 'test.step', 'vehicle', vin, { step: 5 }],
      [actor.email, 'test.step', 'vehicle', vin, { step: 4 }],
    ]);
  });

  it('answers an empty last page past the oldest row', async () => {
    expect(await admin.audit.list({ limit: 10, before: 1 })).toEqual({ entries: [], nextBefore: null });
  });
});
