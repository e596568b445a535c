import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { evaluateRollout } from './engine';

const SWEEP_LOCK = 720_531_004;

export type SweepResult = { ran: boolean; timedOut: number; expired: number; evaluated: number };

/**
 * Housekeeping that no vehicle request triggers, safe to run from every instance at once
 * (one does the work, the others skip): StartCampaign commands past their last redelivery
 * fail (and their vehicles, with START_TIMEOUT); commands of campaigns that no longer run
 * expire; every deployed campaign's thresholds are looked at again.
 */
export async function sweepRollouts(db: Db): Promise<SweepResult> {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as locked`);
    if (!lock?.locked) return { ran: false, timedOut: 0, expired: 0, evaluated: 0 };
    const timedOut = await queryRows<{ vin: string; campaign_id: number }>(
      tx,
      sql`update commands set status = 'failed'
          where status = 'delivered' and first_delivered_at + make_interval(secs => ack_timeout_seconds * (max_redeliveries + 1)) < now()
          returning vin, campaign_id`,
    );
    for (const t of timedOut) {
      await tx.execute(sql`update campaign_vehicles set phase = 'failed', last_error_code = 'START_TIMEOUT', updated_at = now()
        where vin = ${t.vin} and campaign_id = ${t.campaign_id} and phase in ('queued', 'command_delivered')`);
    }
    const expired = await queryRows<{ id: number }>(
      tx,
      sql`update commands set status = 'expired'
          where status in ('pending', 'delivered') and (
            (expires_at is not null and expires_at <= now())
            or campaign_id in (select id from campaigns where status in ('Completed', 'Cancelled') or (ends_at is not null and ends_at <= now()))
          )
          returning id`,
    );
    const deployed = await queryRows<{ id: number }>(tx, sql`select id from campaigns where status = 'Deployed' order by id`);
    for (const c of deployed) await evaluateRollout(tx, c.id);
    return { ran: true, timedOut: timedOut.length, expired: expired.length, evaluated: deployed.length };
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
      .catch((error: unknown) => console.error('rollout sweep failed:', error));
  }, intervalMs);
  g[TIMER].unref();
}
