import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../errors';
import type { BlobBody, BlobStore, StoredBlob } from './blob-store';

/** Keeps each object as a file under `root`; writes go to a temporary file renamed into place. */
export function createLocalBlobStore(root: string): BlobStore {
  const base = path.resolve(root);
  const fileOf = (key: string) => {
    if (key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new DomainError('INVALID_REQUEST', `storage key ${key} has an empty, . or .. segment`);
    }
    const file = path.resolve(base, key);
    if (!file.startsWith(base + path.sep)) throw new DomainError('INVALID_REQUEST', `storage key ${key} leaves the store`);
    return file;
  };

  return {
    async put(key, body, options = {}): Promise<StoredBlob> {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomUUID()}.part`;
      const hash = createHash('sha256');
      let size = 0;
      const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > max) return done(new DomainError('PAYLOAD_TOO_LARGE', `the file is larger than the limit of ${max} bytes`));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(toNodeReadable(body), meter, createWriteStream(temp));
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { size, sha256: hash.digest('hex') };
    },

    async stat(key) {
      try {
        const s = await stat(fileOf(key));
        return s.isFile() ? { size: s.size } : null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },

    read(key, range) {
      const stream = createReadStream(fileOf(key), range ? { start: range.start, end: range.end } : {});
      return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
    },

    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

function toNodeReadable(body: BlobBody): Readable {
  if (body instanceof Uint8Array) return Readable.from([body]);
  if (body instanceof ReadableStream) return Readable.fromWeb(body as never);
  return Readable.from(body);
}
