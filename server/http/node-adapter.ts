import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Handler } from '../vehicle-api/http';

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

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as never), res);
}

/** A node:http server that serves `handler` with no framework in between. */
export function createHandlerServer(handler: Handler): Server {
  return createServer((req, res) => {
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
  });
}

/** Listens on `port` (0: any free one) on loopback and resolves with the base URL. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  return `http://${host}:${address.port}`;
}
