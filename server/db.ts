import 'server-only';
import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { getConfig } from './config';

const DB = Symbol.for('ota.db');
const PREPARE = Symbol.for('ota.db.prepare');
type Prepare = (db: Db) => Promise<void>;
type DbGlobal = typeof globalThis & { [DB]?: Promise<DbHandle>; [PREPARE]?: Prepare };

/**
 * The process's one database handle, opened and migrated on first use. Kept on globalThis so
 * that Next's bundle and the natively loaded modules of the production entry share one
 * handle (an embedded PGlite database may be opened once per process).
 */
export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as DbGlobal;
  if (!g[DB]) {
    const pending = open(g[PREPARE]);
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

/**
 * What an entry point wants done each time the database opens, before anyone uses it (the
 * demo fleet, the first users: see server/startup.ts). This module knows nothing of them.
 */
export function prepareDatabaseWith(prepare: Prepare): void {
  (globalThis as DbGlobal)[PREPARE] = prepare;
}

async function open(prepare: Prepare | undefined): Promise<DbHandle> {
  const config = getConfig();
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE, connectTimeoutSeconds: config.DATABASE_CONNECT_TIMEOUT_SECONDS });
  if (prepare) {
    try {
      await prepare(handle.db);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

/** Closes the shared handle (shutdown, tests, CLI scripts). */
export async function closeDb(): Promise<void> {
  const g = globalThis as DbGlobal;
  const pending = g[DB];
  delete g[DB];
  if (pending) await (await pending).close();
}
