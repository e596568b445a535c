/** Where package and log files live. The local filesystem today; an S3-compatible store can implement the same. */
export type BlobStore = {
  /**
   * Streams `body` into `key`, hashing on the way. Nothing is visible under `key` until the
   * whole body arrived; a body longer than `maxBytes` is refused and leaves nothing behind.
   */
  put(key: string, body: BlobBody, options?: { maxBytes?: number }): Promise<StoredBlob>;
  /** Size of the object, or null when there is none. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Bytes `start`..`end` (inclusive) as a stream; the whole object when no range is given. */
  read(key: string, range?: { start: number; end: number }): ReadableStream<Uint8Array>;
  delete(key: string): Promise<void>;
};

export type BlobBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array;
export type StoredBlob = { size: number; sha256: string };
