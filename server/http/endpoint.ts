import { randomUUID } from 'node:crypto';
import { DomainError, isDatabaseUnavailable, requestFaultOf } from '../errors';

/** Every HTTP endpoint outside tRPC (vehicle API, downloads, uploads, CSV, health) has this shape. */
export type Handler = (req: Request) => Promise<Response>;

// Shortcuts between node-adapter.ts and the endpoints, for the small JSON messages of the
// vehicle hot paths. They are plain properties under global symbols (one per process, whichever
// module instance set them): the Request and the Response stay complete Web objects that any
// reader may consume as usual; the adapter only skips converting a body it already holds.
const BUFFERED_BODY = Symbol.for('ota.http.buffered-body');
const BODY_TEXT = Symbol.for('ota.http.body-text');
type WithBufferedBody = { [BUFFERED_BODY]?: Buffer };
type WithBodyText = { [BODY_TEXT]?: string };

/** Marks `req` as built from `body`, already read whole by the server (node-adapter.ts). */
export function withBufferedBody(req: Request, body: Buffer): Request {
  (req as Request & WithBufferedBody)[BUFFERED_BODY] = body;
  return req;
}

/** The whole body of `req` when the server read it before building the Request; else undefined (read the stream). */
export function bufferedBodyOf(req: Request): Buffer | undefined {
  return (req as Request & WithBufferedBody)[BUFFERED_BODY];
}

/** The text a `json()` answer was built from, for the server to write without reading the Response's stream. */
export function bodyTextOf(response: Response): string | undefined {
  return response.bodyUsed ? undefined : (response as Response & WithBodyText)[BODY_TEXT];
}

/** A JSON answer with its Content-Length (so that a HEAD gets the same headers as the GET). */
export function json(value: unknown, init: ResponseInit = {}): Response {
  const body = JSON.stringify(value);
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('content-length', String(Buffer.byteLength(body)));
  headers.set('cache-control', 'no-store');
  headers.set('x-content-type-options', 'nosniff');
  const response = new Response(body, { ...init, headers });
  (response as Response & WithBodyText)[BODY_TEXT] = body;
  return response;
}

/** The one translator of errors to a JSON body with code, message and details (vehicle API and dashboard endpoints). */
export function errorResponse(error: unknown): Response {
  error = error instanceof DomainError ? error : (requestFaultOf(error) ?? error);
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    const retryAfter = error.retryAfterSeconds ?? (error.code === 'UNAVAILABLE' ? 5 : undefined);
    if (retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
    return json({ error: { code: error.code, message: error.message, details: error.details } }, { status: error.status, headers });
  }
  const requestId = randomUUID();
  if (isDatabaseUnavailable(error)) {
    console.error(`[${requestId}] database unavailable: ${describeError(error)}`);
    return json(
      { error: { code: 'UNAVAILABLE', message: 'the database is unreachable; retry later', details: [], requestId } },
      { status: 503, headers: { 'retry-after': '5' } },
    );
  }
  console.error(`[${requestId}] unexpected error:`, safeForLog(error));
  return json(
    { error: { code: 'INTERNAL', message: `unexpected server error; quote request id ${requestId}`, details: [], requestId } },
    { status: 500 },
  );
}

/** An error's name, code and message, one line: what a log may say about a database failure. */
function describeError(error: unknown): string {
  const e = error as { name?: string; code?: unknown; message?: string; cause?: unknown };
  const cause = e.cause ? ` (cause: ${describeError(e.cause)})` : '';
  return `${e.name ?? 'Error'}${typeof e.code === 'string' ? ` ${e.code}` : ''}: ${firstLine(e.message ?? String(error))}${cause}`;
}

const firstLine = (text: string) => text.split('\n', 1)[0]!.slice(0, 300);

/**
 * What of an unexpected error goes to the log: its description and stack, never the
 * query's parameters (drizzle's "Failed query: … params: …" message carries the raw event,
 * URLs and tokens a vehicle sent).
 */
export function safeForLog(error: unknown): string {
  const e = error as { message?: string; stack?: string };
  const stack = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12).join('\n');
  return `${describeError(error)}${stack ? `\n${stack}` : ''}`;
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
