import { sql } from 'drizzle-orm';
import { FixedQuery, FixedStatement, textArrayLiteral, type Queryable } from '@/db/client';
import { vehicleEcus } from '@/db/schema';
import type { KnownConfig } from './compatibility';

const latestUploads = new FixedStatement(['vins'], (p) =>
  sql`select distinct on (s.vin) s.vin, s.storage_available_mb as available
      from config_snapshots s where s.vin = any(${p.vins}::text[])
      order by s.vin, s.received_at desc, s.id desc`,
);
const ecusOf = new FixedQuery(['vins'], (db, p) =>
  db.select({ vin: vehicleEcus.vin, ecuId: vehicleEcus.ecuId, version: vehicleEcus.softwareVersion }).from(vehicleEcus).where(sql`${vehicleEcus.vin} = any(${p.vins}::text[])`),
);

/** The installed software version of each of the vehicle's known ECUs (vehicle_ecus). */
export async function installedEcus(db: Queryable, vin: string): Promise<Map<string, string | null>> {
  return new Map((await ecusOf.run(db, { vins: textArrayLiteral([vin]) })).map((e) => [e.ecuId, e.version]));
}

/**
 * The last known configuration of each vehicle: installed ECU versions and free storage from
 * its latest upload; null for a vehicle that never uploaded one (C_05).
 */
export async function lastKnownConfigs(db: Queryable, vins: string[]): Promise<Map<string, KnownConfig | null>> {
  const result = new Map<string, KnownConfig | null>(vins.map((v) => [v, null]));
  if (!vins.length) return result;
  // Both reads sent together (one wait on a transaction's connection).
  const list = textArrayLiteral(vins);
  const [latest, ecus] = await Promise.all([latestUploads.rows<{ vin: string; available: number | null }>(db, { vins: list }), ecusOf.run(db, { vins: list })]);
  for (const row of latest) result.set(row.vin, { ecus: new Map(), availableMb: row.available === null ? null : Number(row.available) });
  for (const e of ecus) result.get(e.vin)?.ecus.set(e.ecuId, e.version);
  return result;
}
