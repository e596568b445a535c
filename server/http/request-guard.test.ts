import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getConfig, resetConfig } from '../config';
import { handleVehicleRequest, isVehiclePath } from '../vehicle-api/routes';
import { CLIENT_IP_HEADER } from './client-ip';
import { listen, nodeListener } from './node-adapter';
import { applyTimeouts, guardRequests } from './request-guard';

/** What the stand-in dashboard saw of the last request (Next reads the same fields). */
let seen: { headers: IncomingMessage['headers'] } | null = null;
let hold: Promise<void> | null = null;
/** The stand-in dashboard answers 401, as next-auth does for a wrong password. */
let failing = false;

async function dashboard(req: IncomingMessage, res: ServerResponse) {
  seen = { headers: { ...req.headers } };
  if (hold) await hold;
  res.statusCode = failing ? 401 : 200;
  res.setHeader('content-type', 'text/html');
  res.end('<html>dashboard</html>');
}

const env = ['TRUSTED_PROXIES', 'MAX_REQUESTS_IN_FLIGHT_PER_IP', 'PUBLIC_URL', 'SIGN_IN_RATE_LIMIT_PER_MINUTE'] as const;
let server: Server | null = null;

async function start(vars: Partial<Record<(typeof env)[number], string>> = {}): Promise<string> {
  for (const name of env) delete process.env[name];
  Object.assign(process.env, vars);
  resetConfig();
  const config = getConfig();
  server = createServer(guardRequests(config, { isVehicle: isVehiclePath, vehicle: nodeListener(handleVehicleRequest), dashboard }));
  applyTimeouts(server, config);
  return listen(server, 0);
}

/** Sends `head` and then `body` in pieces on a raw socket, and resolves with everything the server answered. */
function rawRequest(url: string, head: string, body: Buffer = Buffer.alloc(0)): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
    socket.write(head);
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + 64 * 1024);
        offset += piece.length;
        if (!socket.write(piece)) return void socket.once('drain', writeMore);
      }
      // Everything sent: give the server a moment to answer, then hang up.
      setTimeout(() => socket.end(), 300);
    };
    writeMore();
  });
}

afterEach(async () => {
  hold = null;
  failing = false;
  seen = null;
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
  for (const name of env) delete process.env[name];
  resetConfig();
});

describe('the production entry front door', () => {
  it('puts a nonce CSP, frame and sniffing protection on dashboard pages, and hands Next the same policy', async () => {
    const url = await start();
    const res = await fetch(`${url}/campaigns`);
    expect(await res.text()).toContain('dashboard');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(seen!.headers['content-security-policy']).toBe(csp);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    // A fresh nonce every time.
    const again = await fetch(`${url}/campaigns`);
    expect(again.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('sends HSTS only when a trusted proxy says the request came over https', async () => {
    const url = await start({ TRUSTED_PROXIES: '127.0.0.1' });
    const https = await fetch(`${url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    const plain = await fetch(`${url}/`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    await new Promise((resolve) => server?.close(resolve));

    const untrusted = await start({ TRUSTED_PROXIES: '10.0.0.1' });
    const claimed = await fetch(`${untrusted}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers.get('strict-transport-security')).toBeNull();
  });

  it('passes on the address it determined, not one the client claims', async () => {
    const url = await start();
    await fetch(`${url}/`, { headers: { [CLIENT_IP_HEADER]: '203.0.113.9', 'x-forwarded-for': '203.0.113.10' } });
    expect(seen!.headers[CLIENT_IP_HEADER]).toBe('127.0.0.1');
    await new Promise((resolve) => server?.close(resolve));

    const proxied = await start({ TRUSTED_PROXIES: '127.0.0.1' });
    await fetch(`${proxied}/`, { headers: { 'x-forwarded-for': '203.0.113.10, 198.51.100.7' } });
    expect(seen!.headers[CLIENT_IP_HEADER]).toBe('198.51.100.7');
  });

  it('answers vehicle JSON with nosniff', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/ota/v1/C_99`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it.each([
    ['TRACE to the dashboard', 'TRACE / HTTP/1.1', 405, 'METHOD_NOT_ALLOWED'],
    ['TRACE to a vehicle endpoint', 'TRACE /api/ota/v1/command HTTP/1.1', 405, 'METHOD_NOT_ALLOWED'],
    ['PROPFIND', 'PROPFIND /vehicles HTTP/1.1', 405, 'METHOD_NOT_ALLOWED'],
    ['a malformed %-escape in a dashboard path', 'GET /vehicles/%E0%A4%A HTTP/1.1', 400, 'INVALID_REQUEST'],
    ['a malformed %-escape in a vehicle path', 'GET /cdn/v1/software-packages/%zz HTTP/1.1', 400, 'INVALID_REQUEST'],
    ['a malformed %-escape in a dashboard query', 'POST /api/auth/session?vin=%zz HTTP/1.1', 400, 'INVALID_REQUEST'],
    ['a method node:http cannot parse', 'FOO /api/ota/v1/C_36 HTTP/1.1', 405, 'METHOD_NOT_ALLOWED'],
    ['a 5,000-character path', `GET /${'a'.repeat(5000)} HTTP/1.1`, 414, 'URI_TOO_LONG'],
    ['20 KB of headers', `GET / HTTP/1.1\r\nX-Big: ${'b'.repeat(20_000)}`, 431, 'INVALID_REQUEST'],
    ['an absolute-form target', 'GET http://evil.example/ HTTP/1.1', 400, 'INVALID_REQUEST'],
  ])('answers %s with a JSON %s', async (_, line, status, code) => {
    const url = await start();
    const answer = await rawRequest(url, `${line}\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(answer.toLowerCase()).toContain('content-type: application/json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error).toMatchObject({ code, message: expect.any(String) });
  });

  it('answers an oversized vehicle body with 413 after reading it, so that the client sees the answer instead of a reset', async () => {
    const url = await start();
    const body = Buffer.alloc(5 * 1024 * 1024, 'a');
    for (let i = 0; i < 3; i++) {
      const answer = await rawRequest(url, `POST /api/ota/v1/notification HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`, body);
      expect(answer).toMatch(/^HTTP\/1.1 413 /);
      expect(answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
    }
    // A method node's parser refuses, with a body behind it: the JSON 405 arrives all the same.
    const refused = await rawRequest(url, `FOO /api/ota/v1/C_36 HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`, body);
    expect(refused).toMatch(/^HTTP\/1.1 405 /);
    // Chunked, with no declared length: refused when it passes 1 MiB, the rest drained.
    const chunked = Buffer.concat([Buffer.from(`${(body.length).toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    const answer = await rawRequest(url, `POST /api/ota/v1/C_36 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`, chunked);
    expect(answer).toMatch(/^HTTP\/1.1 413 /);
  });

  it('refuses a client address its requests beyond MAX_REQUESTS_IN_FLIGHT_PER_IP with 429, and serves it again when they finish', async () => {
    const url = await start({ MAX_REQUESTS_IN_FLIGHT_PER_IP: '2' });
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const slow = [fetch(`${url}/a`), fetch(`${url}/b`)];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await fetch(`${url}/c`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).error).toMatchObject({ code: 'RATE_LIMITED' });
    release();
    for (const res of await Promise.all(slow)) expect(res.status).toBe(200);
    hold = null;
    expect((await fetch(`${url}/d`)).status).toBe(200);
  });

  it('sheds sign-in attempts from an address with SIGN_IN_RATE_LIMIT_PER_MINUTE failures with 429 before next-auth runs; successes use up nothing', async () => {
    const url = await start({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '2' });
    const attempt = () => fetch(`${url}/api/auth/callback/credentials`, { method: 'POST', body: 'email=a%40b.c&password=x' });
    // The stand-in dashboard answers 200: a successful sign-in, as often as you like.
    for (let i = 0; i < 4; i++) expect((await attempt()).status).toBe(200);
    failing = true;
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    seen = null;
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('failed sign-ins') });
    expect(seen).toBeNull();
    // Other pages, and reading the session, are not counted.
    failing = false;
    expect((await fetch(`${url}/api/auth/session`)).status).toBe(200);
  });

  it('applies the configured node:http timeouts', async () => {
    await start();
    expect(server!.headersTimeout).toBe(20_000);
    expect(server!.requestTimeout).toBe(300_000);
    expect(server!.timeout).toBe(120_000);
  });
});
