// Next.js calls register() once when the server starts: open the database (migrations, demo
// data, first admin) before the first request, and start the rollout housekeeping.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getDb } = await import('./server/db');
  const { startRolloutSweeper } = await import('./server/rollout/sweep');
  await getDb().catch((error: unknown) => console.error('database not ready at start:', error));
  startRolloutSweeper(getDb);
}
