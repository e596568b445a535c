import { createCipheriv, createDecipheriv, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { serverSigningKeys } from '@/db/schema';
import { logger } from '../logging/logger';
import { keyIdOf, parsePrivateKey } from '../vehicle-protocol/signatures';

/**
 * The server's signing keys in the database (table server_signing_keys), shared by every
 * instance. Private keys are stored encrypted with AES-256-GCM under a key derived (HKDF-SHA256)
 * from the secret the caller passes: SERVER_KEY_SECRET, else URL_SIGNING_SECRET
 * (server-key.ts). The *current* key is the newest active one whose validity has begun; keys
 * whose `not_before` lies ahead are the *next* ones, published before they sign.
 */

export type StoredServerKey = {
  keyid: string;
  privateKey: KeyObject | null;
  publicKey: string;
  notBefore: Date;
  notAfter: Date | null;
  status: 'active' | 'retired';
  origin: string;
};

const encryptionKey = (secret: string) => Buffer.from(hkdfSync('sha256', secret, 'ota-server-signing-keys', 'v1', 32));

export function encryptPrivateKey(key: KeyObject, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret), iv);
  const data = Buffer.concat([cipher.update(key.export({ type: 'pkcs8', format: 'der' })), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

export function decryptPrivateKey(text: string, secret: string): KeyObject {
  const [version, iv, tag, data] = text.split(':');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('not a v1 encrypted key');
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const der = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
  return parsePrivateKey(der.toString('base64'));
}

const publicPem = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();

/** Adds `key` (no-op when its keyid is stored already); valid from `notBefore` (now by default). */
export async function insertServerKey(db: Queryable, key: KeyObject, secret: string, origin: string, notBefore?: Date): Promise<string> {
  const keyid = keyIdOf(key);
  await db
    .insert(serverSigningKeys)
    .values({ keyid, privateKeyEncrypted: encryptPrivateKey(key, secret), publicKey: publicPem(key), origin, ...(notBefore ? { notBefore } : {}) })
    .onConflictDoNothing({ target: serverSigningKeys.keyid });
  return keyid;
}

export const newServerKey = () => generateKeyPairSync('ed25519').privateKey;

/** An arbitrary constant: the advisory lock that makes "generate a key if there is none" one instance's job. */
const ENSURE_LOCK = 0x0_7a_5e_4b;

/**
 * At start: imports `imported` keys (SERVER_SIGNING_KEY, the embedded database's old key
 * file), then generates a key if none is current, so that answers are never unsigned. Two
 * instances starting at once generate one key between them (transaction-scoped advisory lock).
 */
export async function ensureServerKeys(db: Db, secret: string, imported: { key: KeyObject; origin: string }[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(ENSURE_LOCK))})`);
    for (const { key, origin } of imported) await insertServerKey(tx, key, secret, origin);
    const [current] = await tx
      .select({ keyid: serverSigningKeys.keyid })
      .from(serverSigningKeys)
      .where(sql`${serverSigningKeys.status} = 'active' and ${serverSigningKeys.notBefore} <= now() and (${serverSigningKeys.notAfter} is null or ${serverSigningKeys.notAfter} > now())`)
      .limit(1);
    if (!current) {
      const keyid = await insertServerKey(tx, newServerKey(), secret, 'generated');
      logger.info({ keyid }, 'generated the server signing key (no current one was in the database)');
    }
  });
}

/** Every stored key, oldest first; a private key that cannot be decrypted (another secret) is null. */
export async function readServerKeys(db: Queryable, secret: string): Promise<StoredServerKey[]> {
  const rows = await db.select().from(serverSigningKeys).orderBy(asc(serverSigningKeys.notBefore), asc(serverSigningKeys.createdAt));
  return rows.map((r) => {
    let privateKey: KeyObject | null = null;
    try {
      privateKey = decryptPrivateKey(r.privateKeyEncrypted, secret);
    } catch {
      logger.error({ keyid: r.keyid }, 'a server signing key cannot be decrypted: is SERVER_KEY_SECRET (or URL_SIGNING_SECRET) the one it was stored with?');
    }
    return { keyid: r.keyid, privateKey, publicKey: r.publicKey, notBefore: r.notBefore, notAfter: r.notAfter, status: r.status, origin: r.origin };
  });
}

const valid = (k: StoredServerKey, now: Date) => k.status === 'active' && k.notBefore <= now && (k.notAfter === null || k.notAfter > now);

/** The key that signs now: the active one whose validity began last. */
export function currentServerKey(keys: StoredServerKey[], now = new Date()): StoredServerKey | null {
  return keys.filter((k) => valid(k, now)).sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime())[0] ?? null;
}

/** Keys that will sign later, soonest first. */
export function nextServerKeys(keys: StoredServerKey[], now = new Date()): StoredServerKey[] {
  return keys.filter((k) => k.status === 'active' && k.notBefore > now).sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime());
}

/** `npm run keys -- rotate`: a new key that becomes current at `at`. */
export async function rotateServerKey(db: Queryable, secret: string, at: Date): Promise<{ keyid: string; notBefore: Date }> {
  const keyid = await insertServerKey(db, newServerKey(), secret, 'rotate', at);
  return { keyid, notBefore: at };
}
