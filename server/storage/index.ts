import 'server-only';
import path from 'node:path';
import { getConfig } from '../config';
import type { BlobStore } from './blob-store';
import { createLocalBlobStore } from './local-store';

export type { BlobBody, BlobStore, StoredBlob } from './blob-store';

const STORE = Symbol.for('ota.blob-store');
type StoreGlobal = typeof globalThis & { [STORE]?: BlobStore };

/** The configured file store: files under DATA_DIR/files. */
export function getBlobStore(): BlobStore {
  const g = globalThis as StoreGlobal;
  g[STORE] ??= createLocalBlobStore(path.join(getConfig().DATA_DIR, 'files'));
  return g[STORE];
}
