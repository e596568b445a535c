import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../server/vehicle-protocol/signatures';
import { migrationsFolder } from './migrate';

/** Applies drizzle/ migration files in order, from `from` (the first by default) up to and including `last`. */
async function applyUpTo(pg: PGlite, last: string, from?: string) {
  const files = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort();
  const start = from ? files.indexOf(from) : 0;
  for (const file of files.slice(start, files.indexOf(last) + 1)) {
    // As drizzle's migrator does: each file in one transaction.
    await pg.transaction(async (tx) => {
      for (const statement of readFileSync(path.join(migrationsFolder, file), 'utf8').split('--> statement-breakpoint')) {
        if (statement.trim()) await tx.exec(statement);
      }
    });
  }
}

describe('migration 0013: vehicles.public_key moves into vehicle_keys', () => {
  it('carries each readable key over as the active key, with its keyid, and drops the column', async () => {
    const pg = new PGlite();
    await applyUpTo(pg, '0012_api_tokens.sql');
    const pemKey = generateKeyPairSync('ed25519').publicKey;
    const rawKey = generateKeyPairSync('ed25519').publicKey;
    const pem = pemKey.export({ type: 'spki', format: 'pem' }).toString();
    const raw = rawKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64');
    await pg.query(`insert into vehicles (vin, public_key) values ('PEMVIN', $1), ('RAWVIN', $2), ('BADVIN', 'not base64 !!'), ('NOKEY', null)`, [pem, raw]);
    await applyUpTo(pg, '0013_vehicle_and_server_keys.sql', '0013_vehicle_and_server_keys.sql');
    const { rows } = await pg.query<{ vin: string; keyid: string; status: string; public_key: string }>('select vin, keyid, status, public_key from vehicle_keys order by vin');
    expect(rows).toEqual([
      { vin: 'PEMVIN', keyid: keyIdOf(pemKey), status: 'active', public_key: pem },
      { vin: 'RAWVIN', keyid: keyIdOf(rawKey), status: 'active', public_key: raw },
    ]);
    const columns = await pg.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'vehicles' and column_name = 'public_key'`);
    expect(columns.rows).toEqual([]);
    await pg.close();
  });
});
