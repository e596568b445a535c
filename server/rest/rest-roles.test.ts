import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, type Role } from '@/db/schema';
import { appRouter } from '../api/root';
import { getDb } from '../db';
import { callRest, makeApiToken } from '../testing/rest';
import { restOperations } from './routes';

const below: Record<Role, Role[]> = { support: [], operator: ['support'], admin: ['support', 'operator'] };
/** A concrete path of an operation: every `{param}` filled in (the role is checked before the path is read). */
const concrete = (path: string) => path.replace(/\{\w+\}/g, '1');

async function codeOf(res: Response) {
  const body = await res.json();
  return `${res.status} ${body.error?.code ?? 'OK'}`;
}

describe('every REST operation checks its role as the dashboard does', () => {
  const tokens = new Map<Role, string>();
  let revoked: string;
  let expired: string;

  beforeAll(async () => {
    for (const role of ['support', 'operator', 'admin'] as const) tokens.set(role, (await makeApiToken(role)).token);
    const db = await getDb();
    const r = await makeApiToken('admin');
    await db.update(apiTokens).set({ revokedAt: sql`now()` }).where(eq(apiTokens.id, r.apiToken.id));
    revoked = r.token;
    const e = await makeApiToken('admin', { expiresInDays: 1 });
    await db.update(apiTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiTokens.id, e.apiToken.id));
    expired = e.token;
  });

  it('has operations, each with a role but the OpenAPI document', () => {
    expect(restOperations.length).toBeGreaterThan(20);
    expect(restOperations.filter((op) => op.role === null).map((op) => `${op.method} ${op.path}`)).toEqual(['GET /openapi.json']);
  });

  it('asks the role of the dashboard procedure each operation mirrors', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { role: Role | null } } }>;
    const mirrored = restOperations.filter((op) => op.procedure);
    expect(mirrored.map((op) => [`${op.method} ${op.path}`, op.role])).toEqual(mirrored.map((op) => [`${op.method} ${op.path}`, procedures[op.procedure!]?._def.meta?.role ?? `no procedure ${op.procedure}`]));
    // The others stand for a dashboard route handler (same rule, in server/auth/route-session.ts) or are public.
    expect(restOperations.filter((op) => !op.procedure).map((op) => `${op.method} ${op.path} ${op.role}`)).toEqual([
      'POST /software-packages operator',
      'GET /campaigns/{id}/vehicles.csv support',
      'GET /openapi.json null',
    ]);
  });

  it.each(restOperations.filter((op) => op.role).map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: no token, a bad, revoked or expired one → 401; a lower role → 403',
    async (_, op) => {
      const path = concrete(op.path);
      expect(await codeOf(await callRest(op.method, path))).toBe('401 UNAUTHORIZED');
      expect(await codeOf(await callRest(op.method, path, { token: 'ota_not-a-token' }))).toBe('401 UNAUTHORIZED');
      expect(await codeOf(await callRest(op.method, path, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }))).toBe('401 UNAUTHORIZED');
      expect(await codeOf(await callRest(op.method, path, { token: revoked }))).toBe('401 UNAUTHORIZED');
      expect(await codeOf(await callRest(op.method, path, { token: expired }))).toBe('401 UNAUTHORIZED');
      for (const role of below[op.role!]) {
        expect(await codeOf(await callRest(op.method, path, { token: tokens.get(role) })), `${op.method} ${op.path} as ${role}`).toBe('403 FORBIDDEN');
      }
    },
  );

  it('accepts a signed-in dashboard session instead of a token, with its role', async () => {
    const support = { id: 1, email: 'support-rest@test.example', name: '', role: 'support' as const };
    expect((await callRest('GET', '/vehicles?limit=1', { session: support })).status).toBe(200);
    const refused = await callRest('POST', '/campaigns/1/deploy', { session: support });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: 'This needs the operator role; you are signed in as support.' } });
  });
});
