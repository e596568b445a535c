import { sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * How a vehicle signs a GET that names it (C_07 `?vin=`), which has no body to carry an
 * envelope: it adds `expires` (unix seconds, at most MAX_GET_SIGNATURE_SECONDS ahead) and `sig`,
 * the base64url ed25519 signature of the canonical JSON (RFC 8785) of
 * `{"expires": <expires>, "method": "GET", "path": <the URL's path>, "vin": <vin>}` with its
 * enrolled key. The signature binds the URL to that vehicle, that path and a few minutes.
 */
export const MAX_GET_SIGNATURE_SECONDS = 300;

export type SignedGet = { expires: number; method: 'GET'; path: string; vin: string };

export const signedGetValue = (path: string, vin: string, expires: number): SignedGet => ({ expires, method: 'GET', path, vin });

/** The query string (without `?`) of a signed GET for `vin` to `path`, valid for `ttlSeconds`. */
export function signGetQuery(path: string, vin: string, privateKey: KeyObject, ttlSeconds = 60, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + ttlSeconds;
  const sig = sign(null, Buffer.from(canonicalJson(signedGetValue(path, vin, expires))), privateKey).toString('base64url');
  return new URLSearchParams({ vin, expires: String(expires), sig }).toString();
}
