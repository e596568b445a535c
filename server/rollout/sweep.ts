import { sql } from 'drizzle-orm';
import { queryRows, textArray, type Db } from '@/db/client';
import { campaignRunsSql } from '../campaigns/offer-rule';
import { enqueueWebhooksFromSql } from '../webhooks/outbox';
import { logger } from '../logging/logger';
import { evaluateRollout } from './engine';

const SWEEP_LOCK = 720_531_004;

export type SweepResult = { ran: boolean; timedOut: number; expired: number; evaluated: number };

/**
 * A StartCampaign is out of time when its campaign is running (deployed, inside its window)
 * and it went unacknowledged through its first delivery round and every redelivery
 * (ack timeout × (redeliveries + 1) since its first delivery). While a campaign is suspended
 * the vehicle cannot act on it: resuming starts the clock again.
 */
export const startCampaignTimedOut = sql`commands.status = 'delivered'
  and commands.first_delivered_at + make_interval(secs => commands.ack_timeout_seconds * (commands.max_redeliveries + 1)) < now()
  and exists (select 1 from campaigns where campaigns.id = commands.campaign_id and ${campaignRunsSql})`;

/**
 * Housekeeping that no vehicle request triggers, safe to run from every instance at once
 * (one does the work, the others skip). Per campaign, in the order every other path locks
 * (campaign row, then its vehicles and commands):
 * StartCampaign commands past their last redelivery fail, and so do their vehicles
 * (START_TIMEOUT); then the thresholds are looked at and the campaign's wave counters folded
 * (also for campaigns no longer deployed that still have changes). Commands of campaigns that
 * no longer run expire.
 */
export async function sweepRollouts(db: Db): Promise<SweepResult> {
  return db.transaction(async (outer) => {
    const [lock] = await queryRows<{ locked: boolean }>(outer, sql`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as locked`);
    if (!lock?.locked) return { ran: false, timedOut: 0, expired: 0, evaluated: 0 };
    // Deployed campaigns, and any other whose wave counters have changes to fold in.
    const visited = await queryRows<{ id: number }>(
      outer,
      sql`select id from campaigns where status = 'Deployed' or id in (select distinct campaign_id from campaign_wave_count_changes) order by id`,
    );
    let timedOut = 0;
    // Campaigns in id order, each campaign row before its vehicles and commands: the order every
    // other path takes them in, so the sweep cannot deadlock with a notification or an operator.
    for (const { id } of visited) {
      timedOut += await outer.transaction(async (tx) => {
        await tx.execute(sql`select id from campaigns where id = ${id} for no key update`);
        const failed = await queryRows<{ vin: string }>(
          tx,
          sql`update commands set status = 'failed' where commands.campaign_id = ${id} and ${startCampaignTimedOut} returning vin`,
        );
        if (failed.length) {
          await tx.execute(sql`with source as (update campaign_vehicles set phase = 'failed', last_error_code = 'START_TIMEOUT', updated_at = now()
              where campaign_id = ${id} and vin = any(${textArray(failed.map((f) => f.vin))}) and phase in ('queued', 'command_delivered')
              returning vin)
            ${enqueueWebhooksFromSql('vehicle.update_failed', sql`jsonb_build_object('vin', source.vin, 'campaignId', ${id}::int, 'attemptId', null, 'at', now(), 'errorCode', 'START_TIMEOUT', 'errorCodes', jsonb_build_array('START_TIMEOUT'))`)}`);
        }
        await evaluateRollout(tx, id);
        return failed.length;
      });
    }
    // Changes of campaigns deleted since (a campaign's deletion appends none itself).
    await outer.execute(sql`delete from campaign_wave_count_changes ch where not exists (select 1 from campaigns where campaigns.id = ch.campaign_id)`);
    const expired = await queryRows<{ id: number }>(
      outer,
      sql`update commands set status = 'expired'
          where status in ('pending', 'delivered') and (
            (expires_at is not null and expires_at <= now())
            or campaign_id in (select id from campaigns where status in ('Completed', 'Cancelled') or (ends_at is not null and ends_at <= now()))
          )
          returning id`,
    );
    return { ran: true, timedOut, expired: expired.length, evaluated: visited.length };
  });
}

const TIMER = Symbol.for('ota.rollout-sweeper');
type TimerGlobal = typeof globalThis & { [TIMER]?: NodeJS.Timeout };

/** Runs the sweep every `intervalMs` in this process (once per process, however often called). */
export function startRolloutSweeper(getDb: () => Promise<Db>, intervalMs = 30_000): void {
  const g = globalThis as TimerGlobal;
  if (g[TIMER]) return;
  g[TIMER] = setInterval(() => {
    getDb()
      .then(sweepRollouts)
      .catch((error: unknown) => logger.error({ err: error }, 'rollout sweep failed'));
  }, intervalMs);
  g[TIMER].unref();
}
