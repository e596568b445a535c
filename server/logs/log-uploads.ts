import { randomUUID } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { logUploads } from '@/db/schema';
import { getConfig } from '../config';
import { DomainError, invalid, notFound } from '../errors';
import { isS3Store, type BlobBody, type BlobStore, type S3BlobStore } from '../storage';
import { incomingLogKey, logUploadUrl } from '../storage/file-urls';
import { sha256OfStored } from '../storage/meter';
import { touchVehicle, type VehicleIdentity } from '../vehicles/require-vehicle';

export const logUploadPath = (uploadId: string) => `/api/ota/v1/log-uploads/${uploadId}`;

export type LogUploadRequest = { logType?: string; fileName?: string; fileSize?: number };

/**
 * C_37: reserves an upload and answers a signed, expiring URL to PUT the file to: this server's
 * (local storage) or a presigned PUT straight into the bucket (STORAGE=s3).
 */
export async function requestLogUpload(db: Db, id: VehicleIdentity, input: LogUploadRequest, origin: string) {
  const config = getConfig();
  if (input.fileSize !== undefined && input.fileSize > config.LOG_UPLOAD_MAX_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `log files may be at most ${config.LOG_UPLOAD_MAX_BYTES} bytes; this one is ${input.fileSize}`);
  }
  const uploadId = randomUUID();
  const vin = id.vin;
  const fileName = input.fileName ?? `${input.logType ?? 'vehicle'}-log-${uploadId.slice(0, 8)}.log`;
  const expires = new Date(Date.now() + config.UPLOAD_URL_TTL_SECONDS * 1000);
  await db.transaction(async (tx) => {
    await touchVehicle(tx, id);
    await tx.insert(logUploads).values({
      uploadId,
      vin,
      logType: input.logType ?? null,
      fileName,
      declaredSize: input.fileSize ?? null,
      storageKey: `logs/${vin}/${uploadId}/${fileName}`,
      expiresAt: expires,
    });
  });
  return {
    uploadId,
    uploadUrl: await logUploadUrl(uploadId, logUploadPath(uploadId), origin, config.UPLOAD_URL_TTL_SECONDS),
    method: 'PUT' as const,
    expires: Math.floor(expires.getTime() / 1000),
  };
}

/** The PUT to a C_37 URL: streams the file into storage (hashing on the way) and records it. */
export async function receiveLogFile(db: Db, store: BlobStore, uploadId: string, body: BlobBody) {
  const [upload] = await db.select().from(logUploads).where(eq(logUploads.uploadId, uploadId));
  if (!upload) throw notFound(`log upload ${uploadId}`);
  if (upload.status === 'received') throw new DomainError('CONFLICT', `log upload ${uploadId} is already complete`);
  const limit = Math.min(getConfig().LOG_UPLOAD_MAX_BYTES, upload.declaredSize ?? Number.POSITIVE_INFINITY);
  const stored = await store.put(upload.storageKey, body, { maxBytes: limit });
  // A C_39 may have confirmed the upload while this PUT streamed: a confirmed upload stays as it was.
  const [updated] = await db
    .update(logUploads)
    .set({ status: 'uploaded', size: stored.size, sha256: stored.sha256, uploadedAt: sql`now()` })
    .where(and(eq(logUploads.uploadId, uploadId), ne(logUploads.status, 'received')))
    .returning({ uploadId: logUploads.uploadId });
  if (!updated) throw new DomainError('CONFLICT', `log upload ${uploadId} was confirmed while this file arrived; request a new upload URL to send another`);
  return { uploadId, size: stored.size, sha256: stored.sha256 };
}

export type LogUploadComplete = { uploadId: string; fileSize?: number; sha256?: string };

/**
 * STORAGE=s3: the vehicle PUT its file straight into the bucket (`incoming/logs/{uploadId}`).
 * HEAD it for its real size (refused past the limit), take its SHA-256 from the store's checksum
 * where it offers one or hash it as it streams, copy exactly those bytes (ETag-conditional) to
 * the upload's key, and record size and sha256 as a PUT through this server would have. A PUT
 * to the URL after the upload was confirmed never reaches the confirmed file.
 */
async function adoptPresignedLogFile(db: Db, store: S3BlobStore, id: VehicleIdentity, uploadId: string) {
  const [upload] = await db.select().from(logUploads).where(eq(logUploads.uploadId, uploadId));
  if (!upload || upload.vin !== id.vin || upload.status === 'received') return;
  const incoming = incomingLogKey(uploadId);
  const object = await store.stat(incoming);
  if (!object) return;
  const limit = Math.min(getConfig().LOG_UPLOAD_MAX_BYTES, upload.declaredSize ?? Number.POSITIVE_INFINITY);
  if (object.size > limit) {
    await store.delete(incoming);
    throw new DomainError('PAYLOAD_TOO_LARGE', `the uploaded file has ${object.size} bytes, more than the ${limit} allowed for this upload; request a new upload URL`);
  }
  const sha256 = object.sha256 ?? (await sha256OfStored(store, incoming));
  await store.copy(incoming, upload.storageKey, { ifMatch: object.etag });
  await db
    .update(logUploads)
    .set({ status: 'uploaded', size: object.size, sha256, uploadedAt: sql`now()` })
    .where(and(eq(logUploads.uploadId, uploadId), ne(logUploads.status, 'received')));
  await store.delete(incoming);
}

/** C_39: checks that the file is there and matches what the vehicle says, then marks it received. */
export async function completeLogUpload(db: Db, store: BlobStore, id: VehicleIdentity, input: LogUploadComplete) {
  if (isS3Store(store)) await adoptPresignedLogFile(db, store, id, input.uploadId);
  return db.transaction(async (tx) => {
    await touchVehicle(tx, id);
    const [upload] = await tx.select().from(logUploads).where(eq(logUploads.uploadId, input.uploadId)).for('update');
    if (!upload || upload.vin !== id.vin) throw notFound(`log upload ${input.uploadId} of vehicle ${id.vin}`);
    const object = await store.stat(upload.storageKey);
    if (!object || upload.size === null) throw notFound(`the file of log upload ${input.uploadId} (PUT it to the uploadUrl first)`);
    const problems = [];
    if (input.fileSize !== undefined && input.fileSize !== object.size) {
      problems.push({ path: 'signed.fileSize', message: `the server received ${object.size} bytes, not ${input.fileSize}` });
    }
    if (input.sha256 !== undefined && input.sha256.toLowerCase() !== upload.sha256) {
      problems.push({ path: 'signed.sha256', message: `the received file's sha256 is ${upload.sha256}` });
    }
    if (problems.length) throw invalid('the uploaded file does not match; upload it again', problems);
    if (upload.status !== 'received') {
      await tx.update(logUploads).set({ status: 'received', receivedAt: sql`now()` }).where(eq(logUploads.uploadId, input.uploadId));
    }
    return { uploadId: input.uploadId, status: 'received' as const };
  });
}
