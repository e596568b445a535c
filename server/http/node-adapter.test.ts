import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonBody } from '../vehicle-api/http';
import { bufferedBodyOf, endpoint, json } from './endpoint';
import { createHandlerServer, listen } from './node-adapter';

// The adapter's shortcut for small JSON bodies must not change what a handler sees or what a
// client gets: the same parsed body, a Request whose body can still be read as usual, and the
// same status, headers and bytes back.
const echo = endpoint(async (req) => {
  const buffered = bufferedBodyOf(req) !== undefined;
  const viaStream = buffered ? await req.clone().text() : null;
  const body = await readJsonBody(req);
  return json({ body, buffered, viaStream }, { status: 201 });
});

let url = '';
const server = createHandlerServer(echo);
beforeAll(async () => {
  url = await listen(server, 0);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A POST through node:http; `chunked` sends the body without Content-Length. */
function post(body: string, chunked = false): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/x`, { method: 'POST', headers: chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (chunked) {
      req.write(body.slice(0, 5));
      req.write(body.slice(5));
    }
    req.end(chunked ? undefined : body);
  });
}

describe('node adapter', () => {
  it('hands a small body over read whole, and the Request can still be read as a stream', async () => {
    const sent = '{"signed": {"vin": "VIN-É", "primaryId": "0",}}';
    const res = await post(sent);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(JSON.parse(res.text)).toEqual({ body: { signed: { vin: 'VIN-É', primaryId: '0' } }, buffered: true, viaStream: sent });
  });

  it('streams a body sent without a length, with the same result', async () => {
    const res = await post('{"signed": {"vin": "V1", "primaryId": "0"}}', true);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toEqual({ body: { signed: { vin: 'V1', primaryId: '0' } }, buffered: false, viaStream: null });
  });

  it('answers an empty body with the JSON error, as before', async () => {
    const res = await post('');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.code).toBe('INVALID_JSON');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  });
});
