import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { DomainError } from '../errors';
import type { BlobBody } from './blob-store';

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
