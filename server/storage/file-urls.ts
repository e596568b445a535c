import { getConfig } from '../config';
import { isS3Store } from './blob-store';
import { getBlobStore } from './index';
import { signUrl } from './signed-url';

/** A stored file a vehicle downloads: its object key, and its signed path on this server for local storage. */
export type DownloadTarget = { storageKey: string; cdnPath: string };

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/**
 * The `fileDownloadUrl` a vehicle gets (C_05, C_07), valid for `ttlSeconds`:
 * - STORAGE=local: this server's signed `/cdn/v1/…` URL (C_11/C_14);
 * - STORAGE=s3: a presigned GET URL of the object, so the bytes (and Range) come from the store;
 * - STORAGE=s3 with PUBLIC_DOWNLOAD_BASE_URL: `<base>/<object key>` on the CDN in front of the bucket.
 */
export async function fileDownloadUrl(target: DownloadTarget, origin: string, ttlSeconds: number): Promise<string> {
  const store = getBlobStore();
  if (!isS3Store(store)) return signUrl(origin, 'GET', target.cdnPath, ttlSeconds);
  const cdnBase = getConfig().PUBLIC_DOWNLOAD_BASE_URL;
  if (cdnBase) return `${cdnBase.replace(/\/+$/, '')}/${encodeKey(target.storageKey)}`;
  return store.presign('GET', target.storageKey, ttlSeconds);
}

/** Where a vehicle PUTs a log file with STORAGE=s3, until C_39 moves it to its place. */
export const incomingLogKey = (uploadId: string) => `incoming/logs/${uploadId}`;

/**
 * The `uploadUrl` of a C_37 answer: this server's signed PUT URL (`appPath`) with local storage,
 * a presigned PUT of `incoming/logs/{uploadId}` in the bucket with STORAGE=s3.
 */
export async function logUploadUrl(uploadId: string, appPath: string, origin: string, ttlSeconds: number): Promise<string> {
  const store = getBlobStore();
  if (!isS3Store(store)) return signUrl(origin, 'PUT', appPath, ttlSeconds);
  return store.presign('PUT', incomingLogKey(uploadId), ttlSeconds);
}
