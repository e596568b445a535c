import { randomUUID } from 'node:crypto';
import { DomainError, isDatabaseUnavailable, requestFaultOf } from '../errors';
import { currentRequestId, logger } from '../logging/logger';

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
  return jsonText(JSON.stringify(value), init);
}

/** `json` for a body already serialised (`body` must be JSON text). */
export function jsonText(body: string, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('content-length', String(Buffer.byteLength(body)));
  headers.set('cache-control', 'no-store');
  headers.set('x-content-type-options', 'nosniff');
  return new TextResponse(body, { status: init.status, statusText: init.statusText, headers });
}

/**
 * A Response whose body is a string held as it is: undici wraps a string body in a
 * ReadableStream at once (with Node 20's transferable-stream setup), which the node:http
 * entries never read (they write the text, bodyTextOf). Here the stream is made only when
 * someone reads `body`; `text()`, `json()` and the others read the string. A complete Response
 * for any reader (Next under `npm run dev`, tests).
 */
class TextResponse extends Response {
  [BODY_TEXT]: string;
  #stream: ReadableStream<Uint8Array> | undefined;
  #used = false;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this[BODY_TEXT] = text;
  }

  /** The text, once: a body is read at most once, as with any Response. */
  #take(): string {
    if (textBodyUsed(this)) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this[BODY_TEXT];
  }

  static bodyOf(response: TextResponse): ReadableStream<Uint8Array> {
    if (!response.#stream) {
      const bytes = Buffer.from(response[BODY_TEXT]);
      response.#stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          controller.close();
        },
      });
    }
    return response.#stream;
  }

  static used(response: TextResponse): boolean {
    return response.#used || (response.#stream !== undefined && response.#stream.locked);
  }

  override async text(): Promise<string> {
    return this.#take();
  }

  override async json(): Promise<unknown> {
    return JSON.parse(this.#take());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.#take());
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async blob(): Promise<Blob> {
    return new Blob([this.#take()], { type: this.headers.get('content-type') ?? '' });
  }

  override async formData(): Promise<FormData> {
    return new Response(this.#take(), { headers: this.headers }).formData();
  }

  override clone(): Response {
    if (textBodyUsed(this)) throw new TypeError('Response.clone: Body has already been consumed.');
    return new TextResponse(this[BODY_TEXT], { status: this.status, statusText: this.statusText, headers: this.headers });
  }
}
const textBodyUsed = (response: TextResponse) => TextResponse.used(response);
// `body` and `bodyUsed` are accessors on Response.prototype (TypeScript declares them as properties).
Object.defineProperties(TextResponse.prototype, {
  body: { get(this: TextResponse) { return TextResponse.bodyOf(this); }, configurable: true },
  bodyUsed: { get(this: TextResponse) { return TextResponse.used(this); }, configurable: true },
});

/** The one translator of errors to a JSON body with code, message and details (vehicle API and dashboard endpoints). */
export function errorResponse(error: unknown): Response {
  error = error instanceof DomainError ? error : (requestFaultOf(error) ?? error);
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    const retryAfter = error.retryAfterSeconds ?? (error.code === 'UNAVAILABLE' ? 5 : undefined);
    if (retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
    return json({ error: { code: error.code, message: error.message, details: error.details } }, { status: error.status, headers });
  }
  const requestId = currentRequestId() ?? randomUUID();
  if (isDatabaseUnavailable(error)) {
    logger.error({ err: error, requestId }, 'database unavailable');
    return json(
      { error: { code: 'UNAVAILABLE', message: 'the database is unreachable; retry later', details: [], requestId } },
      { status: 503, headers: { 'retry-after': '5' } },
    );
  }
  logger.error({ err: error, requestId }, 'unexpected error');
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
