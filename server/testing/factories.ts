import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import { sql } from 'drizzle-orm';
import { configSnapshots, vehicleEcus, vehicles } from '@/db/schema';
import { createCampaign, transitionCampaign, type NewCampaign } from '../campaigns/lifecycle';
import { createSoftwarePackage, createVehiclePackage } from '../packages/software-packages';
import { getBlobStore } from '../storage';

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
  fields: Partial<typeof vehicles.$inferInsert> = {},
  config: VehicleConfig = { ecus: { '1': '1.0.0' }, availableMb: 2048 },
): Promise<string[]> {
  const vins = Array.from({ length: count }, () => uniqueVin());
  await db.insert(vehicles).values(vins.map((vin) => ({ vin, primaryId: '0', model: 'Test Model', region: 'EU', lastConfigAt: config ? new Date() : null, ...fields })));
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

/** A software package with `size` random bytes, wrapped in its own vehicle package. */
export async function makePackage(db: Db, size = 64 * 1024, rxswin: string | null = null) {
  const bytes = randomBytes(size);
  const store = getBlobStore();
  const sp = await createSoftwarePackage(db, store, { name: 'Test firmware', version: `1.${size}.0`, targetEcu: '1', fileName: `test-${randomUUID().slice(0, 8)}.bin` }, bytes);
  const vp = await createVehiclePackage(db, store, { name: 'Test vehicle package', version: '1', softwarePackageIds: [sp.id], rxswin });
  return { softwarePackage: sp, vehiclePackage: vp, bytes };
}

/** A deployed campaign to `vins` (StartCampaign queued for each), with its own package. */
export async function makeDeployedCampaign(db: Db, vins: string[], { packageRxswin, ...options }: Partial<NewCampaign> & { size?: number; packageRxswin?: string } = {}) {
  const pkg = await makePackage(db, options.size, packageRxswin ?? null);
  const campaign = await createCampaign(db, { name: `Test campaign ${randomUUID().slice(0, 6)}`, vehiclePackageId: pkg.vehiclePackage.id, ...options, vins });
  await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Deployed', 'test'));
  return { campaign, ...pkg };
}
