import { randomUUID } from 'node:crypto';
import { DomainError, isDatabaseUnavailable, requestFaultOf } from '../errors';

/** Every HTTP endpoint outside tRPC (vehicle API, downloads, uploads, CSV, health) has this shape. */
export type Handler = (req: Request) => Promise<Response>;

/** A JSON answer with its Content-Length (so that a HEAD gets the same headers as the GET). */
export function json(value: unknown, init: ResponseInit = {}): Response {
  const body = JSON.stringify(value);
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('content-length', String(Buffer.byteLength(body)));
  headers.set('cache-control', 'no-store');
  return new Response(body, { ...init, headers });
}

/** The one translator of errors to a JSON body with code, message and details (vehicle API and dashboard endpoints). */
export function errorResponse(error: unknown): Response {
  error = error instanceof DomainError ? error : (requestFaultOf(error) ?? error);
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error.code === 'UNAVAILABLE') headers['retry-after'] = '5';
    return json({ error: { code: error.code, message: error.message, details: error.details } }, { status: error.status, headers });
  }
  const requestId = randomUUID();
  if (isDatabaseUnavailable(error)) {
    console.error(`[${requestId}] database unavailable:`, error);
    return json(
      { error: { code: 'UNAVAILABLE', message: 'the database is unreachable; retry later', details: [], requestId } },
      { status: 503, headers: { 'retry-after': '5' } },
    );
  }
  console.error(`[${requestId}] unexpected error:`, error);
  return json(
    { error: { code: 'INTERNAL', message: `unexpected server error; quote request id ${requestId}`, details: [], requestId } },
    { status: 500 },
  );
}

/** Wraps an endpoint so that every failure becomes its JSON error and nothing escapes as a stack trace. */
export function endpoint(fn: Handler): Handler {
  return async (req) => {
    try {
      return await fn(req);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
