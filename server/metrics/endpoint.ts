import { timingSafeEqual } from 'node:crypto';
import { getConfig } from '../config';
import { getDbHandle } from '../db';
import { DomainError } from '../errors';
import { endpoint } from '../http/endpoint';
import { collectDatabaseGauges } from './collect';
import { metrics } from './registry';

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * GET /metrics: this instance's metrics in Prometheus text format. With METRICS_TOKEN set it
 * wants `Authorization: Bearer <token>`. A database that cannot be read still gets an answer
 * (ota_database_up 0, the process's own figures).
 */
export const getMetrics = endpoint(async (req) => {
  const config = getConfig();
  if (config.METRICS_TOKEN && !bearerMatches(req.headers.get('authorization'), config.METRICS_TOKEN)) {
    throw new DomainError('UNAUTHORIZED', 'GET /metrics wants the header Authorization: Bearer <METRICS_TOKEN>');
  }
  const handle = await getDbHandle().catch(() => null);
  if (handle) await collectDatabaseGauges(handle.db, handle.driver, config.DATABASE_POOL_SIZE);
  else metrics().dbUp.set(0);
  const { registry } = metrics();
  const text = await registry.metrics();
  return new Response(text, { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
});
