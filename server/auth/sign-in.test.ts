import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { signInThrottle, users } from '@/db/schema';
import { resetConfig } from '../config';
import { getDb } from '../db';
import { DomainError } from '../errors';
import { hashPassword, passwordChecks } from './passwords';
import { insertUser, signInWithPassword } from './users';

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as DomainError);
const uniqueEmail = () => `guess-${randomUUID().slice(0, 8)}@example.com`;
const uniqueIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${randomUUID().slice(0, 4)}`;

describe('dashboard sign-in throttling and hashing', () => {
  let db: Db;
  beforeAll(async () => {
    db = await getDb();
  });
  afterEach(() => {
    delete process.env.SIGN_IN_MAX_FAILURES_PER_IP;
    resetConfig();
  });

  it('locks an account after 5 failures, refuses even the right password with a readable message, and opens again when the lock ends', async () => {
    const email = uniqueEmail();
    await insertUser(db, { email, password: 'right-password', role: 'operator' });
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect(await signInWithPassword(db, { email, password: `wrong-${i}`, clientIp: ip })).toBeNull();

    // Another address does not help: the lock is the account's.
    const refused = await refusal(signInWithPassword(db, { email: email.toUpperCase(), password: 'right-password', clientIp: uniqueIp() }));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused!.code).toBe('RATE_LIMITED');
    expect(refused!.message).toBe('Too many failed sign-ins for this account. Try again in 15 minutes.');
    expect(refused!.retryAfterSeconds).toBeGreaterThan(14 * 60);
    const [user] = await db.select({ lastSignInAt: users.lastSignInAt }).from(users).where(eq(users.email, email));
    expect(user!.lastSignInAt).toBeNull();

    // Another account from the same address still signs in (the address limit is higher).
    const other = uniqueEmail();
    await insertUser(db, { email: other, password: 'other-password', role: 'support' });
    expect(await signInWithPassword(db, { email: other, password: 'other-password', clientIp: ip })).toMatchObject({ email: other });

    // The lock ends (as if 15 minutes passed): the right password works and the count starts again.
    await db.update(signInThrottle).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(signInThrottle.key, `account:${email}`));
    expect(await signInWithPassword(db, { email, password: 'right-password', clientIp: ip })).toMatchObject({ email });
    expect(await db.select().from(signInThrottle).where(eq(signInThrottle.key, `account:${email}`))).toHaveLength(0);
  });

  it('locks an address that guesses across many accounts, and only that address', async () => {
    process.env.SIGN_IN_MAX_FAILURES_PER_IP = '3';
    resetConfig();
    const email = uniqueEmail();
    await insertUser(db, { email, password: 'right-password', role: 'operator' });
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect(await signInWithPassword(db, { email: uniqueEmail(), password: 'guess', clientIp: ip })).toBeNull();
    const refused = await refusal(signInWithPassword(db, { email, password: 'right-password', clientIp: ip }));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many failed sign-ins from your network. Try again in 15 minutes.' });
    expect(await signInWithPassword(db, { email, password: 'right-password', clientIp: uniqueIp() })).toMatchObject({ email });
  });

  it('spends a hash on an unknown e-mail and on a disabled account, as on a known one', async () => {
    const email = uniqueEmail();
    await insertUser(db, { email, password: 'right-password', role: 'support' });
    const disabled = uniqueEmail();
    await insertUser(db, { email: disabled, password: 'right-password', role: 'support' });
    await db.update(users).set({ disabled: true }).where(eq(users.email, disabled));

    for (const who of [email, uniqueEmail(), disabled]) {
      const before = passwordChecks();
      const started = performance.now();
      expect(await signInWithPassword(db, { email: who, password: 'wrong-password', clientIp: uniqueIp() })).toBeNull();
      expect(passwordChecks() - before).toBe(1);
      // A bcrypt comparison at cost 10 takes tens of milliseconds; answering without one takes a few.
      expect(performance.now() - started).toBeGreaterThan(20);
    }
    expect(await signInWithPassword(db, { email: disabled, password: 'right-password', clientIp: uniqueIp() })).toBeNull();
  });

  it('hashes in worker threads: the event loop keeps turning while passwords are hashed', async () => {
    let maxLag = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last);
      last = now;
    }, 2);
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`password-${i}`)));
    const took = performance.now() - started;
    clearInterval(ticker);
    // Six hashes on the event loop would block it for their whole time (~0.5 s); in workers it only waits.
    expect(took).toBeGreaterThan(100);
    expect(maxLag).toBeLessThan(took / 3);
  });
});
