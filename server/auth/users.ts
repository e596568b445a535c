import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { users, type Role } from '@/db/schema';
import { getConfig } from '../config';
import { DomainError, invalid } from '../errors';
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
  if (existing) throw new DomainError('CONFLICT', `a user ${email} exists already`);
  const [user] = await db
    .insert(users)
    .values({ email, name: input.name ?? '', passwordHash: await hashPassword(input.password), role: input.role })
    .returning({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, createdAt: users.createdAt });
  return user!;
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
 * (demo data on) the demo accounts. Without either nobody can sign in, and no default
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
    } else if (config.loadDemoData) {
      for (const u of demoUsers) await createUser(tx, u);
    } else {
      console.warn('no users yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin');
    }
  });
}
