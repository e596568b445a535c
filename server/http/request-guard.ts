import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../config';
import { cameOverHttps, CLIENT_IP_HEADER, clientAddressOf } from './client-ip';
import { answerError } from './node-adapter';
import { TokenBuckets } from './token-buckets';
import { secureDashboardResponse, secureVehicleResponse } from './security-headers';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Longer request targets get 414 (signed URLs are under 1,000 characters; Next answered 8,000 with 16 KB of headers). */
const MAX_TARGET_LENGTH = 4096;

/** next-auth's sign-in endpoint (credentials provider). */
const SIGN_IN_PATH = '/api/auth/callback/';

/** Methods the dashboard and the vehicle API serve; anything else (TRACE, CONNECT, PROPFIND…) gets 405 here. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Replaces whatever the client sent as CLIENT_IP_HEADER with the address we determined, in
 * both forms node keeps headers in (Next reads `headers`, the vehicle adapter `rawHeaders`).
 */
function stampClientIp(req: IncomingMessage, ip: string): void {
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === CLIENT_IP_HEADER) raw.splice(i, 2);
  raw.push(CLIENT_IP_HEADER, ip);
  req.headers[CLIENT_IP_HEADER] = ip;
}

const decodable = (text: string) => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

/** The path of a request target, or null when it is not an origin-form path with well-formed %-escapes. */
function pathOf(url: string): string | null {
  if (!url.startsWith('/')) return null;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return decodable(path) ? path : null;
}

/**
 * The production entry's front door, before Next or the vehicle API see a request:
 *  - the client's address is determined once (TRUSTED_PROXIES) and passed on in CLIENT_IP_HEADER;
 *  - an unknown method gets 405 and a malformed request target 400, as JSON (Next answered
 *    both with a text/plain 500);
 *  - a client address with MAX_REQUESTS_IN_FLIGHT_PER_IP requests open gets 429 (slow clients
 *    cannot hold the server's memory without limit), and one over SIGN_IN_RATE_LIMIT_PER_MINUTE
 *    failed sign-ins gets 429 before next-auth runs;
 *  - every response carries the security headers (a CSP with a fresh nonce on dashboard pages).
 */
export function guardRequests(config: Config, routes: { isVehicle: (path: string) => boolean; vehicle: Listener; dashboard: Listener }): Listener {
  const inFlight = new Map<string, number>();
  const trusted = config.TRUSTED_PROXIES;
  const publicHttps = config.PUBLIC_URL?.startsWith('https:') ?? false;
  const cap = config.MAX_REQUESTS_IN_FLIGHT_PER_IP;
  // Each sign-in attempt costs next-auth's work even when the database throttle refuses it: once
  // an address has failed SIGN_IN_RATE_LIMIT_PER_MINUTE times in a minute, its attempts are shed
  // here, per instance and in memory. Successful sign-ins use up nothing.
  const signIns = config.SIGN_IN_RATE_LIMIT_PER_MINUTE ? new TokenBuckets(config.SIGN_IN_RATE_LIMIT_PER_MINUTE) : null;
  return (req, res) => {
    const ip = clientAddressOf(req, trusted);
    stampClientIp(req, ip);
    const path = pathOf(req.url ?? '');
    const vehicle = path !== null && routes.isVehicle(path);
    const https = publicHttps || cameOverHttps(req, trusted);
    if (vehicle || path === null) secureVehicleResponse(res, https);

    if (!METHODS.has(req.method ?? '')) {
      return answerError(req, res, 405, { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not served here; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS` }, { allow: [...METHODS].join(', ') });
    }
    if (req.url!.length > MAX_TARGET_LENGTH) {
      return answerError(req, res, 414, { code: 'URI_TOO_LONG', message: `the request target is longer than ${MAX_TARGET_LENGTH} characters` });
    }
    // Next and next-auth decode the query too (a stray `%zz` in it was a 500); the vehicle API reads it leniently.
    if (path === null || (!vehicle && !decodable(req.url!.slice(path.length)))) {
      return answerError(req, res, 400, { code: 'INVALID_REQUEST', message: 'the request path is not a path (it must start with /) or has a malformed %-escape' });
    }
    if (cap > 0) {
      const open = inFlight.get(ip) ?? 0;
      if (open >= cap) {
        return answerError(req, res, 429, { code: 'RATE_LIMITED', message: `too many requests in flight from ${ip} (at most ${cap}); retry when some have finished` }, { 'retry-after': '1' });
      }
      inFlight.set(ip, open + 1);
      res.once('close', () => {
        const left = (inFlight.get(ip) ?? 1) - 1;
        if (left <= 0) inFlight.delete(ip);
        else inFlight.set(ip, left);
      });
    }
    if (signIns && req.method === 'POST' && path.startsWith(SIGN_IN_PATH)) {
      const wait = signIns.wait(ip);
      if (wait) {
        return answerError(req, res, 429, { code: 'RATE_LIMITED', message: `too many failed sign-ins from ${ip}; try again in ${wait} s` }, { 'retry-after': String(wait) });
      }
      // Only a failed attempt uses up the allowance (next-auth: 401, or a redirect to its error page).
      res.once('finish', () => {
        const location = String(res.getHeader('location') ?? '');
        if (res.statusCode === 401 || res.statusCode === 403 || location.includes('error=')) signIns.take(ip);
      });
    }
    if (vehicle) return routes.vehicle(req, res);
    secureDashboardResponse(req, res, https);
    routes.dashboard(req, res);
  };
}

/**
 * node:http's own limits on slow clients (headers, whole request, silence), and JSON for what
 * its parser refuses before any handler runs (an unknown method such as FOO, headers over
 * 16 KB, a timeout): node's default is a bare text answer and an immediate close, which
 * resets a client still sending its body.
 */
export function applyTimeouts(server: Server, config: Config): void {
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  server.timeout = config.HTTP_IDLE_TIMEOUT_MS;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));
}

/** Sockets already answered: node's parser reports the same error again for every further chunk. */
const answered = new WeakSet<Duplex>();

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (answered.has(socket)) return;
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  answered.add(socket);
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'INVALID_REQUEST', 'the request headers are larger than 16 KB']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'INVALID_REQUEST', 'the request took too long to arrive']
        : error.code === 'HPE_INVALID_METHOD'
          ? [405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', 'unknown method; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS']
          : [400, 'Bad Request', 'INVALID_REQUEST', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify({ error: { code, message, details: [] } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  // Read (and drop) what the client still sends for a while, so that it gets the answer rather than a reset.
  socket.resume();
  setTimeout(() => socket.destroy(), 5_000).unref();
}
