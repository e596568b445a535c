import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { signInThrottle } from '@/db/schema';
import { getConfig } from '../config';
import { DomainError } from '../errors';
import { queryRows } from '@/db/client';

// Failed sign-ins are counted per account and per client address in the database, so that
// every instance behind a load balancer sees the same counts and a guesser cannot spread
// attempts over them. A key that reaches its limit within the window is locked: every
// attempt, the right password included, is refused until the lock ends.

export type ThrottleKeys = { email: string; clientIp?: string | null };

const keysOf = ({ email, clientIp }: ThrottleKeys) => ({ account: `account:${email.trim().toLowerCase()}`, ip: clientIp ? `ip:${clientIp}` : null });

/** Throws RATE_LIMITED (with the seconds to wait) while the account or the address is locked. */
export async function assertSignInAllowed(db: Queryable, who: ThrottleKeys): Promise<void> {
  const { account, ip } = keysOf(who);
  const rows = await db
    .select({ key: signInThrottle.key, lockedUntil: signInThrottle.lockedUntil })
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, ip ? [account, ip] : [account]));
  const now = Date.now();
  const locks = rows.filter((r) => r.lockedUntil && r.lockedUntil.getTime() > now);
  if (!locks.length) return;
  const until = Math.max(...locks.map((r) => r.lockedUntil!.getTime()));
  const seconds = Math.ceil((until - now) / 1000);
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const what = locks.some((r) => r.key === account) ? 'for this account' : 'from your network';
  throw new DomainError('RATE_LIMITED', `Too many failed sign-ins ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, [], seconds);
}

/** Counts one failure against the account and the address; the one that reaches its limit is locked. */
export async function recordSignInFailure(db: Queryable, who: ThrottleKeys): Promise<void> {
  const config = getConfig();
  const { account, ip } = keysOf(who);
  const windowSeconds = config.SIGN_IN_WINDOW_MINUTES * 60;
  const lockSeconds = config.SIGN_IN_LOCK_MINUTES * 60;
  for (const [key, limit] of [[account, config.SIGN_IN_MAX_FAILURES], ...(ip ? [[ip, config.SIGN_IN_MAX_FAILURES_PER_IP] as const] : [])] as const) {
    // One statement per key: a fresh window starts when the old one is over.
    const expired = sql`sign_in_throttle.window_started_at < now() - make_interval(secs => ${windowSeconds})`;
    const failures = sql`(case when ${expired} then 1 else sign_in_throttle.failures + 1 end)`;
    await db.execute(sql`
      insert into sign_in_throttle (key, failures, window_started_at, locked_until)
      values (${key}, 1, now(), case when 1 >= ${limit}::int then now() + make_interval(secs => ${lockSeconds}) end)
      on conflict (key) do update set
        failures = ${failures},
        window_started_at = case when ${expired} then now() else sign_in_throttle.window_started_at end,
        locked_until = case when ${failures} >= ${limit}::int then now() + make_interval(secs => ${lockSeconds}) else sign_in_throttle.locked_until end`);
  }
  // Now and then, forget keys whose window and lock are both over (the table stays small).
  if (Math.random() < 0.02) {
    await queryRows(
      db,
      sql`delete from sign_in_throttle where window_started_at < now() - make_interval(secs => ${windowSeconds})
        and (locked_until is null or locked_until < now())`,
    );
  }
}

/** A successful sign-in clears its account's count (not its address's: one good account must not reset a guesser's address). */
export async function clearSignInFailures(db: Queryable, who: ThrottleKeys): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [keysOf(who).account]));
}
