import { asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, softwarePackages, vehiclePackageItems, vehiclePackages } from '@/db/schema';
import { notFound } from '../errors';

const softwarePackageColumns = {
  id: softwarePackages.id,
  name: softwarePackages.name,
  version: softwarePackages.version,
  targetEcu: softwarePackages.targetEcu,
  fileName: softwarePackages.fileName,
  contentType: softwarePackages.contentType,
  sha256: softwarePackages.sha256,
  length: softwarePackages.length,
  createdAt: softwarePackages.createdAt,
};

/** Every software package, newest first. */
export function listSoftwarePackages(db: Queryable) {
  return db.select(softwarePackageColumns).from(softwarePackages).orderBy(desc(softwarePackages.createdAt), desc(softwarePackages.id));
}

/** One software package; NOT_FOUND when there is none with this id. */
export async function getSoftwarePackage(db: Queryable, id: number) {
  const [row] = await db.select(softwarePackageColumns).from(softwarePackages).where(eq(softwarePackages.id, id));
  if (!row) throw notFound(`software package ${id}`);
  return row;
}

/** Every vehicle package, newest first, with its software packages in package order and how many campaigns use it. */
export async function listVehiclePackages(db: Queryable) {
  const packages = await db.select().from(vehiclePackages).orderBy(desc(vehiclePackages.createdAt), desc(vehiclePackages.id));
  const ids = packages.map((p) => p.id);
  if (!ids.length) return [];
  const items = await db
    .select({ vehiclePackageId: vehiclePackageItems.vehiclePackageId, position: vehiclePackageItems.position, ...softwarePackageColumns })
    .from(vehiclePackageItems)
    .innerJoin(softwarePackages, eq(softwarePackages.id, vehiclePackageItems.softwarePackageId))
    .where(inArray(vehiclePackageItems.vehiclePackageId, ids))
    .orderBy(asc(vehiclePackageItems.position), asc(softwarePackages.id));
  const usage = await db
    .select({ vehiclePackageId: campaigns.vehiclePackageId, n: count() })
    .from(campaigns)
    .where(inArray(campaigns.vehiclePackageId, ids))
    .groupBy(campaigns.vehiclePackageId);
  return packages.map((p) => ({
    id: p.id,
    name: p.name,
    version: p.version,
    sha256: p.sha256,
    length: p.length,
    createdAt: p.createdAt,
    campaignCount: usage.find((u) => u.vehiclePackageId === p.id)?.n ?? 0,
    softwarePackages: items.filter((i) => i.vehiclePackageId === p.id).map(({ vehiclePackageId: _, position: __, ...sp }) => sp),
  }));
}
