import { userActor } from '../auth/actor';
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
    const fields = parseSoftwarePackageUpload(Object.fromEntries(new URL(req.url).searchParams));
    const declared = req.headers.get('content-length');
    const contentType = req.headers.get('content-type') || undefined;
    const created = await uploadSoftwarePackage(await getDb(), userActor(user), {
      package: { ...fields, contentType },
      body: req.body,
      declaredLength: declared ? Number(declared) : undefined,
    });
    return json({ package: created }, { status: 201 });
  });
}

export const postPackageUpload = createPackageUploadHandler();
