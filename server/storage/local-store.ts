import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../errors';
import type { BlobStore, StoredBlob } from './blob-store';
import { createMeter, toNodeReadable } from './meter';

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
    kind: 'local',

    async put(key, body, options = {}): Promise<StoredBlob> {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomUUID()}.part`;
      const meter = createMeter(options.maxBytes);
      try {
        await pipeline(toNodeReadable(body), meter.stream, createWriteStream(temp));
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return meter.result();
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
