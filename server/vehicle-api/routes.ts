import { getConfig } from '../config';
import { DomainError } from '../errors';
import { getHealth } from '../health';
import { withinDeadline } from '../http/deadline';
import { errorResponse, type Handler } from '../http/endpoint';
import { instrumented } from '../http/instrument';
import { getMetrics } from '../metrics/endpoint';
import { getDownloadMetadata, getHmiData, getReproPolicy, getSoftwarePackageFile, getVehiclePackageFile, putLogFile } from './cdn-endpoints';
import {
  postAction,
  postCampaignValidity,
  postCommand,
  postConfig,
  postConfigDigest,
  postLogUploadComplete,
  postLogUploadUrl,
  postNotification,
} from './endpoints';
import { limitClientAddress } from './rate-limits';
import { getServerPublicKey } from './server-key';

export type VehicleRoute = {
  method: 'GET' | 'POST' | 'PUT';
  /** In Next's file-route syntax: `[campaignId]` is one path segment. */
  path: string;
  handler: Handler;
};

/** The notifications: every C-code a vehicle reports an event with. */
const notificationCodes = ['C_01', 'C_09', 'C_10', 'C_12', 'C_13', 'C_15', 'C_16', 'C_19', 'C_20', 'C_22', 'C_23', 'C_24', 'C_25', 'C_28', 'C_35'];
/** POST /api/ota/v1/{C-code} is the same as the named path (`C_05` is `config`). */
const codeAliases: Record<string, Handler> = {
  C_03: postAction,
  C_04: postConfigDigest,
  C_05: postConfig,
  C_18: postCampaignValidity,
  C_36: postCommand,
  C_37: postLogUploadUrl,
  C_39: postLogUploadComplete,
  ...Object.fromEntries(notificationCodes.map((code) => [code, postNotification])),
};

/**
 * THE routing table of the vehicle API (and the health check). The production entry
 * (server/http/production-server.ts) and the lean one serve from it directly, without Next.
 * Under `npm run dev` Next serves the same paths from app/: each path below has an
 * app/<path>/route.ts that re-exports the same handler, except the C-code aliases, which
 * reach this table through the catch-all routes (app/api/ota/v1/[...path], app/cdn/[...path]).
 * routes.test.ts proves that the files and the table agree.
 */
export const vehicleRoutes: readonly VehicleRoute[] = [
  { method: 'GET', path: '/api/health', handler: getHealth },
  { method: 'GET', path: '/metrics', handler: getMetrics },
  { method: 'GET', path: '/api/ota/v1/server-key', handler: getServerPublicKey },
  { method: 'POST', path: '/api/ota/v1/notification', handler: postNotification },
  { method: 'POST', path: '/api/ota/v1/action', handler: postAction },
  { method: 'POST', path: '/api/ota/v1/config-digest', handler: postConfigDigest },
  { method: 'POST', path: '/api/ota/v1/config', handler: postConfig },
  { method: 'POST', path: '/api/ota/v1/campaign-validity', handler: postCampaignValidity },
  { method: 'POST', path: '/api/ota/v1/command', handler: postCommand },
  { method: 'POST', path: '/api/ota/v1/log-upload-url', handler: postLogUploadUrl },
  { method: 'POST', path: '/api/ota/v1/log-upload-complete', handler: postLogUploadComplete },
  ...Object.entries(codeAliases).map(([code, handler]) => ({ method: 'POST' as const, path: `/api/ota/v1/${code}`, handler })),
  { method: 'PUT', path: '/api/ota/v1/log-uploads/[uploadId]', handler: putLogFile },
  { method: 'GET', path: '/cdn/v1/campaigns/[campaignId]/repro-policy', handler: getReproPolicy },
  { method: 'GET', path: '/cdn/v1/campaigns/[campaignId]/download-metadata', handler: getDownloadMetadata },
  { method: 'GET', path: '/cdn/v1/campaigns/[campaignId]/hmi', handler: getHmiData },
  { method: 'GET', path: '/cdn/v1/software-packages/[id]', handler: getSoftwarePackageFile },
  { method: 'GET', path: '/cdn/v1/vehicle-packages/[id]', handler: getVehiclePackageFile },
];

/** The path prefixes this table owns; the catch-all routes answer JSON 404/405 under them. */
const ownedPrefixes = ['/api/ota/v1/', '/cdn/'];

/** True for a request path (query string allowed) the production entry hands to handleVehicleRequest instead of Next. */
export function isVehiclePath(url: string): boolean {
  const query = url.indexOf('?');
  const pathname = query === -1 ? url : url.slice(0, query);
  return pathname === '/api/health' || pathname === '/metrics' || ownedPrefixes.some((prefix) => pathname.startsWith(prefix));
}

const byPath = new Map<string, VehicleRoute[]>();
const withParams: { pattern: RegExp; route: VehicleRoute }[] = [];
for (const route of vehicleRoutes) {
  if (route.path.includes('[')) {
    withParams.push({ pattern: new RegExp(`^${route.path.replace(/\[[^\]/]+\]/g, '[^/]+')}$`), route });
  } else {
    byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  }
}

/** The table's routes at `pathname`, whatever their method. */
export function routesAt(pathname: string): VehicleRoute[] {
  return byPath.get(pathname) ?? withParams.filter((r) => r.pattern.test(pathname)).map((r) => r.route);
}

const notFoundResponse = (what: string) => errorResponse(new DomainError('NOT_FOUND', `no vehicle endpoint ${what}; see docs/vehicle-api.md`));

/** Whether some endpoint (any method) serves this path: docs/vehicle-api.md's paths are checked against it. */
export const servesPath = (pathname: string) => routesAt(pathname).length > 0;

/**
 * The whole table as one function: what the production entry, the lean entry and the tests
 * call, and what the Next.js catch-all routes answer with (JSON 404 and 405, never an HTML
 * page). HEAD is answered as GET (the handlers send no body for it).
 */
export const handleVehicleRequest: Handler = (req) => routeVehicleRequest(req);

const routeVehicleRequest: Handler = async (req) => {
  try {
    limitClientAddress(req);
  } catch (error) {
    return errorResponse(error);
  }
  const { pathname } = new URL(req.url);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const matching = routesAt(pathname);
  const route = matching.find((r) => r.method === method);
  const serve = () => dispatch(req, pathname, matching, route);
  // Timed and logged under the table's path (one series per endpoint, whatever the ids in the
  // URL), a deadline's 503 included. Every vehicle request but the log upload (a PUT whose body
  // may stream for minutes) is answered within REQUEST_DEADLINE_MS: 503 UNAVAILABLE with
  // Retry-After when the database does not answer.
  return instrumented(req, route?.path ?? (matching.length ? matching[0]!.path : 'unmatched'), req.method === 'PUT' ? serve : () => withinDeadline(serve, getConfig().REQUEST_DEADLINE_MS));
};

async function dispatch(req: Request, pathname: string, matching: VehicleRoute[], route: VehicleRoute | undefined): Promise<Response> {
  if (route) return route.handler(req);
  if (matching.length) {
    const allow = [...new Set(matching.map((r) => r.method))].join(', ');
    const error = new DomainError('METHOD_NOT_ALLOWED', `${req.method} is not served at ${pathname}; use ${allow}`);
    const response = errorResponse(error);
    response.headers.set('allow', allow);
    return response;
  }
  return notFoundResponse(`${req.method} ${pathname}`);
}
