import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { getConfig } from './config';

const DB = Symbol.for('ota.db');
type DbGlobal = typeof globalThis & { [DB]?: Promise<DbHandle> };

/**
 * The process's one database handle, opened, migrated (and, for a fresh embedded database,
 * filled with the demo fleet) on first use. Kept on globalThis so that Next's bundle and a
 * directly imported copy of this module share one PGlite.
 */
export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as DbGlobal;
  if (!g[DB]) {
    const pending = open();
    g[DB] = pending;
    // A failed open (database down at start) is retried on the next request.
    pending.catch(() => {
      if (g[DB] === pending) delete g[DB];
    });
  }
  return g[DB];
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

async function open(): Promise<DbHandle> {
  const config = getConfig();
  // A bad server key fails the start, not every answer later.
  const { getServerKey } = await import('./vehicle-api/server-key');
  getServerKey();
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  if (config.loadDemoData) {
    const { seedDemoDataIfEmpty } = await import('./demo/seed');
    await seedDemoDataIfEmpty(handle.db);
  }
  const { bootstrapUsers } = await import('./auth/users');
  await bootstrapUsers(handle.db);
  return handle;
}

/** Closes the shared handle (tests, CLI scripts). */
export async function closeDb(): Promise<void> {
  const g = globalThis as DbGlobal;
  const pending = g[DB];
  delete g[DB];
  if (pending) await (await pending).close();
}
