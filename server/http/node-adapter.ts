import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../errors';
import { logger } from '../logging/logger';
import { bodyTextOf, errorResponse, withBufferedBody, type Handler } from './endpoint';
import { BufferedRequest, headersFromRaw } from './buffered-request';
import { setPeerAddress } from './peer-address';

/** Request bodies up to this size with a declared length (the vehicles' JSON messages) are read whole first. */
const SMALL_BODY = 64 * 1024;

/**
 * Turns a node:http request into a Web Request. The URL's origin is fixed: a client's Host
 * header is only a header (publicOrigin reads it), so a malformed one cannot break the request.
 * A small body with a declared length comes already read (`body`): the Request is a
 * BufferedRequest over the bytes, and readJsonBody takes them without a stream
 * (withBufferedBody). Any other body is streamed, not buffered.
 */
function toRequest(req: IncomingMessage, body?: Buffer): Request {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const base = `http://localhost:${req.socket.localPort ?? 80}`;
  const path = req.url ?? '/';
  if (body) {
    const url = path.startsWith('/') ? base + path : absoluteTarget(path, base).href;
    const buffered = withBufferedBody(new BufferedRequest(req.method!, url, req.rawHeaders, body), body);
    setPeerAddress(buffered, req.socket.remoteAddress);
    return buffered;
  }
  const request = new Request(path.startsWith('/') ? base + path : absoluteTarget(path, base), {
    method: req.method,
    headers: headersFromRaw(req.rawHeaders),
    body: hasBody ? bodyStreamOf(req) : undefined,
    duplex: 'half',
  } as RequestInit);
  setPeerAddress(request, req.socket.remoteAddress);
  return request;
}

/**
 * The request body as a Web stream, with backpressure. Unlike Readable.toWeb, cancelling it
 * (readJsonBody does at 1 MiB) does not destroy the socket: the rest of the body is left for
 * drainRequest, so that the client, still sending, can read its 413 instead of seeing EPIPE.
 */
function bodyStreamOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let onData: (chunk: Buffer) => void = () => {};
  let onEnd: () => void = () => {};
  let onError: (error: Error) => void = () => {};
  const detach = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onData = (chunk) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        onEnd = () => {
          detach();
          controller.close();
        };
        onError = (error) => {
          detach();
          controller.error(error);
        };
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onError);
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        detach();
        req.pause();
      },
    },
    { highWaterMark: 256 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/** Past this many bytes, or this long, a body nobody reads any more is cut off with the socket. */
const DRAIN_LIMIT = 32 * 1024 * 1024;
const DRAIN_MS = 30_000;

/**
 * Reads and discards what remains of a request body after its answer was written (a 413, a
 * 429, a 404 to an upload), so that a client that writes its whole body before reading gets
 * the answer rather than a reset connection. A client that keeps sending past DRAIN_LIMIT
 * bytes or DRAIN_MS is cut off.
 */
export function drainRequest(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  // The handler is done with the body: a stream it left unread (bodyStreamOf) lets go of it.
  req.removeAllListeners('data');
  let drained = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DRAIN_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.byteLength;
    if (drained > DRAIN_LIMIT) {
      clearTimeout(timer);
      cut();
    }
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/** Answers with a JSON error straight from node:http (no handler), then drains the body. */
export function answerError(req: IncomingMessage, res: ServerResponse, status: number, error: { code: string; message: string }, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { ...error, details: [] } });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
  drainRequest(req);
}

/** An absolute-form request target (`GET http://host/path`), or 400 when it is not a URL. */
function absoluteTarget(target: string, base: string): URL {
  try {
    return new URL(target, base);
  } catch {
    throw new DomainError('INVALID_REQUEST', 'the request target is not a path or a URL');
  }
}

/** The body of a request that declares a small one, read whole; undefined for any other (streamed). */
function readSmallBody(req: IncomingMessage): Promise<Buffer> | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (!(declared <= SMALL_BODY) || req.headers['transfer-encoding']) return undefined;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Writes a Web Response as it is: status, every header (Content-Length included), and the
 * body streamed with backpressure, so a 1 GiB download holds a few chunks in memory at a time.
 * A `json()` answer is written from the text it was built from; other bodies up to SMALL_BODY
 * with a declared length in one piece. Node sends no body for a HEAD request and keeps the
 * declared Content-Length.
 */
async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  const text = bodyTextOf(response);
  if (text !== undefined) {
    res.end(text);
    return;
  }
  if (!response.body) {
    res.end();
    return;
  }
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (length <= SMALL_BODY) {
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  await pipeline(Readable.fromWeb(response.body as never), res);
}

/** A node:http request listener that serves `handler` with no framework in between. */
export function nodeListener(handler: Handler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const fail = (error: unknown) => {
      // A client that hangs up mid-download (to resume later with Range) is not an error.
      if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      if (error instanceof DomainError && !res.headersSent) return void writeResponse(errorResponse(error), res).catch(() => res.destroy());
      logger.error({ err: error }, 'response failed');
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'unexpected server error', details: [] } }));
    };
    const serve = (body?: Buffer) =>
      Promise.resolve()
        .then(() => handler(toRequest(req, body)))
        .then((response) => writeResponse(response, res))
        .catch(fail)
        .finally(() => drainRequest(req));
    const small = readSmallBody(req);
    if (!small) void serve();
    // A client that hangs up while sending has nobody to answer.
    else small.then(serve, () => res.destroy());
  };
}

/** A node:http server that serves `handler` with no framework in between. */
export function createHandlerServer(handler: Handler): Server {
  return createServer(nodeListener(handler));
}

/** Listens on `port` (0: any free one) on loopback and resolves with the base URL. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown}:${address.port}`;
}

/**
 * On SIGTERM or SIGINT: stop accepting connections, let the requests in flight finish (at
 * most `graceMs`), run `cleanup` (close the database), then exit.
 */
export function closeOnSignals(server: Server, cleanup: () => Promise<void>, graceMs = 10_000): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'finishing the requests in flight, then stopping');
    const force = setTimeout(() => {
      logger.warn({ graceMs }, 'requests still open after the grace period; closing them');
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      cleanup().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
