import 'server-only';
// What every entry point does before it serves (instrumentation.ts under `next dev`, the
// production server, the lean vehicle API, the tests and CLI scripts that open the
// database). Nothing in the domain imports this file: it is where the layers are wired.
import { bootstrapUsers } from './auth/users';
import { getConfig } from './config';
import { getDb, prepareDatabaseWith } from './db';
import { seedDemoDataIfEmpty } from './demo/seed';
import { logger } from './logging/logger';
import { startRolloutSweeper } from './rollout/sweep';
import { configuredServerKey, loadServerKeys } from './vehicle-api/server-key';
import { startWebhookSender } from './webhooks/sender-loop';

/**
 * Reads the settings that must stop a start rather than fail requests later (every variable,
 * the server signing key), and tells the database what it gets each time it opens: the server
 * signing keys (imported, generated if none is current, cached), the demo fleet (DEMO_DATA) and
 * the first users. Throws with the variable's name.
 */
export function wireProcess(): void {
  getConfig();
  configuredServerKey();
  prepareDatabaseWith(async (db) => {
    // The server signing keys first: answers are never unsigned (server-key.ts).
    await loadServerKeys(db);
    if (getConfig().loadDemoData) await seedDemoDataIfEmpty(db);
    await bootstrapUsers(db);
  });
}

const STARTED = Symbol.for('ota.server-process');
type StartedGlobal = typeof globalThis & { [STARTED]?: Promise<void> };

/**
 * Once per process, however many copies of this module are loaded (Next's bundle of
 * instrumentation.ts and the production entry's own import share globalThis): wire, open the
 * database (migrations applied), start the rollout housekeeping every 30 s and the webhook
 * sender every second. A database
 * that is down at start is logged and retried by the next request; a bad setting throws.
 */
export function startServerProcess(): Promise<void> {
  const g = globalThis as StartedGlobal;
  g[STARTED] ??= (async () => {
    wireProcess();
    await getDb().catch((error: unknown) => logger.error({ err: error }, 'database not ready at start'));
    startRolloutSweeper(getDb);
    startWebhookSender(getDb, { allowPrivateNetworks: getConfig().webhookAllowPrivateNetworks });
  })();
  return g[STARTED];
}

/** For the entries: startServerProcess, or exit 1 with the bad setting's message (no stack trace). */
export async function startServerProcessOrExit(): Promise<void> {
  try {
    await startServerProcess();
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
