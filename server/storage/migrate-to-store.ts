import { isNotNull } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { logUploads, softwarePackages, vehiclePackages } from '@/db/schema';
import type { BlobStore } from './blob-store';
import { sha256OfStored } from './meter';

export type MigratedFile = {
  storageKey: string;
  /** copied: now in the target and verified; present: was already there, verified; missing: not in the source; mismatch: the bytes do not hash to the recorded sha256 (nothing kept). */
  result: 'copied' | 'present' | 'missing' | 'mismatch';
};

/** Every file the database knows of, with the sha256 it recorded. */
async function recordedFiles(db: Queryable): Promise<{ storageKey: string; sha256: string }[]> {
  const software = await db.select({ storageKey: softwarePackages.storageKey, sha256: softwarePackages.sha256 }).from(softwarePackages);
  const vehicle = await db.select({ storageKey: vehiclePackages.storageKey, sha256: vehiclePackages.sha256 }).from(vehiclePackages);
  const logs = await db.select({ storageKey: logUploads.storageKey, sha256: logUploads.sha256 }).from(logUploads).where(isNotNull(logUploads.sha256));
  return [...software, ...vehicle, ...logs.map((l) => ({ storageKey: l.storageKey, sha256: l.sha256! }))];
}

/**
 * Copies every recorded package and log file from `source` (the local files) to `target` (the
 * bucket), under the same key. Idempotent: a file already in the target is checked, not copied
 * again. Every file in the target is verified against the sha256 the database recorded; a copy
 * that does not match is removed again.
 */
export async function migrateFilesToStore(db: Queryable, source: BlobStore, target: BlobStore, onFile: (file: MigratedFile) => void = () => {}): Promise<MigratedFile[]> {
  const results: MigratedFile[] = [];
  const report = (file: MigratedFile) => {
    results.push(file);
    onFile(file);
  };
  for (const file of await recordedFiles(db)) {
    const existing = await target.stat(file.storageKey);
    if (existing && (existing.sha256 ?? (await sha256OfStored(target, file.storageKey))) === file.sha256) {
      report({ storageKey: file.storageKey, result: 'present' });
      continue;
    }
    if (!(await source.stat(file.storageKey))) {
      report({ storageKey: file.storageKey, result: 'missing' });
      continue;
    }
    const stored = await target.put(file.storageKey, source.read(file.storageKey));
    if (stored.sha256 !== file.sha256) {
      await target.delete(file.storageKey);
      report({ storageKey: file.storageKey, result: 'mismatch' });
      continue;
    }
    report({ storageKey: file.storageKey, result: 'copied' });
  }
  return results;
}
