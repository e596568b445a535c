import { randomUUID } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { softwarePackages, vehiclePackageItems, vehiclePackages } from '@/db/schema';
import { getConfig } from '../config';
import { invalid } from '../errors';
import type { BlobBody, BlobStore } from '../storage';

export type NewSoftwarePackage = { name: string; version: string; targetEcu: string; fileName: string; contentType?: string };

const safeFileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128) || 'package.bin';

/** Streams the file to storage (sha256 computed on the way, size limit from configuration), then records it. */
export async function createSoftwarePackage(db: Queryable, store: BlobStore, input: NewSoftwarePackage, body: BlobBody) {
  const fileName = safeFileName(input.fileName);
  const storageKey = `packages/software/${randomUUID()}/${fileName}`;
  const stored = await store.put(storageKey, body, { maxBytes: getConfig().PACKAGE_UPLOAD_MAX_BYTES });
  if (stored.size === 0) {
    await store.delete(storageKey);
    throw invalid('the package file is empty');
  }
  try {
    const [row] = await db
      .insert(softwarePackages)
      .values({ ...input, fileName, contentType: input.contentType ?? 'application/octet-stream', storageKey, sha256: stored.sha256, length: stored.size })
      .returning();
    return row!;
  } catch (error) {
    await store.delete(storageKey);
    throw error;
  }
}

/**
 * Composes a vehicle package from software packages; its own file (C_11) is a JSON manifest
 * listing each software package with its ECU, version, length and sha256.
 */
export async function createVehiclePackage(db: Queryable, store: BlobStore, input: { name: string; version: string; softwarePackageIds: number[] }) {
  if (!input.softwarePackageIds.length) throw invalid('a vehicle package needs at least one software package');
  const parts = await db.select().from(softwarePackages).where(inArray(softwarePackages.id, input.softwarePackageIds)).orderBy(asc(softwarePackages.id));
  const missing = input.softwarePackageIds.filter((id) => !parts.some((p) => p.id === id));
  if (missing.length) throw invalid(`software package(s) ${missing.join(', ')} do not exist`);
  const ordered = input.softwarePackageIds.map((id) => parts.find((p) => p.id === id)!);
  const manifest = {
    name: input.name,
    version: input.version,
    softwarePackages: ordered.map((p) => ({ softwarePackageId: p.id, ecuId: p.targetEcu, version: p.version, fileName: p.fileName, length: p.length, sha256: p.sha256 })),
  };
  const storageKey = `packages/vehicle/${randomUUID()}/manifest.json`;
  const stored = await store.put(storageKey, new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  const [vp] = await db.insert(vehiclePackages).values({ name: input.name, version: input.version, storageKey, sha256: stored.sha256, length: stored.size }).returning();
  await db.insert(vehiclePackageItems).values(ordered.map((p, position) => ({ vehiclePackageId: vp!.id, softwarePackageId: p.id, position })));
  return vp!;
}

export async function getVehiclePackage(db: Queryable, id: number) {
  const [vp] = await db.select().from(vehiclePackages).where(eq(vehiclePackages.id, id));
  return vp ?? null;
}
