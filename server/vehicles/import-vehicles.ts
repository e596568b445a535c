import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, textArray, type Db } from '@/db/client';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/actor';
import { DomainError, type ErrorDetail } from '../errors';
import { findRegisteredVins } from './registered-vins';
import { parseVehicleCsv } from './vehicle-csv';

/** Largest CSV text accepted (about 20 000 vehicles with room to spare). */
export const CSV_MAX_CHARS = 5 * 1024 * 1024;

export const importResultSchema = z.object({
  imported: z.number(),
  /** The first VINs imported, for the confirmation. */
  vins: z.array(z.string()),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const vehicleImportSchema = z.object({
  csv: z.string().max(CSV_MAX_CHARS, `The file is larger than ${CSV_MAX_CHARS / 1024 / 1024} MB; split it`),
  fileName: z.string().max(255).optional(),
});
export type VehicleImport = z.infer<typeof vehicleImportSchema>;

/**
 * Registers the vehicles of a CSV, all or nothing: every row is checked first (format,
 * duplicates in the file, VINs already registered, public keys) and any problem refuses the
 * whole file with its line numbers. The vehicles, their keys and the audit row commit together.
 */
export async function importVehiclesCsv(db: Db, actor: Actor, input: VehicleImport): Promise<ImportResult> {
  const { vehicles: rows, problems } = parseVehicleCsv(input.csv);
  return db.transaction(async (tx) => {
    const existing = await findRegisteredVins(
      tx,
      rows.map((r) => r.vin),
    );
    const all: ErrorDetail[] = [...problems];
    for (const r of rows) if (existing.has(r.vin)) all.push({ path: `line ${r.line}`, message: `VIN ${r.vin} is already registered` });
    if (all.length) {
      all.sort((a, b) => lineOf(a) - lineOf(b));
      throw new DomainError('INVALID_REQUEST', `${all.length} problem(s) in the file; nothing was imported. Fix them and upload the whole file again.`, all);
    }
    const column = (pick: (r: (typeof rows)[number]) => string) => textArray(rows.map(pick));
    const inserted = await queryRows<{ vin: string }>(
      tx,
      sql`insert into vehicles (vin, model, region, primary_id)
          select * from unnest(${column((r) => r.vin)}, ${column((r) => r.model)}, ${column((r) => r.region)}, ${column((r) => r.primaryId)})
          on conflict (vin) do nothing
          returning vin`,
    );
    // A vehicle registered meanwhile (by a vehicle's first contact or another import): nothing is kept.
    if (inserted.length !== rows.length) throw new DomainError('CONFLICT', 'some of these VINs were registered while the file was being imported; nothing was imported. Upload the file again to see which.');
    // The public_key column: each key enrolled as the vehicle's active key (vehicle-keys.ts).
    const keyed = rows.filter((r) => r.publicKey);
    if (keyed.length) {
      const keyColumn = (pick: (r: (typeof keyed)[number]) => string) => textArray(keyed.map(pick));
      await tx.execute(sql`insert into vehicle_keys (vin, public_key, keyid, status, activated_at)
          select vin, public_key, keyid, 'active', now() from unnest(${keyColumn((r) => r.vin)}, ${keyColumn((r) => r.publicKey!.pem)}, ${keyColumn((r) => r.publicKey!.keyid)}) as k(vin, public_key, keyid)`);
    }
    const result = { imported: inserted.length, vins: rows.slice(0, 20).map((r) => r.vin) };
    await recordAudit(tx, actor, 'vehicle.import', { type: 'vehicle', id: null }, { fileName: input.fileName ?? null, imported: result.imported, firstVins: result.vins, ...(keyed.length ? { keysEnrolled: keyed.length } : {}) });
    return result;
  });
}

const lineOf = (d: ErrorDetail) => Number(/^line (\d+)/.exec(d.path)?.[1] ?? 0);
