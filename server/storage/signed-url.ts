import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors';
import { persistentSecret } from '../secrets';

/** The URL-signing secret: URL_SIGNING_SECRET, or generated under DATA_DIR with the embedded database. */
export const getUrlSigningSecret = () => persistentSecret('URL_SIGNING_SECRET', 'url-signing-secret');

function signature(method: string, pathname: string, expires: number): string {
  return createHmac('sha256', getUrlSigningSecret()).update(`${method.toUpperCase()}\n${pathname}\n${expires}`).digest('hex');
}

/** `origin + pathname?expires=…&signature=…`, valid for `ttlSeconds` for one method. */
export function signUrl(origin: string, method: string, pathname: string, ttlSeconds: number, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + ttlSeconds;
  return `${origin}${pathname}?expires=${expires}&signature=${signature(method, pathname, expires)}`;
}

/** Throws URL_SIGNATURE_INVALID unless the request's URL carries a valid, unexpired signature. */
export function verifySignedUrl(method: string, url: URL, now = Date.now()): void {
  const expires = Number(url.searchParams.get('expires'));
  const given = url.searchParams.get('signature') ?? '';
  if (!Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(given)) {
    throw new DomainError('URL_SIGNATURE_INVALID', 'this URL is not signed: request a fresh one (C_05 or C_37)');
  }
  const expected = Buffer.from(signature(method, url.pathname, expires), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    throw new DomainError('URL_SIGNATURE_INVALID', 'the URL signature does not match: request a fresh one (C_05 or C_37)');
  }
  if (expires * 1000 < now) {
    throw new DomainError('URL_SIGNATURE_INVALID', `the URL expired at ${new Date(expires * 1000).toISOString()}: request a fresh one`);
  }
}
