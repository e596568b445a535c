import 'server-only';
import { type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '@/db/client';
import { getConfig } from '../config';
import { persistentSecret } from '../secrets';
import { parsePrivateKey, signValue } from '../vehicle-protocol/signatures';
import { getDb } from '../db';
import { json } from '../http/endpoint';
import { logger } from '../logging/logger';
import { currentServerKey, ensureServerKeys, nextServerKeys, readServerKeys, type StoredServerKey } from './server-key-store';

export type ServerKey = { privateKey: KeyObject; keyid: string };

/** How long an instance trusts its copy of the key table before reading it again (in the background). */
export const SERVER_KEY_REFRESH_MS = 30_000;

const CACHE = Symbol.for('ota.server-signing-keys');
type Cache = { keys: StoredServerKey[]; loadedAt: number; refreshing?: Promise<void> };
type KeyGlobal = typeof globalThis & { [CACHE]?: Cache };

/** The secret that encrypts the stored private keys: SERVER_KEY_SECRET, else URL_SIGNING_SECRET (generated under DATA_DIR on the embedded database). */
export const serverKeySecret = () => getConfig().SERVER_KEY_SECRET ?? persistentSecret('URL_SIGNING_SECRET', 'url-signing-secret');

/** SERVER_SIGNING_KEY, checked (ed25519); undefined when unset. Throws with the variable's name. */
export function configuredServerKey(): KeyObject | undefined {
  const text = getConfig().SERVER_SIGNING_KEY;
  if (!text) return undefined;
  let key: KeyObject;
  try {
    key = parsePrivateKey(text);
  } catch {
    throw new Error('SERVER_SIGNING_KEY cannot be read: give an ed25519 private key as PKCS#8 PEM or base64 DER');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`SERVER_SIGNING_KEY is an ${key.asymmetricKeyType} key; it must be ed25519`);
  return key;
}

/**
 * When the database opens (startup.ts): SERVER_SIGNING_KEY is imported as a key, and so is the
 * key file older versions kept under DATA_DIR (embedded database), so vehicles that pinned it
 * keep verifying; a key is generated when none is current; then this instance reads the table.
 */
export async function loadServerKeys(db: Db): Promise<void> {
  const imported: { key: KeyObject; origin: string }[] = [];
  const config = getConfig();
  const fromEnv = configuredServerKey();
  if (fromEnv) imported.push({ key: fromEnv, origin: 'env' });
  const legacyFile = path.resolve(config.DATA_DIR, 'server-signing-key.pem');
  if (config.embedded && !fromEnv && existsSync(legacyFile)) imported.push({ key: parsePrivateKey(readFileSync(legacyFile, 'utf8')), origin: 'file' });
  await ensureServerKeys(db, serverKeySecret(), imported);
  await refreshServerKeys(db);
}

async function refreshServerKeys(db: Db): Promise<void> {
  const keys = await readServerKeys(db, serverKeySecret());
  (globalThis as KeyGlobal)[CACHE] = { keys, loadedAt: Date.now() };
}

/** Reads the table again when this instance's copy is older than SERVER_KEY_REFRESH_MS, without holding up the caller. */
function refreshIfStale(cache: Cache): void {
  if (Date.now() - cache.loadedAt < SERVER_KEY_REFRESH_MS || cache.refreshing) return;
  cache.refreshing = getDb()
    .then(refreshServerKeys)
    .catch((error: unknown) => logger.warn({ err: error }, 'server signing keys not refreshed (the cached ones still sign)'))
    .finally(() => {
      cache.refreshing = undefined;
    });
}

/**
 * The key that signs answers to vehicles now, from this instance's copy of the key table
 * (no query per request: validity is checked on use, so a rotation scheduled with `--at`
 * switches every instance at that moment; a new key is seen within SERVER_KEY_REFRESH_MS).
 * Null before the database has opened.
 */
export function getServerKey(now = new Date()): ServerKey | null {
  const cache = (globalThis as KeyGlobal)[CACHE];
  if (!cache) return null;
  refreshIfStale(cache);
  const current = currentServerKey(cache.keys, now);
  return current?.privateKey ? { privateKey: current.privateKey, keyid: current.keyid } : null;
}

/** Forgets the copy (tests that change the table). */
export function forgetServerKeys(): void {
  delete (globalThis as KeyGlobal)[CACHE];
}

const published = (k: StoredServerKey, role: 'current' | 'next') => ({
  keyid: k.keyid,
  method: 'ed25519' as const,
  publicKey: k.publicKey,
  notBefore: k.notBefore.toISOString(),
  notAfter: k.notAfter?.toISOString() ?? null,
  role,
});

/**
 * GET /api/ota/v1/server-key: the current key (keyid, method, publicKey, as before) and
 * `keys`: the current and the next ones with their validity, signed by the current key over
 * the canonical JSON of `{"keys": [...]}` so that a vehicle that pinned it can trust the next.
 */
export const getServerPublicKey = async (): Promise<Response> => {
  await getDb();
  const cache = (globalThis as KeyGlobal)[CACHE];
  const current = cache ? currentServerKey(cache.keys) : null;
  const key = getServerKey();
  if (!cache || !current || !key) {
    return json({ error: { code: 'UNAVAILABLE', message: 'the server signing key is not available; see the server log', details: [] } }, { status: 503 });
  }
  const keys = [published(current, 'current'), ...nextServerKeys(cache.keys).map((k) => published(k, 'next'))];
  return json({ keyid: current.keyid, method: 'ed25519', publicKey: current.publicKey, keys, signatures: [signValue({ keys }, key.privateKey, key.keyid)] });
};
