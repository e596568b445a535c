import { z } from 'zod';
import type { Db } from '@/db/client';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/actor';
import { getConfig } from '../config';
import { DomainError, invalid } from '../errors';
import { getBlobStore, type BlobBody, type BlobStore } from '../storage';
import { formatBytes } from './format-bytes';
import { insertSoftwarePackage, storePackageFile } from './software-packages';

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is missing` })
    .trim()
    .min(1, `${label} is missing`)
    .max(max, `${label} is longer than ${max} characters`);

/** What the uploader says about the file (query string of POST /api/packages/upload). */
export const softwarePackageUploadSchema = z.object({
  name: text('name', 200),
  version: text('version', 100),
  targetEcu: text('targetEcu', 100),
  fileName: text('fileName', 255),
  contentType: z.string().max(200).optional(),
});
export type SoftwarePackageUpload = z.infer<typeof softwarePackageUploadSchema>;

/** An upload: what the uploader says about the file, the file's bytes and the length the request declared. */
export type SoftwarePackageFile = { package: SoftwarePackageUpload; body: BlobBody | null; declaredLength?: number };

/** The largest package file the server accepts, in bytes and for people. */
export function packageUploadLimit() {
  const bytes = getConfig().PACKAGE_UPLOAD_MAX_BYTES;
  return { bytes, text: formatBytes(bytes) };
}

const tooLarge = (size?: number) =>
  new DomainError(
    'PAYLOAD_TOO_LARGE',
    `${size === undefined ? 'The file' : `The file (${formatBytes(size)})`} is larger than the limit of ${packageUploadLimit().text} (PACKAGE_UPLOAD_MAX_BYTES).`,
  );

/** Validates the upload's fields; a missing one is named in the message. */
export function parseSoftwarePackageUpload(fields: Record<string, string | undefined>): SoftwarePackageUpload {
  const parsed = softwarePackageUploadSchema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const missing = details.filter((d) => d.message.endsWith('is missing')).map((d) => d.path);
  const message = missing.length ? `Missing field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` : details.map((d) => d.message).join('; ');
  throw invalid(message, details);
}

/**
 * Streams an uploaded package file into storage (never whole in memory; sha256 on the way;
 * refused past PACKAGE_UPLOAD_MAX_BYTES), then records the package and its audit row in one
 * transaction. A failed record leaves no file behind.
 */
export async function uploadSoftwarePackage(db: Db, actor: Actor, upload: SoftwarePackageFile, store: BlobStore = getBlobStore()) {
  const { package: input, body, declaredLength } = upload;
  if (declaredLength !== undefined && declaredLength > packageUploadLimit().bytes) throw tooLarge(declaredLength);
  if (!body || declaredLength === 0) throw invalid('The package file is empty: choose a file with content.');
  let file;
  try {
    file = await storePackageFile(store, input.fileName, body);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'PAYLOAD_TOO_LARGE') throw tooLarge();
    throw error;
  }
  try {
    return await db.transaction(async (tx) => {
      const row = await insertSoftwarePackage(tx, input, file);
      await recordAudit(tx, actor, 'package.upload', { type: 'software_package', id: row.id }, {
        name: row.name,
        version: row.version,
        targetEcu: row.targetEcu,
        fileName: row.fileName,
        length: row.length,
        sha256: row.sha256,
      });
      return row;
    });
  } catch (error) {
    await store.delete(file.storageKey);
    throw error;
  }
}
