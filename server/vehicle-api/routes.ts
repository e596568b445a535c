import { DomainError } from '../errors';
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
import { errorResponse, type Handler } from './http';
import { getServerPublicKey } from './server-key';

/** Each POST endpoint of /api/ota/v1 by its path name and by its C-codes. */
export const postEndpoints: Record<string, Handler> = {
  notification: postNotification,
  action: postAction,
  'config-digest': postConfigDigest,
  config: postConfig,
  'campaign-validity': postCampaignValidity,
  command: postCommand,
  'log-upload-url': postLogUploadUrl,
  'log-upload-complete': postLogUploadComplete,
  C_03: postAction,
  C_04: postConfigDigest,
  C_05: postConfig,
  C_18: postCampaignValidity,
  C_36: postCommand,
  C_37: postLogUploadUrl,
  C_39: postLogUploadComplete,
};
for (const code of ['C_01', 'C_09', 'C_10', 'C_12', 'C_13', 'C_15', 'C_16', 'C_19', 'C_20', 'C_22', 'C_23', 'C_24', 'C_25', 'C_28', 'C_35']) {
  postEndpoints[code] = postNotification;
}

const notFoundResponse = (what: string) => errorResponse(new DomainError('NOT_FOUND', `no vehicle endpoint ${what}; see docs/vehicle-api.md`));

/** POST /api/ota/v1/{name or C-code}: the C-code aliases (`C_05` is the same as `config`). */
export const postByName: Handler = async (req) => {
  const name = new URL(req.url).pathname.split('/').pop() ?? '';
  const handler = postEndpoints[name];
  return handler ? handler(req) : notFoundResponse(`POST ${new URL(req.url).pathname}`);
};

type Route = { method: string; pattern: RegExp; handler: Handler };

const routes: Route[] = [
  { method: 'GET', pattern: /^\/api\/ota\/v1\/server-key$/, handler: getServerPublicKey },
  { method: 'POST', pattern: new RegExp(`^/api/ota/v1/(${Object.keys(postEndpoints).join('|')})$`), handler: postByName },
  { method: 'PUT', pattern: /^\/api\/ota\/v1\/log-uploads\/[^/]+$/, handler: putLogFile },
  { method: 'GET', pattern: /^\/cdn\/v1\/campaigns\/[^/]+\/repro-policy$/, handler: getReproPolicy },
  { method: 'GET', pattern: /^\/cdn\/v1\/campaigns\/[^/]+\/download-metadata$/, handler: getDownloadMetadata },
  { method: 'GET', pattern: /^\/cdn\/v1\/campaigns\/[^/]+\/hmi$/, handler: getHmiData },
  { method: 'GET', pattern: /^\/cdn\/v1\/software-packages\/[^/]+$/, handler: getSoftwarePackageFile },
  { method: 'GET', pattern: /^\/cdn\/v1\/vehicle-packages\/[^/]+$/, handler: getVehiclePackageFile },
];

/** Whether some endpoint (any method) serves this path: docs/vehicle-api.md's paths are checked against it. */
export const servesPath = (pathname: string) => routes.some((r) => r.pattern.test(pathname));

/**
 * The whole vehicle API as one function: what a lean `node:http` entry (and the tests) mount,
 * and what the Next.js catch-all routes answer with (JSON 404 and 405, never an HTML page).
 */
export const handleVehicleRequest: Handler = async (req) => {
  const { pathname } = new URL(req.url);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const matching = routes.filter((r) => r.pattern.test(pathname));
  const route = matching.find((r) => r.method === method);
  if (route) return route.handler(req);
  if (matching.length) {
    const allow = [...new Set(matching.map((r) => r.method))].join(', ');
    const error = new DomainError('METHOD_NOT_ALLOWED', `${req.method} is not served at ${pathname}; use ${allow}`);
    const response = errorResponse(error);
    response.headers.set('allow', allow);
    return response;
  }
  return notFoundResponse(`${req.method} ${pathname}`);
};
