// Next.js calls register() once when the server starts: open the database (migrations, demo
// data, first admin) before the first request, and start the rollout housekeeping.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getConfig } = await import('./server/config');
  const { getServerKey } = await import('./server/vehicle-api/server-key');
  try {
    // A bad setting stops the start here, with its name, instead of failing every request later.
    getConfig();
    getServerKey();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const { getDb } = await import('./server/db');
  const { startRolloutSweeper } = await import('./server/rollout/sweep');
  await getDb().catch((error: unknown) => console.error('database not ready at start:', error));
  startRolloutSweeper(getDb);
}
