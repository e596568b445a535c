import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listen } from '../http/node-adapter';

export type Received = { headers: IncomingHttpHeaders; body: string; json: { id: string; type: string; createdAt: string; data: Record<string, unknown> } };

/** A webhook receiver on loopback: records every POST and answers `status` (changeable). */
export async function startWebhookReceiver(port = 0) {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, json: JSON.parse(body) as Received['json'] });
      res.writeHead(state.status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  const url = await listen(server, port, '127.0.0.1');
  return {
    url,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
