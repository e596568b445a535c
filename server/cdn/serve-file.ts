import { DomainError } from '../errors';
import type { BlobStore } from '../storage';
import { parseByteRange } from './byte-range';

export type ServedFile = { storageKey: string; sha256: string; fileName: string; contentType: string };

/**
 * Answers a GET or HEAD for a stored file: ETag (its sha256), Range → 206 so an interrupted
 * download resumes (If-Range respected), 304 for a matching If-None-Match, streamed from storage.
 * Every 200 and 206 carries Content-Length, and a HEAD gets the GET's headers without the body.
 */
export async function serveStoredFile(req: Request, store: BlobStore, file: ServedFile): Promise<Response> {
  const object = await store.stat(file.storageKey);
  if (!object) throw new DomainError('NOT_FOUND', `the file ${file.fileName} is missing from storage`);
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    etag,
    'accept-ranges': 'bytes',
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.fileName.replace(/["\\]/g, '_')}"`,
    'cache-control': 'private, max-age=0, must-revalidate',
  });
  if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });

  const ifRange = req.headers.get('if-range');
  const range = ifRange && ifRange !== etag ? null : parseByteRange(req.headers.get('range'), object.size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${object.size}`);
    headers.set('content-type', 'application/json; charset=utf-8');
    const body = JSON.stringify({ error: { code: 'RANGE_NOT_SATISFIABLE', message: `the file has ${object.size} bytes; ask for a range inside it`, details: [] } });
    headers.set('content-length', String(Buffer.byteLength(body)));
    return new Response(body, { status: 416, headers });
  }
  const head = req.method === 'HEAD';
  if (range) {
    headers.set('content-range', `bytes ${range.start}-${range.end}/${object.size}`);
    headers.set('content-length', String(range.end - range.start + 1));
    return new Response(head ? null : store.read(file.storageKey, range), { status: 206, headers });
  }
  headers.set('content-length', String(object.size));
  return new Response(head ? null : store.read(file.storageKey), { status: 200, headers });
}
