import 'server-only';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from '../config';
import { keyIdOf, parsePrivateKey } from '../vehicle-protocol/signatures';
import { json } from '../http/endpoint';

export type ServerKey = { privateKey: KeyObject; keyid: string };

const KEY = Symbol.for('ota.server-signing-key');
type KeyGlobal = typeof globalThis & { [KEY]?: ServerKey | null };

/**
 * The key that signs every answer to vehicles: SERVER_SIGNING_KEY (ed25519, PKCS#8 PEM or
 * base64 DER); with the embedded database one is generated once under DATA_DIR. With
 * DATABASE_URL and no key configured, answers carry an empty `signatures` list.
 */
export function getServerKey(): ServerKey | null {
  const g = globalThis as KeyGlobal;
  if (g[KEY] !== undefined) return g[KEY];
  const config = getConfig();
  let privateKey: KeyObject | null = null;
  if (config.SERVER_SIGNING_KEY) {
    try {
      privateKey = parsePrivateKey(config.SERVER_SIGNING_KEY);
    } catch {
      throw new Error('SERVER_SIGNING_KEY cannot be read: give an ed25519 private key as PKCS#8 PEM or base64 DER');
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`SERVER_SIGNING_KEY is an ${privateKey.asymmetricKeyType} key; it must be ed25519`);
  }
  else if (config.embedded) {
    const file = path.resolve(config.DATA_DIR, 'server-signing-key.pem');
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    }
    privateKey = parsePrivateKey(readFileSync(file, 'utf8'));
  }
  g[KEY] = privateKey ? { privateKey, keyid: keyIdOf(privateKey) } : null;
  return g[KEY];
}

/** GET /api/ota/v1/server-key: the public half of the key that signs every answer, for vehicles to pin. */
export const getServerPublicKey = async (): Promise<Response> => {
  const key = getServerKey();
  if (!key) return json({ error: { code: 'NOT_FOUND', message: 'answers are not signed: no SERVER_SIGNING_KEY is configured', details: [] } }, { status: 404 });
  const publicKey = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return json({ keyid: key.keyid, method: 'ed25519', publicKey });
};
