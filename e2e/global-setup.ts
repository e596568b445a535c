import { eq } from 'drizzle-orm';

/**
 * On PostgreSQL the app never creates accounts with known passwords, so the end-to-end run
 * makes the demo's three accounts itself (on the embedded database the demo already has them).
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) return;
  const { openDatabase } = await import('../db/client');
  const { users } = await import('../db/schema');
  const { insertUser, demoUsers } = await import('../server/auth/users');
  const handle = await openDatabase({ databaseUrl: url, dataDir: 'data/e2e' });
  try {
    for (const u of demoUsers) {
      const [existing] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
      if (!existing) await insertUser(handle.db, u);
    }
  } finally {
    await handle.close();
  }
}
