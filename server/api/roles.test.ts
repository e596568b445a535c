import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/db/schema';
import { callerAs } from '../testing/trpc';
import { appRouter } from './root';

type AnyCaller = Record<string, unknown>;
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { role: Role | null } } }>).map(([path, p]) => ({
  path,
  role: p._def.meta?.role ?? null,
}));
const below: Record<Role, Role[]> = { support: [], operator: ['support'], admin: ['support', 'operator'] };

async function call(caller: AnyCaller, path: string): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as AnyCaller)[key], caller);
  return (fn as (input?: unknown) => Promise<unknown>)(undefined);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}

describe('every dashboard procedure checks the role in its tier', () => {
  const callers = new Map<Role | null, AnyCaller>();
  beforeAll(async () => {
    for (const role of [null, 'support', 'operator'] as const) callers.set(role, (await callerAs(role)) as unknown as AnyCaller);
  });

  it('has procedures, each with a role', () => {
    expect(procedures.length).toBeGreaterThan(3);
    expect(procedures.filter((p) => p.role === null).map((p) => p.path)).toEqual([]);
  });

  it.each(procedures.map((p) => [p.path, p] as const))('%s: no session → UNAUTHORIZED, a lower role → FORBIDDEN', async (_, p) => {
    expect(await codeOf(call(callers.get(null)!, p.path))).toBe('UNAUTHORIZED');
    for (const role of below[p.role!]) {
      expect(await codeOf(call(callers.get(role)!, p.path)), `${p.path} as ${role}`).toBe('FORBIDDEN');
    }
  });
});
