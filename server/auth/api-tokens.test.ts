import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, auditLog } from '@/db/schema';
import { getDb } from '../db';
import { callRest } from '../testing/rest';
import { callerAs } from '../testing/trpc';

const lastUsed = async (id: number) => (await (await getDb()).select({ at: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id)))[0]!.at;

describe('API tokens (Admin → API tokens)', () => {
  let admin: Awaited<ReturnType<typeof callerAs>>;
  let adminEmail: string;
  beforeAll(async () => {
    admin = await callerAs('admin');
    adminEmail = (await admin.users.me()).email;
  });

  it('shows the token once, keeps only its sha256 and a prefix, and audits the creation without it', async () => {
    const name = `release pipeline ${Date.now()}`;
    const { token, apiToken } = await admin.apiTokens.create({ name: `  ${name} `, role: 'operator', expiresInDays: 30 });
    expect(token).toMatch(/^ota_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name, role: 'operator', prefix: token.slice(0, 12), createdBy: adminEmail, lastUsedAt: null, revokedAt: null });
    expect(apiToken.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);

    const db = await getDb();
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id));
    expect(row!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    const listed = (await admin.apiTokens.list()).find((t) => t.id === apiToken.id);
    expect(listed).toEqual(apiToken);
    expect(JSON.stringify(await admin.apiTokens.list())).not.toContain(token);

    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'api_token.create'), eq(auditLog.entityId, String(apiToken.id))));
    expect(audit).toEqual([expect.objectContaining({ actorEmail: adminEmail, entityType: 'api_token', details: expect.objectContaining({ name, role: 'operator', prefix: apiToken.prefix }) })]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('refuses a second live token of the same name, and a bad name or expiry, with a readable message', async () => {
    const name = `ci ${Date.now()}`;
    await admin.apiTokens.create({ name, role: 'support' });
    await expect(admin.apiTokens.create({ name, role: 'admin' })).rejects.toMatchObject({ code: 'CONFLICT', message: `A token named "${name}" exists already; revoke it first or choose another name.` });
    await expect(admin.apiTokens.create({ name: ' ', role: 'admin' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Give the token a name') });
    await expect(admin.apiTokens.create({ name: 'x', role: 'admin', expiresInDays: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'expiresInDays: Expiry is at least 1 day' });
  });

  it('records its last use at most once a minute', async () => {
    const { token, apiToken } = await admin.apiTokens.create({ name: `last use ${Date.now()}`, role: 'support' });
    expect((await callRest('GET', '/vehicles?limit=1', { token })).status).toBe(200);
    const first = await lastUsed(apiToken.id);
    expect(first).toBeInstanceOf(Date);
    expect((await callRest('GET', '/vehicles?limit=1', { token })).status).toBe(200);
    expect(await lastUsed(apiToken.id)).toEqual(first);
    const db = await getDb();
    await db.update(apiTokens).set({ lastUsedAt: sql`now() - interval '2 minutes'` }).where(eq(apiTokens.id, apiToken.id));
    expect((await callRest('GET', '/vehicles?limit=1', { token })).status).toBe(200);
    expect((await lastUsed(apiToken.id))!.getTime()).toBeGreaterThan(Date.now() - 30_000);
  });

  it('stops a revoked token at once, audits the revocation once, and frees its name', async () => {
    const name = `revoked ${Date.now()}`;
    const { token, apiToken } = await admin.apiTokens.create({ name, role: 'admin' });
    expect((await callRest('GET', '/audit-log?limit=1', { token })).status).toBe(200);
    const revoked = await admin.apiTokens.revoke({ id: apiToken.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await admin.apiTokens.revoke({ id: apiToken.id });

    const res = await callRest('GET', '/audit-log?limit=1', { token });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: `The API token "${name}" was revoked.`, details: [] } });
    const db = await getDb();
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'api_token.revoke'), eq(auditLog.entityId, String(apiToken.id))));
    expect(audit).toEqual([expect.objectContaining({ actorEmail: adminEmail, details: expect.objectContaining({ name, role: 'admin' }) })]);
    await expect(admin.apiTokens.create({ name, role: 'admin' })).resolves.toMatchObject({ apiToken: { name } });
    await expect(admin.apiTokens.revoke({ id: 2_000_000_000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says why an expired token is refused', async () => {
    const { token, apiToken } = await admin.apiTokens.create({ name: `expired ${Date.now()}`, role: 'support', expiresInDays: 1 });
    const db = await getDb();
    await db.update(apiTokens).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(apiTokens.id, apiToken.id));
    const res = await callRest('GET', '/vehicles', { token });
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/^The API token "expired \d+" expired at \d{4}-/);
  });
});
