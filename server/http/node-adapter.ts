import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Handler } from './endpoint';

/**
 * Turns a node:http request into a Web Request (the body streamed, not buffered). The URL's
 * origin is fixed: a client's Host header is only a header (publicOrigin reads it), so a
 * malformed one cannot break the request.
 */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', `http://localhost:${req.socket.localPort ?? 80}`), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
  } as RequestInit);
}

/** Bodies up to this size with a declared length (the JSON answers) are written in one piece. */
const SMALL_BODY = 64 * 1024;

/**
 * Writes a Web Response as it is: status, every header (Content-Length included), and the
 * body streamed with backpressure, so a 1 GiB download holds a few chunks in memory at a time.
 * Node sends no body for a HEAD request and keeps the declared Content-Length.
 */
async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
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
    Promise.resolve()
      .then(() => handler(toRequest(req)))
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        // A client that hangs up mid-download (to resume later with Range) is not an error.
        if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
        console.error('response failed:', error);
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'unexpected server error', details: [] } }));
      });
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
    console.log(`${signal}: finishing the requests in flight, then stopping`);
    const force = setTimeout(() => {
      console.error(`requests still open after ${graceMs} ms; closing them`);
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      cleanup().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('shutdown failed:', error);
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
