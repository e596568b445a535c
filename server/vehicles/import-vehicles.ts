import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { vehicles } from '@/db/schema';
import { DomainError, type ErrorDetail } from '../errors';
import { parseVehicleCsv } from './vehicle-csv';

/** Largest CSV text accepted (about 20 000 vehicles with room to spare). */
export const CSV_MAX_CHARS = 5 * 1024 * 1024;

export const importResultSchema = z.object({
  imported: z.number(),
  /** The first VINs imported, for the confirmation. */
  vins: z.array(z.string()),
});
export type ImportResult = z.infer<typeof importResultSchema>;

const CHUNK = 1000;

/**
 * Registers the vehicles of a CSV, all or nothing: every row is checked first (format,
 * duplicates in the file, VINs already registered) and any problem refuses the whole file
 * with its line numbers. Run it in the transaction that records the audit row.
 */
export async function importVehiclesCsv(db: Queryable, input: { csv: string }): Promise<ImportResult> {
  const { vehicles: rows, problems } = parseVehicleCsv(input.csv);
  const existing = new Set<string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const found = await db.select({ vin: vehicles.vin }).from(vehicles).where(inArray(vehicles.vin, rows.slice(i, i + CHUNK).map((r) => r.vin)));
    for (const f of found) existing.add(f.vin);
  }
  const all: ErrorDetail[] = [...problems];
  for (const r of rows) if (existing.has(r.vin)) all.push({ path: `line ${r.line}`, message: `VIN ${r.vin} is already registered` });
  if (all.length) {
    all.sort((a, b) => lineOf(a) - lineOf(b));
    throw new DomainError('INVALID_REQUEST', `${all.length} problem(s) in the file; nothing was imported. Fix them and upload the whole file again.`, all);
  }
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const done = await db
      .insert(vehicles)
      .values(chunk.map(({ vin, model, region, primaryId }) => ({ vin, model, region, primaryId })))
      .onConflictDoNothing({ target: vehicles.vin })
      .returning({ vin: vehicles.vin });
    inserted += done.length;
  }
  // A vehicle registered meanwhile (by a vehicle's first contact or another import): the caller's transaction rolls back.
  if (inserted !== rows.length) throw new DomainError('CONFLICT', 'some of these VINs were registered while the file was being imported; nothing was imported. Upload the file again to see which.');
  return { imported: inserted, vins: rows.slice(0, 20).map((r) => r.vin) };
}

const lineOf = (d: ErrorDetail) => Number(/^line (\d+)/.exec(d.path)?.[1] ?? 0);
