import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import type { S3BlobStore, StoredBlob } from './blob-store';
import { createMeter, toNodeReadable } from './meter';

export type S3StoreOptions = {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, …); AWS when unset. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Only for tests and tools: otherwise the SDK's credential chain (environment, profile, instance role). */
  credentials?: S3ClientConfig['credentials'];
  /** Multipart part size; S3's minimum is 5 MiB. */
  partSize?: number;
};

const notFound = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);

/** base64 (S3's checksum form) to hex. */
const hexOf = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

/**
 * Objects in one bucket of an S3-compatible store. Uploads stream as multipart uploads (hashed on
 * the way, aborted on error so nothing is left); reads stream ranges; vehicles get presigned URLs.
 */
export function createS3BlobStore(options: S3StoreOptions): S3BlobStore {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Checksums only where S3 requires them: MinIO and other S3-compatible stores do not all take
    // the SDK's default trailing CRC checksums, and the SHA-256 is computed here anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const partSize = options.partSize ?? 8 * 1024 * 1024;

  return {
    kind: 's3',

    async put(key, body, putOptions = {}): Promise<StoredBlob> {
      const meter = createMeter(putOptions.maxBytes);
      const source = toNodeReadable(body);
      const metered = new PassThrough();
      // The body's own failure (client gone, too large) is the error to report, not the store's
      // answer to the abort that follows it; recorded the moment it happens.
      let bodyError: unknown;
      let stopping = false;
      const recordBodyError = (error: unknown) => {
        if (!stopping) bodyError ??= error;
      };
      source.on('error', recordBodyError);
      meter.stream.on('error', recordBodyError);
      const feeding = pipeline(source, meter.stream, metered).catch((error: unknown) => {
        recordBodyError(error);
        metered.destroy(error as Error);
      });
      const upload = new Upload({ client, params: { Bucket, Key: key, Body: metered }, partSize, queueSize: 2, leavePartsOnError: false });
      try {
        await upload.done();
      } catch (error) {
        // Stop reading the body, so that the feeding pipeline ends whichever side failed.
        stopping = true;
        metered.destroy();
        source.destroy();
        await feeding;
        throw bodyError ?? error;
      }
      await feeding;
      if (bodyError) {
        // Cannot happen once the upload completed from the whole body, but never keep a partial file.
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
        throw bodyError;
      }
      return meter.result();
    },

    async stat(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key, ChecksumMode: 'ENABLED' }));
        const wholeSha256 = head.ChecksumSHA256 && head.ChecksumType !== 'COMPOSITE' ? hexOf(head.ChecksumSHA256) : undefined;
        return { size: head.ContentLength ?? 0, etag: head.ETag, ...(wholeSha256 ? { sha256: wholeSha256 } : {}) };
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },

    read(key, range) {
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      const open = async () => {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
        if (!object.Body) throw new Error(`the store answered no body for ${key}`);
        return object.Body.transformToWebStream().getReader() as ReadableStreamDefaultReader<Uint8Array>;
      };
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          reader ??= await open();
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel(reason) {
          await reader?.cancel(reason);
        },
      });
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async presign(method, key, ttlSeconds, now) {
      const command = method === 'GET' ? new GetObjectCommand({ Bucket, Key: key }) : new PutObjectCommand({ Bucket, Key: key });
      return getSignedUrl(client, command, { expiresIn: ttlSeconds, ...(now ? { signingDate: now } : {}) });
    },

    async copy(from, to, copyOptions = {}) {
      const source = `${Bucket}/${from.split('/').map(encodeURIComponent).join('/')}`;
      await client.send(new CopyObjectCommand({ Bucket, Key: to, CopySource: source, CopySourceIfMatch: copyOptions.ifMatch }));
    },
  };
}
