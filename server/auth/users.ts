import { and, asc, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '@/db/client';
import { roles, users, type Role } from '@/db/schema';
import { getConfig } from '../config';
import { logger } from '../logging/logger';
import { recordAudit } from '../audit/record-audit';
import { DomainError, invalid, isUniqueViolation, notFound } from '../errors';
import type { Actor } from './actor';
import { hashPassword, verifyPassword } from './passwords';
import { assertSignInAllowed, clearSignInFailures, recordSignInFailure } from './sign-in-throttle';

export type SessionUser = { id: number; email: string; name: string; role: Role };

/** A user account as the admin page lists it (never the password hash). */
export const userSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  disabled: z.boolean(),
  lastSignInAt: z.date().nullable(),
  createdAt: z.date(),
});
export type User = z.infer<typeof userSchema>;

export const newUserSchema = z.object({
  email: z.string().trim().email('Enter a valid e-mail address'),
  name: z.string().trim().max(100, 'The name can have at most 100 characters').default(''),
  password: z.string().min(8, 'The password needs at least 8 characters').max(200, 'The password can have at most 200 characters'),
  role: z.enum(roles),
});
export type NewUser = z.input<typeof newUserSchema>;

export const userChangeSchema = z
  .object({ id: z.number().int(), role: z.enum(roles).optional(), disabled: z.boolean().optional() })
  .refine((c) => c.role !== undefined || c.disabled !== undefined, 'Say what to change: a role, or disabled true/false');
export type UserChange = z.infer<typeof userChangeSchema>;

const userColumns = { id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, lastSignInAt: users.lastSignInAt, createdAt: users.createdAt };

const normalEmail = (email: string) => email.trim().toLowerCase();

/** The user with these credentials, or null (wrong password, unknown or disabled account). */
export async function authenticate(db: Db, email: string, password: string): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, normalEmail(email)));
  // An unknown or disabled account costs a hash as well (against a dummy): refusing it must not be faster.
  const matches = await verifyPassword(password, user && !user.disabled ? user.passwordHash : null);
  if (!user || user.disabled || !matches) return null;
  await db.update(users).set({ lastSignInAt: sql`now()` }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * A dashboard sign-in: refused with RATE_LIMITED while the account or the client's address is
 * locked (the right password too), else checked; a failure counts toward the locks.
 */
export async function signInWithPassword(db: Db, attempt: { email: string; password: string; clientIp?: string | null }): Promise<SessionUser | null> {
  const who = { email: normalEmail(attempt.email), clientIp: attempt.clientIp };
  await assertSignInAllowed(db, who);
  const user = await authenticate(db, attempt.email, attempt.password);
  if (user) await clearSignInFailures(db, who);
  else await recordSignInFailure(db, who);
  return user;
}

/** An admin creates an account; its audit row commits with it. */
export async function createUser(db: Db, actor: Actor, input: NewUser): Promise<User> {
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, input);
    await recordAudit(tx, actor, 'user.create', { type: 'user', id: user.id }, { email: user.email, name: user.name, role: user.role });
    return user;
  });
}

/** A new account, unaudited: the first admin, the demo accounts and tests' users. createUser is the audited service. */
export async function insertUser(db: Queryable, input: NewUser): Promise<User> {
  if (input.password.length < 8) throw invalid('the password must be at least 8 characters');
  const email = normalEmail(input.email);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw duplicateEmail(email);
  const passwordHash = await hashPassword(input.password);
  try {
    const [user] = await db
      .insert(users)
      .values({ email, name: input.name?.trim() ?? '', passwordHash, role: input.role })
      .returning(userColumns);
    return user!;
  } catch (error) {
    // Another request created the same e-mail between the check and the insert.
    if (isUniqueViolation(error, 'users_email_uq')) throw duplicateEmail(email);
    throw error;
  }
}

const duplicateEmail = (email: string) => new DomainError('CONFLICT', `A user with the e-mail ${email} exists already.`);

/**
 * Changes a user's role and/or disables or enables the account, with its audit row (old and
 * new values) in the same transaction. Nobody demotes or disables themselves, so there is
 * always an admin left. A change that changes nothing writes no audit row.
 */
export async function updateUser(db: Db, actor: Actor, change: UserChange): Promise<User> {
  if (actor.kind === 'user' && change.id === actor.id && (change.disabled === true || (change.role && change.role !== 'admin'))) {
    throw new DomainError('CONFLICT', 'You cannot demote or disable yourself; ask another admin.');
  }
  return db.transaction(async (tx) => {
    // Admin changes take turns, so two admins demoting each other at once cannot leave none.
    await tx.execute(sql`select pg_advisory_xact_lock(720531005)`);
    const [before] = await tx.select().from(users).where(eq(users.id, change.id)).for('update');
    if (!before) throw notFound(`user ${change.id}`);
    const role = change.role ?? before.role;
    const disabled = change.disabled ?? before.disabled;
    const losesAdmin = before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled);
    if (losesAdmin) {
      const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(users).where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
      if (n <= 1) throw new DomainError('CONFLICT', `${before.email} is the last active admin; make someone else admin first.`);
    }
    const details: Record<string, unknown> = { email: before.email };
    if (role !== before.role) details.role = { from: before.role, to: role };
    if (disabled !== before.disabled) details.disabled = { from: before.disabled, to: disabled };
    const [after] = await tx
      .update(users)
      .set({ role, disabled })
      .where(eq(users.id, change.id))
      .returning(userColumns);
    if (details.role || details.disabled) await recordAudit(tx, actor, 'user.update', { type: 'user', id: before.id }, details);
    return after!;
  });
}

/**
 * The session's user as the database knows it now: null when the account was disabled or
 * deleted since sign-in, and with its current role. Sessions (JWT) otherwise keep the role they
 * were issued with until they expire.
 */
export async function currentSessionUser(db: Queryable, session: SessionUser): Promise<SessionUser | null> {
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, session.id));
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export const listUsers = (db: Queryable): Promise<User[]> => db.select(userColumns).from(users).orderBy(asc(users.email));

/** The demo's accounts (embedded database only): the README lists them. */
export const demoUsers = [
  { email: 'admin@example.com', password: 'ota-admin', role: 'admin', name: 'Demo Admin' },
  { email: 'operator@example.com', password: 'ota-operator', role: 'operator', name: 'Demo Operator' },
  { email: 'support@example.com', password: 'ota-support', role: 'support', name: 'Demo Support' },
] as const;

/**
 * With no users yet, creates the first admin: ADMIN_EMAIL / ADMIN_PASSWORD when set, else
 * (embedded database with demo data) the demo accounts. Without either nobody can sign in, and no default
 * password ever exists on a PostgreSQL deployment.
 */
export async function bootstrapUsers(db: Db): Promise<void> {
  const config = getConfig();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(720531003)`);
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(users);
    if (n > 0) return;
    if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
      await insertUser(tx, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, role: 'admin', name: 'Administrator' });
    } else if (config.embedded && config.loadDemoData) {
      // Known passwords only on the embedded demo: a PostgreSQL deployment never gets a default one.
      for (const u of demoUsers) await insertUser(tx, u);
    } else {
      logger.warn('no users yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin');
    }
  });
}
