import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** One entry of an envelope's `signatures`: ed25519 over the canonical JSON (RFC 8785) of `signed`. */
export type Signature = { keyid: string; method: 'ed25519'; sig: string };

/** The key id: sha256 (hex) of the public key's DER (SubjectPublicKeyInfo) form. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function signValue(value: unknown, privateKey: KeyObject, keyid = keyIdOf(privateKey)): Signature {
  return signCanonical(canonicalJson(value), privateKey, keyid);
}

/** signValue for a value already in canonical JSON (`canonical` = canonicalJson(value)). */
export function signCanonical(canonical: string, privateKey: KeyObject, keyid = keyIdOf(privateKey)): Signature {
  return { keyid, method: 'ed25519', sig: sign(null, Buffer.from(canonical), privateKey).toString('base64') };
}

/** True when one of `signatures` is a valid ed25519 signature of `value` by `publicKey`. */
export function verifyValue(value: unknown, signatures: unknown, publicKey: KeyObject): boolean {
  if (!Array.isArray(signatures) || !signatures.length) return false;
  const data = Buffer.from(canonicalJson(value));
  const keyid = keyIdOf(publicKey);
  return signatures.some((s) => {
    const { method, sig, keyid: claimed } = (s ?? {}) as Partial<Signature>;
    if (method !== 'ed25519' || typeof sig !== 'string' || (claimed !== undefined && claimed !== keyid)) return false;
    const bytes = Buffer.from(sig, 'base64');
    return bytes.length === 64 && verify(null, data, publicKey, bytes);
  });
}

/** A public key as PEM, or base64 of its DER (SPKI) form, or base64 of the raw 32-byte ed25519 key. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  const der = Buffer.from(trimmed, 'base64');
  if (der.length === 32) return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), der]), format: 'der', type: 'spki' });
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** A private key as PEM (PKCS#8) or base64 of its DER form. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPrivateKey(trimmed);
  return createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
}
