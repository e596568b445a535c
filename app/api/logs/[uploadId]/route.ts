import { getSessionUser } from '@/server/auth/session';
import { getDb } from '@/server/db';
import { downloadLog } from '@/server/logs/log-download';
import { getBlobStore } from '@/server/storage';

export const dynamic = 'force-dynamic';

/** A vehicle's uploaded log file, for any signed-in user. */
export async function GET(req: Request, { params }: { params: Promise<{ uploadId: string }> }) {
  return downloadLog(await getDb(), getBlobStore(), await getSessionUser(), req, (await params).uploadId);
}
