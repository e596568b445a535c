import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import type { SessionSource } from '../auth/route-session';
import { getSessionUser } from '../auth/session';
import { getDb } from '../db';
import { DomainError, issuesToDetails } from '../errors';
import { endpoint, errorResponse, json, type Handler } from '../http/endpoint';
import { authenticateRest } from './authenticate';
import { REST_BASE as REST_PREFIX } from './openapi';
import type { AnyOperation } from './operation';
import { restOperations } from './routes';

type Route = { op: AnyOperation; pattern: RegExp; names: string[] };

/** `{name}` is one path segment; everything else matches itself. */
function compile(op: AnyOperation): Route {
  const names: string[] = [];
  const source = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { op, pattern: new RegExp(`^${source}$`), names };
}

/** A request part checked by its schema; a refusal names each field (`query.limit: …`). */
function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, part: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = issuesToDetails(parsed.error, [part]);
  throw new DomainError('INVALID_REQUEST', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
}

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('INVALID_JSON', 'The request body is not valid JSON.');
  }
}

/**
 * The REST management API: finds the operation of the table for the method and path,
 * authenticates (API token, or a dashboard session) and checks its role, parses the path, query
 * and body with the operation's schemas, calls its handler and checks the answer against the
 * response schema. Every failure is the one JSON error shape (`endpoint()`).
 */
export function createRestHandler(options: { operations?: AnyOperation[]; session?: SessionSource } = {}): Handler {
  const routes = (options.operations ?? restOperations).map(compile);
  const session = options.session ?? getSessionUser;
  return endpoint(async (req) => {
    const url = new URL(req.url);
    const path = url.pathname.startsWith(REST_PREFIX) ? url.pathname.slice(REST_PREFIX.length) : url.pathname;
    const matching = routes.map((r) => ({ route: r, match: r.pattern.exec(path) })).filter((m) => m.match);
    if (!matching.length) throw new DomainError('NOT_FOUND', `There is no operation at ${REST_PREFIX}${path}; the list is at ${REST_PREFIX}/openapi.json.`);
    const found = matching.find((m) => m.route.op.method === req.method);
    if (!found) {
      const allow = matching.map((m) => m.route.op.method).join(', ');
      const error = new DomainError('METHOD_NOT_ALLOWED', `${REST_PREFIX}${path} answers ${allow}, not ${req.method}.`);
      const response = errorResponse(error);
      response.headers.set('allow', allow);
      return response;
    }
    const { op, names } = found.route;
    const db = await getDb();
    const actor: Actor = op.role ? await authenticateRest(db, req, op.role, session) : { kind: 'system', name: 'anonymous' };
    let rawParams: Record<string, string>;
    try {
      rawParams = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found.match![i + 1]!)]));
    } catch {
      throw new DomainError('NOT_FOUND', `The path ${url.pathname} is not well encoded.`);
    }
    const params = parsePart(op.params, rawParams, 'path');
    const query = parsePart(op.query, Object.fromEntries(url.searchParams), 'query');
    const body = op.body && 'json' in op.body ? parsePart(op.body.json, await readJson(req), 'body') : undefined;
    const result = await op.handle({ db, actor, params, query, body, req });
    if (result instanceof Response) return result;
    if (!('json' in op.response)) throw new Error(`${op.method} ${op.path} must answer with a Response`);
    return json(op.response.json.parse(result), { status: op.response.status });
  });
}

/** The handler app/api/v1/[...path]/route.ts serves, with the configured database and Next's session. */
export const handleRestRequest = createRestHandler();
