import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConfig } from '../config';
import { getDb } from '../db';
import { makePackage } from '../testing/factories';
import { startTestS3Server, TEST_S3_CREDENTIALS, TEST_S3_REGION, type TestS3Server } from '../testing/s3-server';
import { getBlobStore } from './index';
import { migrateFilesToStore } from './migrate-to-store';
import { createS3BlobStore } from './s3-store';

describe('npm run storage:migrate: local files into the bucket', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startTestS3Server();
  });
  afterAll(() => s3?.close());

  it('copies each recorded file once, verified against its sha256, and refuses a corrupt one', async () => {
    const db = await getDb();
    const local = getBlobStore();
    const good = await makePackage(db, 50_000);
    const corrupt = await makePackage(db, 20_000);
    writeFileSync(path.join(getConfig().DATA_DIR, 'files', corrupt.softwarePackage.storageKey), 'not the firmware');
    const bucket = createS3BlobStore({ bucket: s3.bucket, region: TEST_S3_REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: TEST_S3_CREDENTIALS });
    const resultOf = (results: Awaited<ReturnType<typeof migrateFilesToStore>>, key: string) => results.find((r) => r.storageKey === key)?.result;

    const first = await migrateFilesToStore(db, local, bucket);
    expect(resultOf(first, good.softwarePackage.storageKey)).toBe('copied');
    expect(resultOf(first, good.vehiclePackage.storageKey)).toBe('copied');
    expect(resultOf(first, corrupt.softwarePackage.storageKey)).toBe('mismatch');
    expect(await bucket.stat(corrupt.softwarePackage.storageKey)).toBeNull();
    const copied = Buffer.from(await new Response(bucket.read(good.softwarePackage.storageKey)).arrayBuffer());
    expect(createHash('sha256').update(copied).digest('hex')).toBe(good.softwarePackage.sha256);

    const again = await migrateFilesToStore(db, local, bucket);
    expect(resultOf(again, good.softwarePackage.storageKey)).toBe('present');
    expect(resultOf(again, good.vehiclePackage.storageKey)).toBe('present');
    expect(resultOf(again, corrupt.softwarePackage.storageKey)).toBe('mismatch');
  });
});
