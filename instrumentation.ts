// Next.js calls register() once when its server starts. Under `npm start` the production
// entry (server/http/production-server.ts) has done this work already and the call finds it
// done; under `npm run dev` (and a bare `next start`) it is what opens the database
// (migrations, demo data, first admin) before the first request and starts the rollout
// housekeeping. A bad setting stops the start here, with its name.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServerProcessOrExit } = await import('./server/startup');
  await startServerProcessOrExit();
}
