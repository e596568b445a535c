import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { users, type Role } from '@/db/schema';
import { getConfig } from '../config';
import { recordAudit } from '../audit/record-audit';
import { DomainError, invalid, notFound } from '../errors';
import { hashPassword, verifyPassword } from './passwords';

export type SessionUser = { id: number; email: string; name: string; role: Role };

const normalEmail = (email: string) => email.trim().toLowerCase();

/** The user with these credentials, or null (wrong password, unknown or disabled account). */
export async function authenticate(db: Db, email: string, password: string): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, normalEmail(email)));
  if (!user || user.disabled || !(await verifyPassword(password, user.passwordHash))) return null;
  await db.update(users).set({ lastSignInAt: sql`now()` }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function createUser(db: Queryable, input: { email: string; name?: string; password: string; role: Role }) {
  if (input.password.length < 8) throw invalid('the password must be at least 8 characters');
  const email = normalEmail(input.email);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw duplicateEmail(email);
  const passwordHash = await hashPassword(input.password);
  try {
    const [user] = await db
      .insert(users)
      .values({ email, name: input.name?.trim() ?? '', passwordHash, role: input.role })
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, lastSignInAt: users.lastSignInAt, createdAt: users.createdAt });
    return user!;
  } catch (error) {
    // Another request created the same e-mail between the check and the insert.
    if (isUniqueViolation(error, 'users_email_uq')) throw duplicateEmail(email);
    throw error;
  }
}

const duplicateEmail = (email: string) => new DomainError('CONFLICT', `A user with the e-mail ${email} exists already.`);

function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, constraint: name, constraint_name } = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (code === '23505' && (name === constraint || constraint_name === constraint)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export type UserChange = { id: number; role?: Role; disabled?: boolean };

/**
 * Changes a user's role and/or disables or enables the account, with its audit row (old and
 * new values) in the same transaction. Nobody demotes or disables themselves, so there is
 * always an admin left. A change that changes nothing writes no audit row.
 */
export async function updateUser(db: Db, actor: SessionUser, change: UserChange) {
  if (change.id === actor.id && (change.disabled === true || (change.role && change.role !== 'admin'))) {
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
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, lastSignInAt: users.lastSignInAt, createdAt: users.createdAt });
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

export const listUsers = (db: Queryable) =>
  db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, lastSignInAt: users.lastSignInAt, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.email));

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
      await createUser(tx, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, role: 'admin', name: 'Administrator' });
    } else if (config.embedded && config.loadDemoData) {
      // Known passwords only on the embedded demo: a PostgreSQL deployment never gets a default one.
      for (const u of demoUsers) await createUser(tx, u);
    } else {
      console.warn('no users yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin');
    }
  });
}
