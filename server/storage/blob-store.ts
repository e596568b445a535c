/** Where package and log files live: the local filesystem (`local-store.ts`) or an S3-compatible store (`s3-store.ts`). */
export type BlobStore = {
  kind: 'local' | 's3';
  /**
   * Streams `body` into `key`, hashing on the way. Nothing is visible under `key` until the
   * whole body arrived; a body longer than `maxBytes` is refused and leaves nothing behind.
   */
  put(key: string, body: BlobBody, options?: { maxBytes?: number }): Promise<StoredBlob>;
  /** Size of the object (with its sha256 when the store keeps one), or null when there is none. */
  stat(key: string): Promise<BlobInfo | null>;
  /** Bytes `start`..`end` (inclusive) as a stream; the whole object when no range is given. */
  read(key: string, range?: { start: number; end: number }): ReadableStream<Uint8Array>;
  delete(key: string): Promise<void>;
};

/** An object store that vehicles reach directly, through presigned URLs. */
export type S3BlobStore = BlobStore & {
  kind: 's3';
  /** A presigned SigV4 URL for one GET (or HEAD) or one PUT of `key`, valid for `ttlSeconds`. */
  presign(method: 'GET' | 'PUT', key: string, ttlSeconds: number, now?: Date): Promise<string>;
  /** Server-side copy; with `ifMatch` only when the source's ETag is still that one. */
  copy(from: string, to: string, options?: { ifMatch?: string }): Promise<void>;
};

export type BlobBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array;
export type StoredBlob = { size: number; sha256: string };
/** `sha256` (hex) only when the store offers a whole-object SHA-256 checksum; `etag` for conditional copies. */
export type BlobInfo = { size: number; sha256?: string; etag?: string };

export const isS3Store = (store: BlobStore): store is S3BlobStore => store.kind === 's3';
