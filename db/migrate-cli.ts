// `npm run db:migrate`: applies drizzle/ to DATABASE_URL, else to the embedded database under
// DATA_DIR, and exits non-zero on failure. (A file of its own so that migrate.ts and client.ts
// do not import each other.)
import { openDatabase } from './client';
import { migratePostgres } from './migrate';

const url = process.env.DATABASE_URL;
try {
  if (url) await migratePostgres(url);
  else await (await openDatabase({ dataDir: process.env.DATA_DIR ?? './data' })).close();
  console.log('migrations applied');
} catch (error) {
  console.error('migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
}
