// Runs before each test file. On the embedded database every file gets a fresh DATA_DIR
// (PGlite is one process's database); on PostgreSQL all files share the one database that
// global-setup migrated and filled with the demo fleet, and each test makes its own VINs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { resetConfig } from '../config';
import { closeDb } from '../db';

if (!process.env.DATABASE_URL) {
  process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'ota-test-'));
}
process.env.URL_SIGNING_SECRET ??= 'test-secret-for-signed-urls-000000000000';
resetConfig();

afterAll(async () => {
  await closeDb();
});
