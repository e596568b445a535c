import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from '../config';
import { DomainError } from '../errors';

const SECRET = Symbol.for('ota.url-signing-secret');
type SecretGlobal = typeof globalThis & { [SECRET]?: Buffer };

/**
 * The URL-signing secret: URL_SIGNING_SECRET, or with the embedded database one generated
 * once and kept under DATA_DIR. With DATABASE_URL it must come from the environment so that
 * every instance signs and checks alike.
 */
export function getUrlSigningSecret(): Buffer {
  const g = globalThis as SecretGlobal;
  if (g[SECRET]) return g[SECRET];
  const config = getConfig();
  let secret: string;
  if (config.URL_SIGNING_SECRET) secret = config.URL_SIGNING_SECRET;
  else if (config.embedded) {
    const file = path.resolve(config.DATA_DIR, 'url-signing-secret');
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    secret = readFileSync(file, 'utf8').trim();
  } else {
    throw new Error('URL_SIGNING_SECRET is required when DATABASE_URL is set (every instance must share it)');
  }
  g[SECRET] = Buffer.from(secret, 'utf8');
  return g[SECRET];
}

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
