import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

export const migrationsFolder = path.resolve(process.cwd(), 'drizzle');

/** An arbitrary constant: one instance migrates at a time, the others wait for it. */
const MIGRATION_LOCK = 720_531_001;

/** Applies drizzle/ to an embedded PGlite database (one process owns it: no lock needed). */
export async function migratePglite(db: PgDatabase<PgQueryResultHKT, Record<string, unknown>>): Promise<void> {
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await migrate(db as never, { migrationsFolder });
}

/**
 * Applies drizzle/ to PostgreSQL over one dedicated connection that holds an advisory lock,
 * so several instances starting together take turns instead of racing.
 */
export async function migratePostgres(url: string, connectTimeoutSeconds = 2): Promise<void> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: connectTimeoutSeconds });
  try {
    const db = drizzle(client);
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await migrate(db, { migrationsFolder });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
