import { sql } from 'drizzle-orm';
import { queryRows, textArray, type Queryable } from '@/db/client';
import { vehicleEcus } from '@/db/schema';
import type { KnownConfig } from './compatibility';

/**
 * The last known configuration of each vehicle: installed ECU versions and free storage from
 * its latest upload; null for a vehicle that never uploaded one (C_05).
 */
export async function lastKnownConfigs(db: Queryable, vins: string[]): Promise<Map<string, KnownConfig | null>> {
  const result = new Map<string, KnownConfig | null>(vins.map((v) => [v, null]));
  if (!vins.length) return result;
  const latest = await queryRows<{ vin: string; available: number | null }>(
    db,
    sql`select distinct on (s.vin) s.vin, s.storage_available_mb as available
        from config_snapshots s where s.vin = any(${textArray(vins)})
        order by s.vin, s.received_at desc, s.id desc`,
  );
  for (const row of latest) result.set(row.vin, { ecus: new Map(), availableMb: row.available === null ? null : Number(row.available) });
  const ecus = await db.select({ vin: vehicleEcus.vin, ecuId: vehicleEcus.ecuId, version: vehicleEcus.softwareVersion }).from(vehicleEcus).where(sql`${vehicleEcus.vin} = any(${textArray(vins)})`);
  for (const e of ecus) result.get(e.vin)?.ecus.set(e.ecuId, e.version);
  return result;
}
