import { randomUUID } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { softwarePackages, vehiclePackageItems, vehiclePackages } from '@/db/schema';
import { getConfig } from '../config';
import { invalid } from '../errors';
import type { BlobBody, BlobStore } from '../storage';

export type NewSoftwarePackage = { name: string; version: string; targetEcu: string; fileName: string; contentType?: string };

const safeFileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128) || 'package.bin';

/** A package file in storage, not yet recorded. */
export type StoredPackageFile = { fileName: string; storageKey: string; sha256: string; length: number };

/** Streams a package file to storage (sha256 computed on the way, size limit from configuration). */
export async function storePackageFile(store: BlobStore, fileName: string, body: BlobBody): Promise<StoredPackageFile> {
  const safeName = safeFileName(fileName);
  const storageKey = `packages/software/${randomUUID()}/${safeName}`;
  const stored = await store.put(storageKey, body, { maxBytes: getConfig().PACKAGE_UPLOAD_MAX_BYTES });
  if (stored.size === 0) {
    await store.delete(storageKey);
    throw invalid('the package file is empty');
  }
  return { fileName: safeName, storageKey, sha256: stored.sha256, length: stored.size };
}

/** Records a stored package file as a software package. */
export async function insertSoftwarePackage(db: Queryable, input: NewSoftwarePackage, file: StoredPackageFile) {
  const [row] = await db
    .insert(softwarePackages)
    .values({ ...input, ...file, contentType: input.contentType ?? 'application/octet-stream' })
    .returning();
  return row!;
}

/** Streams the file to storage (sha256 computed on the way, size limit from configuration), then records it. */
export async function createSoftwarePackage(db: Queryable, store: BlobStore, input: NewSoftwarePackage, body: BlobBody) {
  const file = await storePackageFile(store, input.fileName, body);
  try {
    return await insertSoftwarePackage(db, input, file);
  } catch (error) {
    await store.delete(file.storageKey);
    throw error;
  }
}

/**
 * Composes a vehicle package from software packages; its own file (C_11) is a JSON manifest
 * listing each software package with its ECU, version, length and sha256.
 */
export async function createVehiclePackage(db: Queryable, store: BlobStore, input: { name: string; version: string; softwarePackageIds: number[]; rxswin?: string | null }) {
  if (!input.softwarePackageIds.length) throw invalid('a vehicle package needs at least one software package');
  const parts = await db.select().from(softwarePackages).where(inArray(softwarePackages.id, input.softwarePackageIds)).orderBy(asc(softwarePackages.id));
  const missing = input.softwarePackageIds.filter((id) => !parts.some((p) => p.id === id));
  if (missing.length) throw invalid(`software package(s) ${missing.join(', ')} do not exist`);
  const ordered = input.softwarePackageIds.map((id) => parts.find((p) => p.id === id)!);
  const manifest = {
    name: input.name,
    version: input.version,
    rxswin: input.rxswin ?? null,
    softwarePackages: ordered.map((p) => ({ softwarePackageId: p.id, ecuId: p.targetEcu, version: p.version, fileName: p.fileName, length: p.length, sha256: p.sha256 })),
  };
  const storageKey = `packages/vehicle/${randomUUID()}/manifest.json`;
  const stored = await store.put(storageKey, new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  const [vp] = await db.insert(vehiclePackages).values({ name: input.name, version: input.version, storageKey, sha256: stored.sha256, length: stored.size, rxswin: input.rxswin ?? null }).returning();
  await db.insert(vehiclePackageItems).values(ordered.map((p, position) => ({ vehiclePackageId: vp!.id, softwarePackageId: p.id, position })));
  return vp!;
}

export async function getVehiclePackage(db: Queryable, id: number) {
  const [vp] = await db.select().from(vehiclePackages).where(eq(vehiclePackages.id, id));
  return vp ?? null;
}
