import { sql } from 'drizzle-orm';
import { getDbHandle } from './db';
import { endpoint, json } from './http/endpoint';

/** GET /api/health: 200 once the database is open, migrated and answering; else 503 UNAVAILABLE. */
export const getHealth = endpoint(async () => {
  const handle = await getDbHandle();
  await handle.db.execute(sql`select 1`);
  return json({ status: 'ok', database: handle.driver });
});
