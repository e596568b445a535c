import type { Actor } from '../auth/actor';
// STORAGE=s3 against a real S3 protocol server (s3rver behind a proxy that checks presigned
// URLs as S3 does), with the real AWS SDK: uploads, presigned downloads, presigned log uploads.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logUploads, softwarePackages } from '@/db/schema';
import { resetConfig } from '../config';
import { getDb } from '../db';
import { downloadLog } from '../logs/log-download';
import { uploadSoftwarePackage } from '../packages/upload-software-package';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { startTestS3Server, TEST_S3_CREDENTIALS, TEST_S3_REGION, type TestS3Server } from '../testing/s3-server';
import { callVehicleApi, postJson } from '../testing/vehicle-client';
import { getBlobStore, isS3Store, resetBlobStore } from './index';
import { createS3BlobStore } from './s3-store';

const adminUser = { id: 1, email: 'admin@example.com', name: 'Admin', role: 'admin' as const };
const admin: Actor = { kind: 'user', id: 1, email: 'admin@example.com' };
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('STORAGE=s3', () => {
  let s3: TestS3Server;
  let client: S3Client;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    await getDb(); // migrated before the first test's clock starts
    s3 = await startTestS3Server();
    for (const [name, value] of Object.entries({ ...s3.env, DOWNLOAD_URL_TTL_SECONDS: '7200' })) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    resetConfig();
    resetBlobStore();
    client = new S3Client({ region: TEST_S3_REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: TEST_S3_CREDENTIALS });
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
    resetBlobStore();
    client?.destroy();
    await s3?.close();
  });

  const objectBytes = async (key: string) => {
    const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  };
  const keysUnder = async (prefix: string) =>
    ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

  it('uses the bucket the configuration names', () => {
    expect(isS3Store(getBlobStore())).toBe(true);
  });

  it('streams a dashboard package upload into the bucket as a multipart upload, sha256 computed on the way', async () => {
    const bytes = randomBytes(9 * 1024 * 1024 + 123); // more than one 8 MiB part
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 256 * 1024) controller.enqueue(bytes.subarray(at, at + 256 * 1024));
        controller.close();
      },
    });
    const fileName = `s3-${randomUUID().slice(0, 8)}.bin`;
    const row = await uploadSoftwarePackage(await getDb(), admin, { package: { name: 'S3 firmware', version: '1.0.0', targetEcu: '1', fileName }, body: chunks, declaredLength: bytes.length }, getBlobStore());
    expect(row).toMatchObject({ fileName, length: bytes.length, sha256: sha256Of(bytes) });
    expect(row.storageKey).toMatch(/^packages\/software\//);
    const stored = await objectBytes(row.storageKey);
    expect(stored.length).toBe(bytes.length);
    expect(sha256Of(stored)).toBe(sha256Of(bytes));
  });

  it('leaves no object and no row when the upload breaks off half-way', async () => {
    const before = await keysUnder('packages/software/');
    const fileName = `broken-${randomUUID().slice(0, 8)}.bin`;
    let sent = 0;
    const dropped = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10 * 1024 * 1024) return controller.error(new Error('the browser went away'));
        sent += 1024 * 1024;
        controller.enqueue(randomBytes(1024 * 1024));
      },
    });
    await expect(uploadSoftwarePackage(await getDb(), admin, { package: { name: 'Broken', version: '1', targetEcu: '1', fileName }, body: dropped, declaredLength: 20 * 1024 * 1024 }, getBlobStore())).rejects.toThrow(
      'the browser went away',
    );
    expect(await keysUnder('packages/software/')).toEqual(before);
    expect(await (await getDb()).select().from(softwarePackages).where(eq(softwarePackages.fileName, fileName))).toEqual([]);
  });

  it('reports the store refusing an upload, without waiting for the rest of the body', async () => {
    const missing = createS3BlobStore({ bucket: 'no-such-bucket', region: TEST_S3_REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: TEST_S3_CREDENTIALS });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    await expect(missing.put('packages/software/x/never.bin', endless)).rejects.toThrow(/bucket/i);
    expect(pulled).toBeLessThan(64);
  });

  it('gives the vehicle presigned store URLs: it downloads from the store (with Range) and the sha256 verifies', async () => {
    const server = await startVehicleApiServer();
    try {
      const db = await getDb();
      const [vin] = (await makeVehicles(db, 1)) as [string];
      const made = await makeDeployedCampaign(db, [vin], { size: 300_000 });
      const fetched: string[] = [];
      const result = await runVehicleUpdate({
        baseUrl: server.url,
        vin,
        fetch: (input, init) => {
          fetched.push(String(input));
          return fetch(input, init);
        },
      });
      expect(result.outcome).toBe('completed');
      expect(result.downloads).toEqual([expect.objectContaining({ length: 300_000, verified: true, sha256: sha256Of(made.bytes) })]);
      const downloadUrl = new URL(fetched.find((u) => u.startsWith(s3.endpoint))!);
      expect(downloadUrl.pathname).toBe(`/${s3.bucket}/${made.softwarePackage.storageKey}`);
      expect(downloadUrl.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      expect(downloadUrl.searchParams.get('X-Amz-Expires')).toBe('7200');

      // A fresh URL (C_07 for the manifest and files) and a download resumed half-way.
      const [vin2] = (await makeVehicles(db, 1)) as [string];
      const other = await makeDeployedCampaign(db, [vin2], { size: 100_000 });
      const meta = await (await callVehicleApi(`/cdn/v1/campaigns/${other.campaign.id}/download-metadata?vin=${vin2}`)).json();
      const target = meta.signed.body.targetsMetadata[0].metadata.signed.body.targets[0].target;
      expect(target.fileDownloadUrl.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
      const first = await fetch(target.fileDownloadUrl, { headers: { range: 'bytes=0-39999' } });
      expect(first.status).toBe(206);
      const rest = await fetch(target.fileDownloadUrl, { headers: { range: 'bytes=40000-' } });
      expect(rest.status).toBe(206);
      expect(rest.headers.get('content-range')).toBe('bytes 40000-99999/100000');
      const whole = Buffer.concat([Buffer.from(await first.arrayBuffer()), Buffer.from(await rest.arrayBuffer())]);
      expect(sha256Of(whole)).toBe(target.hashes.sha256);
      const manifest = await fetch(meta.signed.body.vehiclePackage.fileDownloadUrl);
      expect(sha256Of(Buffer.from(await manifest.arrayBuffer()))).toBe(meta.signed.body.vehiclePackage.hashes.sha256);
    } finally {
      await server.close();
    }
  });

  it('refuses an expired or tampered presigned URL at the store', async () => {
    const store = getBlobStore();
    if (!isS3Store(store)) throw new Error('expected the S3 store');
    const key = `packages/software/${randomUUID()}/probe.bin`;
    await store.put(key, new TextEncoder().encode('probe'));
    const good = await store.presign('GET', key, 60);
    expect(await (await fetch(good)).text()).toBe('probe');

    const expired = await store.presign('GET', key, 60, new Date(Date.now() - 3_600_000));
    const late = await fetch(expired);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('<Code>AccessDenied</Code>');

    const longer = new URL(good);
    longer.searchParams.set('X-Amz-Expires', '604800');
    const otherKey = good.replace('/probe.bin', '/other.bin');
    for (const tampered of [longer.toString(), otherKey]) {
      const res = await fetch(tampered);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
    const put = await fetch(good, { method: 'PUT', body: 'overwritten' });
    expect(put.status).toBe(403);
    expect(await (await fetch(good)).text()).toBe('probe');
  });

  it('takes a log file on a presigned PUT into the bucket; C_39 checks it and the dashboard streams it from the store', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const content = new TextEncoder().encode(`${vin} log line\n`.repeat(500));
    const c37 = await (await postJson('/api/ota/v1/log-upload-url', { signed: { vin, primaryId: '0', logType: 'update', fileName: 'update.log', fileSize: content.length } })).json();
    const { uploadId, uploadUrl } = c37.signed.body;
    expect(uploadUrl.startsWith(`${s3.endpoint}/${s3.bucket}/incoming/logs/${uploadId}?`)).toBe(true);
    expect(new URL(uploadUrl).searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');

    const early = await postJson('/api/ota/v1/log-upload-complete', { signed: { vin, primaryId: '0', uploadId, fileSize: content.length } });
    expect(early.status).toBe(404);

    expect((await fetch(uploadUrl, { method: 'PUT', body: content })).status).toBe(200);
    const wrong = await postJson('/api/ota/v1/log-upload-complete', { signed: { vin, primaryId: '0', uploadId, fileSize: content.length + 1, sha256: '0'.repeat(64) } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toContain(`the server received ${content.length} bytes`);

    const c39 = await postJson('/api/ota/v1/log-upload-complete', { signed: { vin, primaryId: '0', uploadId, fileSize: content.length, sha256: sha256Of(content) } });
    expect(c39.status).toBe(200);
    expect((await c39.json()).signed.body).toMatchObject({ uploadId, status: 'received' });
    const [row] = await db.select().from(logUploads).where(eq(logUploads.uploadId, uploadId));
    expect(row).toMatchObject({ status: 'received', size: content.length, sha256: sha256Of(content) });

    // A PUT after the confirmation never reaches the confirmed file.
    expect((await fetch(uploadUrl, { method: 'PUT', body: 'replaced' })).status).toBe(200);
    const res = await downloadLog(db, getBlobStore(), adminUser, new Request(`http://console.test/api/logs/${uploadId}`), uploadId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(content.length));
    expect(sha256Of(Buffer.from(await res.arrayBuffer()))).toBe(sha256Of(content));
    const partial = await downloadLog(db, getBlobStore(), adminUser, new Request(`http://console.test/api/logs/${uploadId}`, { headers: { range: 'bytes=0-9' } }), uploadId);
    expect(partial.status).toBe(206);
    expect(await partial.text()).toBe(`${vin} log line\n`.slice(0, 10));
  });

  it('refuses a log file larger than the vehicle declared, and keeps nothing of it', async () => {
    const [vin] = (await makeVehicles(await getDb(), 1)) as [string];
    const c37 = await (await postJson('/api/ota/v1/log-upload-url', { signed: { vin, primaryId: '0', fileName: 'small.log', fileSize: 10 } })).json();
    const { uploadId, uploadUrl } = c37.signed.body;
    expect((await fetch(uploadUrl, { method: 'PUT', body: 'x'.repeat(11) })).status).toBe(200);
    const c39 = await postJson('/api/ota/v1/log-upload-complete', { signed: { vin, primaryId: '0', uploadId } });
    expect(c39.status).toBe(413);
    expect(await keysUnder(`incoming/logs/${uploadId}`)).toEqual([]);
  });
});
