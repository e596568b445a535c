// Runs before each test file. On the embedded database every file gets a fresh DATA_DIR
// (PGlite is one process's database); on PostgreSQL all files share the one database (and
// file folder) that global-setup migrated and filled with the demo fleet, and each test
// makes its own VINs.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { resetConfig } from '../config';
import { closeDb } from '../db';
import { wireProcess } from '../startup';
import { POSTGRES_TEST_DATA_DIR, TEST_URL_SIGNING_SECRET } from './env';

if (process.env.DATABASE_URL) {
  process.env.DATA_DIR ??= POSTGRES_TEST_DATA_DIR;
  // With PostgreSQL the server key comes from the environment, as in production.
  process.env.SERVER_SIGNING_KEY ??= generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
} else {
  process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'ota-test-'));
}
process.env.URL_SIGNING_SECRET ??= TEST_URL_SIGNING_SECRET;
// The suites send the seed's unsigned examples, also on PostgreSQL (whose default is `signature`);
// vehicle-auth.test.ts sets the other policies itself.
process.env.VEHICLE_AUTH ??= 'open';
resetConfig();
// As an entry point does: a fresh database gets the demo fleet and its users when it opens.
wireProcess();

afterAll(async () => {
  await closeDb();
});
