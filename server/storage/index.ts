import 'server-only';
import path from 'node:path';
import { getConfig, type Config } from '../config';
import type { BlobStore } from './blob-store';
import { createLocalBlobStore } from './local-store';
import { createS3BlobStore } from './s3-store';

export type { BlobBody, BlobInfo, BlobStore, S3BlobStore, StoredBlob } from './blob-store';
export { isS3Store } from './blob-store';

const STORE = Symbol.for('ota.blob-store');
type StoreGlobal = typeof globalThis & { [STORE]?: BlobStore };

/** The store the configuration names: files under DATA_DIR/files (STORAGE=local) or an S3 bucket (STORAGE=s3). */
export function createConfiguredBlobStore(config: Config): BlobStore {
  if (config.STORAGE === 's3') {
    return createS3BlobStore({ bucket: config.S3_BUCKET!, region: config.S3_REGION, endpoint: config.S3_ENDPOINT, forcePathStyle: config.S3_FORCE_PATH_STYLE });
  }
  return createLocalBlobStore(path.join(config.DATA_DIR, 'files'));
}

/** The configured file store, one per process. */
export function getBlobStore(): BlobStore {
  const g = globalThis as StoreGlobal;
  g[STORE] ??= createConfiguredBlobStore(getConfig());
  return g[STORE];
}

/** For tests that switch storage between files. */
export function resetBlobStore(): void {
  delete (globalThis as StoreGlobal)[STORE];
}
