import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { callerAs } from '../testing/trpc';
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { userActor } from './actor';
import { authenticate, currentSessionUser, insertUser, updateUser, type SessionUser } from './users';

const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as TRPCError);

describe('users and roles (admin)', () => {
  let admin: Awaited<ReturnType<typeof callerAs>>;
  let me: SessionUser;
  const email = `New.Person-${randomUUID().slice(0, 8)}@Example.com`;
  let id: number;

  beforeAll(async () => {
    admin = await callerAs('admin');
    me = await admin.users.me();
  });

  it('creates a user who can then sign in, and audits it without the password', async () => {
    const user = await admin.users.create({ email: `  ${email} `, name: ' New Person ', password: 'first-password', role: 'support' });
    id = user.id;
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'New Person', role: 'support', disabled: false, lastSignInAt: null });
    expect((await admin.users.list()).find((u) => u.id === id)).toMatchObject({ email: email.toLowerCase(), role: 'support' });

    const db = await getDb();
    expect(await authenticate(db, email, 'wrong-password')).toBeNull();
    expect(await authenticate(db, email.toUpperCase(), 'first-password')).toMatchObject({ id, role: 'support' });
    expect((await admin.users.list()).find((u) => u.id === id)!.lastSignInAt).toBeInstanceOf(Date);

    const { entries } = await admin.audit.list({ limit: 200 });
    const entry = entries.find((e) => e.action === 'user.create' && e.entityId === String(id));
    expect(entry).toMatchObject({ actorEmail: me.email, entityType: 'user', details: { email: email.toLowerCase(), name: 'New Person', role: 'support' } });
    expect(JSON.stringify(entry)).not.toContain('first-password');
  });

  it('refuses a second user with the same e-mail, whatever its case, with a readable message', async () => {
    const error = await failure(admin.users.create({ email: email.toUpperCase(), password: 'other-password', role: 'admin' }));
    expect(codeOf(error)).toBe('CONFLICT');
    expect(error!.message).toBe(`A user with the e-mail ${email.toLowerCase()} exists already.`);
  });

  it('refuses a short password and a malformed e-mail', async () => {
    expect(codeOf(await failure(admin.users.create({ email: `x-${randomUUID()}@example.com`, password: 'short', role: 'support' })))).toBe('BAD_REQUEST');
    expect(codeOf(await failure(admin.users.create({ email: 'not-an-email', password: 'long-enough', role: 'support' })))).toBe('BAD_REQUEST');
  });

  it('changes the role, audited with the old and new role', async () => {
    const user = await admin.users.update({ id, role: 'operator' });
    expect(user).toMatchObject({ id, role: 'operator', disabled: false });
    expect(await authenticate(await getDb(), email, 'first-password')).toMatchObject({ role: 'operator' });
    const { entries } = await admin.audit.list({ limit: 200 });
    expect(entries.find((e) => e.action === 'user.update' && e.entityId === String(id))).toMatchObject({
      actorEmail: me.email,
      details: { email: email.toLowerCase(), role: { from: 'support', to: 'operator' } },
    });
  });

  it('disables a user: they can no longer sign in and their session stops counting; enabling lets them back', async () => {
    const db = await getDb();
    const session = (await authenticate(db, email, 'first-password'))!;
    expect(await currentSessionUser(db, session)).toMatchObject({ id, role: 'operator' });

    expect(await admin.users.update({ id, disabled: true })).toMatchObject({ disabled: true });
    expect(await authenticate(db, email, 'first-password')).toBeNull();
    expect(await currentSessionUser(db, session)).toBeNull();
    const { entries } = await admin.audit.list({ limit: 200 });
    expect(entries.find((e) => e.action === 'user.update' && e.entityId === String(id))!.details).toEqual({ email: email.toLowerCase(), disabled: { from: false, to: true } });

    await admin.users.update({ id, disabled: false });
    expect(await authenticate(db, email, 'first-password')).toMatchObject({ id });
  });

  it('writes no audit row for a change that changes nothing', async () => {
    const count = async () => (await admin.audit.list({ limit: 200 })).entries.filter((e) => e.entityType === 'user' && e.entityId === String(id)).length;
    const before = await count();
    await admin.users.update({ id, role: 'operator', disabled: false });
    expect(await count()).toBe(before);
  });

  it('keeps an admin from demoting or disabling themselves', async () => {
    for (const change of [{ role: 'operator' as const }, { disabled: true }]) {
      const error = await failure(admin.users.update({ id: me.id, ...change }));
      expect(codeOf(error)).toBe('CONFLICT');
      expect(error!.message).toBe('You cannot demote or disable yourself; ask another admin.');
    }
    expect((await admin.users.list()).find((u) => u.id === me.id)).toMatchObject({ role: 'admin', disabled: false });
  });

  it('says so when the user does not exist or nothing is asked', async () => {
    expect(codeOf(await failure(admin.users.update({ id: 2_000_000_000, role: 'support' })))).toBe('NOT_FOUND');
    expect(codeOf(await failure(admin.users.update({ id })))).toBe('BAD_REQUEST');
  });
});

describe('the last admin', () => {
  it('cannot be demoted or disabled, even by an admin whose own demotion raced ahead', async () => {
    const db = await getDb();
    const a = await insertUser(db, { email: `last-a-${randomUUID().slice(0, 6)}@test.example`, password: 'test-password', role: 'admin' });
    const b = await insertUser(db, { email: `last-b-${randomUUID().slice(0, 6)}@test.example`, password: 'test-password', role: 'admin' });
    const staleB = userActor(b);
    const rollback = new Error('rollback');
    await expect(
      db.transaction(async (tx) => {
        // Every other admin is gone and B was just made an operator: A is the last active admin.
        await tx.update(users).set({ disabled: true }).where(and(eq(users.role, 'admin'), ne(users.id, a.id)));
        await tx.update(users).set({ role: 'operator', disabled: false }).where(eq(users.id, b.id));
        await expect(updateUser(tx as unknown as Db, staleB, { id: a.id, role: 'support' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('last active admin') });
        await expect(updateUser(tx as unknown as Db, staleB, { id: a.id, disabled: true })).rejects.toMatchObject({ code: 'CONFLICT' });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });
});
