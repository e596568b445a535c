import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import type { WebhookEventType } from '@/db/schema';
import { metrics } from '../metrics/registry';
import { disableEndpoint } from './endpoints';
import { signWebhookBody } from './signature';
import { guardedLookup, literalAddressRefused } from './url-policy';

export type SenderOptions = {
  /** Deliveries claimed (and sent in parallel) per round. */
  batchSize?: number;
  /** How long a claim keeps other senders off a delivery; longer than the timeout. */
  leaseSeconds?: number;
  /** Per POST. */
  timeoutMs?: number;
  /** First retry after this; doubling up to an hour. */
  backoffBaseSeconds?: number;
  /** An endpoint whose deliveries all failed for this long (and at least 5 in a row) is disabled. */
  disableAfterSeconds?: number;
  allowPrivateNetworks: boolean;
};

const defaults = { batchSize: 10, leaseSeconds: 60, timeoutMs: 10_000, backoffBaseSeconds: 10, disableAfterSeconds: 86_400 };
const MIN_FAILURES_TO_DISABLE = 5;
const MAX_BACKOFF_SECONDS = 3600;

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';
export type SendRound = { claimed: number; outcomes: DeliveryOutcome[] };

type Claimed = {
  id: number;
  event_id: string;
  type: WebhookEventType;
  payload: unknown;
  created_at: Date | string;
  attempts: number;
  endpoint_id: number;
  url: string;
  secret: string;
};

/** The wait before the next try after `attempts` failed ones: base × 2^(attempts−1), at most an hour. */
export function backoffSeconds(attempts: number, base = defaults.backoffBaseSeconds): number {
  return Math.min(MAX_BACKOFF_SECONDS, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * Claims due deliveries with FOR UPDATE SKIP LOCKED and, in the same statement, leases them
 * (next_attempt_at moves past the send's timeout): the row lock ends with the statement, and
 * no other instance takes them while this one sends. A sender that dies mid-send leaves them
 * to be taken again when the lease runs out.
 */
export async function claimDueDeliveries(db: Db, limit: number, leaseSeconds: number): Promise<Claimed[]> {
  return queryRows<Claimed>(
    db,
    sql`with due as (
        select id from webhook_deliveries where status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at limit ${limit} for update skip locked)
      update webhook_deliveries d set next_attempt_at = now() + make_interval(secs => ${leaseSeconds}), attempts = d.attempts + 1
      from due, webhook_endpoints e
      where d.id = due.id and e.id = d.endpoint_id
      returning d.id, d.event_id, d.type, d.payload, d.created_at, d.attempts, e.id as endpoint_id, e.url, e.secret`,
  );
}

/** The body a receiver gets, exactly as signed. */
export function deliveryBody(d: Pick<Claimed, 'event_id' | 'type' | 'created_at' | 'payload'>): string {
  return JSON.stringify({ id: d.event_id, type: d.type, createdAt: new Date(d.created_at).toISOString(), data: d.payload });
}

type PostResult = { ok: boolean; statusCode: number | null; error: string | null; latencyMs: number };

/** One POST; never throws. Only a 2xx answer counts; redirects are not followed. */
export function postDelivery(d: Claimed, options: Required<SenderOptions>): Promise<PostResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): PostResult => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    latencyMs: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = new URL(d.url);
  } catch {
    return Promise.resolve(done(null, 'the endpoint URL is not valid'));
  }
  const refused = literalAddressRefused(url, options.allowPrivateNetworks);
  if (refused) return Promise.resolve(done(null, refused));
  const body = deliveryBody(d);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(options.allowPrivateNetworks),
        timeout: options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'ota-webhooks/1',
          'x-ota-event': d.type,
          'x-ota-delivery': d.event_id,
          'x-ota-signature': signWebhookBody(d.secret, body),
        },
      },
      (res: IncomingMessage) => {
        res.resume(); // the answer's body is not kept
        res.on('end', () => resolve(done(res.statusCode ?? null, res.statusCode && res.statusCode >= 300 ? `answered HTTP ${res.statusCode}` : null)));
        res.on('error', (error) => resolve(done(res.statusCode ?? null, error.message)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)));
    req.on('error', (error) => resolve(done(null, error.message.slice(0, 500))));
    req.end(body);
  });
}

/**
 * Records a try: delivered, or due again after the backoff, or failed when the backoff would
 * end past its 24 h. The endpoint's run of failures grows or ends; an endpoint failing for
 * `disableAfterSeconds` is disabled with the reason. One transaction.
 */
export async function recordAttempt(db: Db, d: Claimed, result: PostResult, options: Required<SenderOptions>): Promise<DeliveryOutcome> {
  return db.transaction(async (tx) => {
    if (result.ok) {
      await tx.execute(sql`update webhook_deliveries set status = 'delivered', delivered_at = now(), last_status_code = ${result.statusCode},
          last_error = null, last_latency_ms = ${result.latencyMs} where id = ${d.id}`);
      await tx.execute(sql`update webhook_endpoints set consecutive_failures = 0, failing_since = null
          where id = ${d.endpoint_id} and (consecutive_failures <> 0 or failing_since is not null)`);
      return 'delivered';
    }
    const wait = backoffSeconds(d.attempts, options.backoffBaseSeconds);
    const [row] = await queryRows<{ status: 'pending' | 'failed' }>(
      tx,
      sql`update webhook_deliveries set
          status = case when now() + make_interval(secs => ${wait}) > retry_until then 'failed' else 'pending' end,
          next_attempt_at = now() + make_interval(secs => ${wait}),
          last_status_code = ${result.statusCode}, last_error = ${result.error}, last_latency_ms = ${result.latencyMs}
        where id = ${d.id} and status = 'pending' returning status`,
    );
    const [endpoint] = await queryRows<{ consecutive_failures: number; failing_for: number; enabled: boolean }>(
      tx,
      sql`update webhook_endpoints set consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now())
        where id = ${d.endpoint_id} returning consecutive_failures, extract(epoch from now() - failing_since)::float8 as failing_for, enabled`,
    );
    if (endpoint?.enabled && endpoint.consecutive_failures >= MIN_FAILURES_TO_DISABLE && endpoint.failing_for >= options.disableAfterSeconds) {
      const hours = Math.round(options.disableAfterSeconds / 360) / 10;
      await disableEndpoint(
        tx,
        d.endpoint_id,
        `Disabled automatically: every delivery failed for ${hours} h (${endpoint.consecutive_failures} attempts in a row); the last: ${result.error ?? 'no answer'}.`,
      );
      return 'failed';
    }
    return row?.status === 'failed' ? 'failed' : 'retry';
  });
}

/** One round: claim, send in parallel, record. */
export async function sendDueWebhooks(db: Db, options: SenderOptions): Promise<SendRound> {
  const full = { ...defaults, ...options };
  const claimed = await claimDueDeliveries(db, full.batchSize, full.leaseSeconds);
  const outcomes = await Promise.all(
    claimed.map(async (d) => {
      const outcome = await recordAttempt(db, d, await postDelivery(d, full), full);
      metrics().webhookDeliveries.inc({ outcome });
      return outcome;
    }),
  );
  return { claimed: claimed.length, outcomes };
}
