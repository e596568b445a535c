import type { Db } from '@/db/client';
import { userActor, type Actor } from '../auth/actor';
import { getSessionUser } from '../auth/session';
import { requireSessionRole, type SessionSource } from '../auth/route-session';
import { getDb } from '../db';
import { endpoint, json, type Handler } from '../http/endpoint';
import { parseSoftwarePackageUpload, uploadSoftwarePackage } from './upload-software-package';

/**
 * POST /api/packages/upload?name=…&version=…&targetEcu=…&fileName=…, the raw file as the body
 * (not multipart, so the browser can show progress). Operators and admins; answers 201 with
 * `{ package }`, or `{ error: { code, message, details } }`.
 */
export function createPackageUploadHandler(getUser: SessionSource = getSessionUser): Handler {
  return endpoint(async (req) => {
    const user = await requireSessionRole(getUser, 'operator');
    return json({ package: await uploadPackageFromRequest(await getDb(), userActor(user), req) }, { status: 201 });
  });
}

/**
 * Stores the package file a request streams (fields in the query string, the file as the body,
 * its declared length checked against the limit first): this route and the REST API's
 * `POST /api/v1/software-packages` both read an upload so.
 */
export async function uploadPackageFromRequest(db: Db, actor: Actor, req: Request) {
  const fields = parseSoftwarePackageUpload(Object.fromEntries(new URL(req.url).searchParams));
  const declared = req.headers.get('content-length');
  const contentType = req.headers.get('content-type') || undefined;
  return uploadSoftwarePackage(db, actor, { package: { ...fields, contentType }, body: req.body, declaredLength: declared ? Number(declared) : undefined });
}

export const postPackageUpload = createPackageUploadHandler();
