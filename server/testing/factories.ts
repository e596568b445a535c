import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import { createCampaign, transitionCampaign, type NewCampaign } from '../campaigns/lifecycle';
import { createSoftwarePackage, createVehiclePackage } from '../packages/software-packages';
import { getBlobStore } from '../storage';

export { makeVehicles, recordKnownConfig, uniqueVin, type VehicleConfig } from './vehicle-factories';

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
