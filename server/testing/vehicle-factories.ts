// Vehicles for tests and e2e specs. No import here may be marked server-only: Playwright's
// loader (e2e/two-instances.api.spec.ts) loads this file outside any server bundle.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { configSnapshots, vehicleEcus, vehicleKeys, vehicles } from '@/db/schema';
import { keyIdOf, parsePublicKey } from '../vehicle-protocol/signatures';

/** A VIN no other test uses (tests share one PostgreSQL in CI). */
export const uniqueVin = (prefix = 'T') => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 16)}`;

export type VehicleConfig = { ecus: Record<string, string>; availableMb: number } | null;

/**
 * Registered vehicles. Unless `config` is null they have reported a configuration already
 * (ECU 1 at 1.0.0 and 2 GB free by default), as vehicles of a live fleet have.
 */
export async function makeVehicles(
  db: Db,
  count: number,
  { publicKey, ...fields }: Partial<typeof vehicles.$inferInsert> & { publicKey?: string } = {},
  config: VehicleConfig = { ecus: { '1': '1.0.0' }, availableMb: 2048 },
): Promise<string[]> {
  const vins = Array.from({ length: count }, () => uniqueVin());
  await db.insert(vehicles).values(vins.map((vin) => ({ vin, primaryId: '0', model: 'Test Model', region: 'EU', lastConfigAt: config ? new Date() : null, ...fields })));
  // `publicKey`: each vehicle gets it as its active (enrolled) key.
  if (publicKey) {
    const keyid = keyIdOf(parsePublicKey(publicKey));
    await db.insert(vehicleKeys).values(vins.map((vin) => ({ vin, publicKey, keyid, status: 'active' as const, activatedAt: new Date() })));
  }
  if (config) await recordKnownConfig(db, vins, config);
  return vins;
}

/** What a vehicle's configuration upload would leave behind: a snapshot and its ECUs. */
export async function recordKnownConfig(db: Db, vins: string[], config: NonNullable<VehicleConfig>): Promise<void> {
  const manifests = Object.entries(config.ecus).map(([ecuId, softwareVersion]) => ({ ecuId, softwareVersion }));
  await db.insert(configSnapshots).values(
    vins.map((vin) => ({
      vin,
      contentHash: randomUUID(),
      storageAvailableMb: config.availableMb,
      storageUsedMb: 0,
      ecuVersionManifests: manifests,
      raw: { signed: { vin, ecuVersionManifests: manifests, augmentedManifest: { packageStorage: { available: config.availableMb } } } },
    })),
  );
  if (manifests.length) {
    await db
      .insert(vehicleEcus)
      .values(vins.flatMap((vin) => manifests.map((m) => ({ vin, ecuId: m.ecuId, softwareVersion: m.softwareVersion, manifest: m }))))
      .onConflictDoUpdate({ target: [vehicleEcus.vin, vehicleEcus.ecuId], set: { softwareVersion: sql`excluded.software_version` } });
  }
}
