import { createPublicKey } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { serverSigningKeys } from '@/db/schema';
import { getDb } from '../db';
import { callVehicleApi, postJson } from '../testing/vehicle-client';
import { parsePublicKey, verifyValue } from '../vehicle-protocol/signatures';
import { getServerKey, loadServerKeys, serverKeySecret } from './server-key';
import { decryptPrivateKey, ensureServerKeys, rotateServerKey } from './server-key-store';

const HOUR = 3_600_000;

type KeyAnswer = {
  keyid: string;
  publicKey: string;
  keys: { keyid: string; publicKey: string; role: 'current' | 'next'; notBefore: string }[];
  signatures: unknown[];
};
const serverKeyAnswer = async () => (await (await callVehicleApi('/api/ota/v1/server-key')).json()) as KeyAnswer;
const signedBy = (answer: { signed: unknown; signatures: unknown[] }, publicKeyPem: string) => verifyValue(answer.signed, answer.signatures, parsePublicKey(publicKeyPem));

describe('server signing keys', () => {
  it('always has a current key in the database, stored encrypted, and signs every answer with it', async () => {
    const db = await getDb();
    const published = await serverKeyAnswer();
    expect(published.keys[0]).toEqual(expect.objectContaining({ keyid: published.keyid, publicKey: published.publicKey, role: 'current' }));
    expect(published.keys.slice(1).every((k) => k.role === 'next')).toBe(true);
    const [row] = await db.select().from(serverSigningKeys).where(eq(serverSigningKeys.keyid, published.keyid));
    expect(row!.privateKeyEncrypted).not.toMatch(/PRIVATE KEY/);
    expect(() => decryptPrivateKey(row!.privateKeyEncrypted, 'another-secret-of-at-least-32-characters')).toThrow();
    const key = decryptPrivateKey(row!.privateKeyEncrypted, serverKeySecret());
    expect(createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()).toBe(published.publicKey);
    const answer = await (await postJson('/api/ota/v1/action', { signed: { vin: 'vinUpdate20231008', primaryId: '0' } })).json();
    expect(answer.signatures).toEqual([expect.objectContaining({ keyid: published.keyid })]);
    expect(signedBy(answer, published.publicKey)).toBe(true);
  });

  it('rotates: the next key is published (signed by the current one) before it signs, and takes over at its time', async () => {
    const db = await getDb();
    const before = await serverKeyAnswer();
    const at = new Date(Date.now() + HOUR);
    const { keyid } = await rotateServerKey(db, serverKeySecret(), at);
    await loadServerKeys(db); // what every instance does within SERVER_KEY_REFRESH_MS

    const during = await serverKeyAnswer();
    expect(during.keyid).toBe(before.keyid);
    // Soonest first after the current one: this rotation's key is the first next one.
    expect(during.keys.slice(0, 2).map((k) => [k.keyid, k.role])).toEqual([
      [before.keyid, 'current'],
      [keyid, 'next'],
    ]);
    expect(new Date(during.keys[1]!.notBefore).getTime()).toBe(at.getTime());
    // A vehicle that pinned the current key can trust the list.
    expect(verifyValue({ keys: during.keys }, during.signatures, parsePublicKey(before.publicKey))).toBe(true);
    const answer = await (await postJson('/api/ota/v1/action', { signed: { vin: 'vinUpdate20231008', primaryId: '0' } })).json();
    expect(signedBy(answer, before.publicKey)).toBe(true);

    // At its time the new key signs, with no reload: validity is checked on use.
    expect(getServerKey(new Date(at.getTime() + 1000))?.keyid).toBe(keyid);
    expect(getServerKey(new Date(at.getTime() - 1000))?.keyid).toBe(before.keyid);
    // Back to the present for the other tests: the rotation is withdrawn.
    await db.delete(serverSigningKeys).where(eq(serverSigningKeys.keyid, keyid));
    await loadServerKeys(db);
  });

  it('generates one key, not two, when instances start at once on an empty table', async () => {
    const db = await getDb();
    const saved = await db.select().from(serverSigningKeys);
    await db.delete(serverSigningKeys);
    try {
      await Promise.all([ensureServerKeys(db, serverKeySecret(), []), ensureServerKeys(db, serverKeySecret(), []), ensureServerKeys(db, serverKeySecret(), [])]);
      const rows = await db.select().from(serverSigningKeys);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.origin).toBe('generated');
    } finally {
      await db.delete(serverSigningKeys);
      if (saved.length) await db.insert(serverSigningKeys).values(saved);
      await loadServerKeys(db);
    }
  });
});
