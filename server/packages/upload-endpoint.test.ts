import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLog, softwarePackages } from '@/db/schema';
import type { SessionUser } from '../auth/users';
import { resetConfig } from '../config';
import { getDb } from '../db';
import { getBlobStore } from '../storage';
import { createPackageUploadHandler } from './upload-endpoint';

const as = (role: SessionUser['role'] | null) => createPackageUploadHandler(async () => (role ? { id: 1, email: `${role}-upload@test.example`, name: '', role } : null));

const uploadUrl = (fields: Record<string, string>) => `http://ota.test/api/packages/upload?${new URLSearchParams(fields)}`;

/** A request whose body arrives in chunks with no content-length, as a browser stream would. */
function streamedUpload(fields: Record<string, string>, bytes: Uint8Array, chunk = 16 * 1024) {
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
  return new Request(uploadUrl(fields), { method: 'POST', body, duplex: 'half' } as RequestInit);
}

const fieldsFor = (name: string) => ({ name, version: '2.0.1', targetEcu: 'BCM', fileName: 'bcm 2.0.1.bin' });

describe('POST /api/packages/upload', () => {
  const originalLimit = process.env.PACKAGE_UPLOAD_MAX_BYTES;
  afterEach(() => {
    if (originalLimit === undefined) delete process.env.PACKAGE_UPLOAD_MAX_BYTES;
    else process.env.PACKAGE_UPLOAD_MAX_BYTES = originalLimit;
    resetConfig();
  });

  it('stores the streamed file, records the package with its sha256 and writes the audit row', async () => {
    const name = `BCM firmware ${randomUUID().slice(0, 6)}`;
    const bytes = randomBytes(300_000);
    const res = await as('operator')(streamedUpload(fieldsFor(name), bytes));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.package).toMatchObject({ name, version: '2.0.1', targetEcu: 'BCM', fileName: 'bcm_2.0.1.bin', length: 300_000, sha256: createHash('sha256').update(bytes).digest('hex') });

    const db = await getDb();
    const [row] = await db.select().from(softwarePackages).where(eq(softwarePackages.id, body.package.id));
    const stored = Buffer.from(await new Response(getBlobStore().read(row!.storageKey)).arrayBuffer());
    expect(stored.equals(bytes)).toBe(true);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'package.upload'), eq(auditLog.entityId, String(body.package.id))));
    expect(audit).toEqual([expect.objectContaining({ actorEmail: 'operator-upload@test.example', entityType: 'software_package', details: expect.objectContaining({ name, length: 300_000 }) })]);
  });

  it('answers 401 without a session and 403 for support, storing nothing', async () => {
    const name = `Refused ${randomUUID().slice(0, 6)}`;
    const anonymous = await as(null)(streamedUpload(fieldsFor(name), randomBytes(100)));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', message: 'Sign in to continue.' } });
    const support = await as('support')(streamedUpload(fieldsFor(name), randomBytes(100)));
    expect(support.status).toBe(403);
    expect((await support.json()).error.message).toMatch(/needs the operator role; you are signed in as support/);
    expect(await (await getDb()).select().from(softwarePackages).where(eq(softwarePackages.name, name))).toEqual([]);
  });

  it('names the missing fields', async () => {
    const res = await as('admin')(streamedUpload({ name: 'x', fileName: 'x.bin' }, randomBytes(10)));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe('Missing fields: version, targetEcu.');
  });

  it('refuses a file over PACKAGE_UPLOAD_MAX_BYTES, saying the limit, and keeps nothing', async () => {
    process.env.PACKAGE_UPLOAD_MAX_BYTES = String(64 * 1024);
    resetConfig();
    const name = `Too large ${randomUUID().slice(0, 6)}`;
    const streamed = await as('operator')(streamedUpload(fieldsFor(name), randomBytes(200_000)));
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.message).toBe('The file is larger than the limit of 64 KiB (PACKAGE_UPLOAD_MAX_BYTES).');

    const declared = await as('operator')(
      new Request(uploadUrl(fieldsFor(name)), { method: 'POST', body: randomBytes(100 * 1024), headers: { 'content-length': String(100 * 1024) } }),
    );
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.message).toBe('The file (100 KiB) is larger than the limit of 64 KiB (PACKAGE_UPLOAD_MAX_BYTES).');
    expect(await (await getDb()).select().from(softwarePackages).where(eq(softwarePackages.name, name))).toEqual([]);
  });

  it('refuses an empty file', async () => {
    const res = await as('operator')(streamedUpload(fieldsFor('Empty'), new Uint8Array(0)));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/empty/);
  });
});
