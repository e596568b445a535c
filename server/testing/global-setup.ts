import { POSTGRES_TEST_DATA_DIR, TEST_URL_SIGNING_SECRET } from './env';

// Once per run: on PostgreSQL, migrate and load the demo fleet before any test file starts,
// so that the seed's campaign ids (1 and 18) are the demo's and not a test's.
export default async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  process.env.URL_SIGNING_SECRET ??= TEST_URL_SIGNING_SECRET;
  process.env.DATA_DIR ??= POSTGRES_TEST_DATA_DIR;
  const { getDb, closeDb } = await import('../db');
  const { seedDemoData } = await import('../demo/seed');
  await seedDemoData(await getDb());
  await closeDb();
}
