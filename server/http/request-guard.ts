import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Config } from '../config';
import { cameOverHttps, CLIENT_IP_HEADER, clientAddressOf } from './client-ip';
import { answerError } from './node-adapter';
import { secureDashboardResponse, secureVehicleResponse } from './security-headers';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

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
 *    cannot hold the server's memory without limit);
 *  - every response carries the security headers (a CSP with a fresh nonce on dashboard pages).
 */
export function guardRequests(config: Config, routes: { isVehicle: (path: string) => boolean; vehicle: Listener; dashboard: Listener }): Listener {
  const inFlight = new Map<string, number>();
  const trusted = config.TRUSTED_PROXIES;
  const publicHttps = config.PUBLIC_URL?.startsWith('https:') ?? false;
  const cap = config.MAX_REQUESTS_IN_FLIGHT_PER_IP;
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
    if (vehicle) return routes.vehicle(req, res);
    secureDashboardResponse(req, res, https);
    routes.dashboard(req, res);
  };
}

/** node:http's own limits on slow clients: headers, whole request, and silence. */
export function applyTimeouts(server: Server, config: Config): void {
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  server.timeout = config.HTTP_IDLE_TIMEOUT_MS;
}
