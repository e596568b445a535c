import { describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { canonicalJson } from '../vehicle-protocol/canonical-json';
import { verifyValue } from '../vehicle-protocol/signatures';
import { signedResponse } from './http';
import { getServerKey } from './server-key';

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
});
