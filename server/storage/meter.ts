import { createHash } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../errors';
import type { BlobBody, BlobStore } from './blob-store';

/** A pass-through that counts and hashes the bytes, and fails past `maxBytes`. */
export function createMeter(maxBytes = Number.POSITIVE_INFINITY) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new DomainError('PAYLOAD_TOO_LARGE', `the file is larger than the limit of ${maxBytes} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ size, sha256: hash.digest('hex') }) };
}

export function toNodeReadable(body: BlobBody): Readable {
  if (body instanceof Uint8Array) return Readable.from([body]);
  if (body instanceof ReadableStream) return Readable.fromWeb(body as never);
  return Readable.from(body);
}

/** The SHA-256 (hex) of a stored object, computed as it streams. */
export async function sha256OfStored(store: BlobStore, key: string): Promise<string> {
  const meter = createMeter();
  await pipeline(toNodeReadable(store.read(key)), meter.stream, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return meter.result().sha256;
}
