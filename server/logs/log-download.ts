import { eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { logUploads } from '@/db/schema';
import type { SessionUser } from '../auth/users';
import { serveStoredFile } from '../cdn/serve-file';
import { DomainError, notFound } from '../errors';
import type { BlobStore } from '../storage';
import { endpoint } from '../http/endpoint';

const contentTypeOf = (fileName: string) => (/\.(log|txt)$/i.test(fileName) ? 'text/plain; charset=utf-8' : 'application/octet-stream');

/** The stored file of a log upload, to a signed-in user of any role. */
export async function findDownloadableLog(db: Queryable, uploadId: string) {
  const [upload] = await db.select().from(logUploads).where(eq(logUploads.uploadId, uploadId));
  if (!upload) throw notFound(`log upload ${uploadId}`);
  if (upload.status === 'requested' || !upload.sha256) throw notFound(`the file of log upload ${uploadId} (the vehicle has not uploaded it yet)`);
  return { storageKey: upload.storageKey, sha256: upload.sha256, fileName: upload.fileName, contentType: contentTypeOf(upload.fileName) };
}

/**
 * GET /api/logs/{uploadId}: streams a vehicle's log file as an attachment (Range and ETag as
 * for packages). Without a session: 401. The route passes the signed-in user (or null).
 */
export function downloadLog(db: Queryable, store: BlobStore, user: SessionUser | null, req: Request, uploadId: string): Promise<Response> {
  return endpoint(async () => {
    if (!user) throw new DomainError('UNAUTHORIZED', 'sign in to download vehicle logs');
    return serveStoredFile(req, store, await findDownloadableLog(db, uploadId));
  })(req);
}
