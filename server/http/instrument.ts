import { randomUUID } from 'node:crypto';
import { logger, withRequestContext } from '../logging/logger';
import { metrics } from '../metrics/registry';

/** A client's X-Request-Id is kept when it looks like an id (letters, digits, `-_.:`, at most 100); else a new one. */
export function requestIdOf(header: string | null | undefined): string {
  return header && /^[A-Za-z0-9._:-]{1,100}$/.test(header) ? header : randomUUID();
}

/**
 * Serves one vehicle API request inside its log context (request id, endpoint; the VIN is added
 * once the message is read), answers X-Request-Id, and records one histogram observation.
 * Successful requests are logged at debug (a fleet sends many), 4xx at info, 5xx at error.
 */
export async function instrumented(req: Request, endpoint: string, serve: () => Promise<Response>): Promise<Response> {
  const requestId = requestIdOf(req.headers.get('x-request-id'));
  const started = performance.now();
  return withRequestContext({ requestId, endpoint }, async () => {
    const response = await serve();
    const seconds = (performance.now() - started) / 1000;
    metrics().vehicleRequests.observe({ endpoint, status: String(response.status) }, seconds);
    response.headers.set('x-request-id', requestId);
    const level = response.status >= 500 ? 'error' : response.status >= 400 ? 'info' : 'debug';
    if (logger.isLevelEnabled(level)) logger[level]({ method: req.method, status: response.status, ms: Math.round(seconds * 1000) }, 'vehicle request');
    return response;
  });
}
