import { randomUUID } from 'node:crypto';
import type { Role } from '@/db/schema';
import { createApiToken } from '../auth/api-tokens';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db';
import { createRestHandler } from '../rest/handle-request';

/** A fresh API token of `role`, made as the command line makes one. */
export async function makeApiToken(role: Role, options: { name?: string; expiresInDays?: number } = {}) {
  const name = options.name ?? `test ${role} ${randomUUID().slice(0, 8)}`;
  return createApiToken(await getDb(), { kind: 'system', name: 'cli:test' }, { name, role, expiresInDays: options.expiresInDays });
}

type CallOptions = { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; session?: SessionUser | null };

/** Calls the REST API in process, as `curl -H 'Authorization: Bearer …'` would over HTTP. */
export async function callRest(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  }
  const handler = createRestHandler({ session: async () => options.session ?? null });
  return handler(new Request(`http://ota.test/api/v1${path}`, { method, headers, body, duplex: 'half' } as RequestInit));
}
