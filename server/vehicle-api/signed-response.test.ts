import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { serverSigningKeys } from '@/db/schema';
import { getDb } from '../db';
import { canonicalJson } from '../vehicle-protocol/canonical-json';
import { verifyValue } from '../vehicle-protocol/signatures';
import { signedResponse } from './http';
import { getServerKey, loadServerKeys, serverKeySecret } from './server-key';
import { rotateServerKey } from './server-key-store';

describe('signedResponse', () => {
  it('sends "signed" as the canonical JSON it signed, a Date as its ISO string', async () => {
    await getDb(); // loads the server keys
    const at = new Date('2026-12-07T10:00:00.000Z');
    const res = signedResponse({ vin: 'V1', expiresAt: at, b: [2, 1], a: { z: null, y: 'x' } });
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.signed).toEqual({ body: { vin: 'V1', expiresAt: '2026-12-07T10:00:00.000Z', b: [2, 1], a: { z: null, y: 'x' } } });
    expect(text).toBe(`{"signatures":${JSON.stringify(body.signatures)},"signed":${canonicalJson(body.signed)}}`);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const key = getServerKey()!;
    expect(verifyValue(body.signed, body.signatures, key.privateKey)).toBe(true);
    expect(verifyValue({ body: { ...body.signed.body, vin: 'V2' } }, body.signatures, key.privateKey)).toBe(false);
  });

  it('answers that repeat keep valid signatures, by the key current at each answer', async () => {
    const db = await getDb();
    const answer = async () => JSON.parse(await signedResponse({ vin: 'V1', commandId: 0, command: 'None' }, {}, { repeats: true }).text());
    const first = await answer();
    const again = await answer();
    expect(again).toEqual(first);
    expect(verifyValue(again.signed, again.signatures, getServerKey()!.privateKey)).toBe(true);
    const other = JSON.parse(await signedResponse({ vin: 'V2', commandId: 0, command: 'None' }, {}, { repeats: true }).text());
    expect(verifyValue(other.signed, other.signatures, getServerKey()!.privateKey)).toBe(true);
    expect(other.signatures[0].sig).not.toBe(first.signatures[0].sig);

    // A rotation: once the next key takes over, the same answer is signed by it, not remembered from the old one.
    const at = new Date(Date.now() + 3_600_000);
    const { keyid } = await rotateServerKey(db, serverKeySecret(), at);
    await loadServerKeys(db);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(at.getTime() + 1000));
      const rotated = await answer();
      expect(rotated.signatures[0].keyid).toBe(keyid);
      expect(rotated.signatures[0].keyid).not.toBe(first.signatures[0].keyid);
      expect(verifyValue(rotated.signed, rotated.signatures, getServerKey()!.privateKey)).toBe(true);
    } finally {
      vi.useRealTimers();
      await db.delete(serverSigningKeys).where(eq(serverSigningKeys.keyid, keyid));
      await loadServerKeys(db);
    }
  });
});
