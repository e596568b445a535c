import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { makeVehicles } from '../testing/factories';
import { callRest, makeApiToken } from '../testing/rest';
import { keyIdOf } from '../vehicle-protocol/signatures';

const pemOf = () => {
  const { publicKey } = generateKeyPairSync('ed25519');
  return { pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyid: keyIdOf(publicKey) };
};

/** A key's life through the REST API, as a manufacturing line or a PKI would drive it. */
describe('vehicle keys over the REST API', () => {
  let operator: string;
  let support: string;
  let vin: string;

  beforeAll(async () => {
    operator = (await makeApiToken('operator')).token;
    support = (await makeApiToken('support')).token;
    [vin] = (await makeVehicles(await getDb(), 1)) as [string];
  });

  it('enrols, rotates and revokes, and the history shows each step', async () => {
    const first = pemOf();
    const enrolled = await callRest('POST', `/vehicles/${vin}/keys`, { token: operator, json: { publicKey: first.pem } });
    expect(enrolled.status).toBe(201);
    expect(await enrolled.json()).toEqual({ keyid: first.keyid });

    const second = pemOf();
    const rotated = await callRest('POST', `/vehicles/${vin}/keys/rotate`, { token: operator, json: { publicKey: second.pem, graceHours: 24 } });
    expect(rotated.status).toBe(201);
    const afterRotation = await (await callRest('GET', `/vehicles/${vin}/keys`, { token: support })).json();
    expect(afterRotation.current.keyid).toBe(first.keyid);
    expect(afterRotation.keys.map((k: { keyid: string; status: string }) => [k.keyid, k.status])).toEqual([
      [second.keyid, 'pending'],
      [first.keyid, 'active'],
    ]);

    const revoked = await callRest('POST', `/vehicles/${vin}/keys/${first.keyid}/revoke`, { token: operator });
    expect(revoked.status).toBe(200);
    const after = await (await callRest('GET', `/vehicles/${vin}/keys`, { token: support })).json();
    expect(after.current.keyid).toBe(second.keyid);
    expect(after.keys.find((k: { keyid: string }) => k.keyid === first.keyid).status).toBe('revoked');
  });

  it('refuses a support token, a second enrolment and a key that is not ed25519, saying why', async () => {
    expect((await callRest('POST', `/vehicles/${vin}/keys`, { token: support, json: { publicKey: pemOf().pem } })).status).toBe(403);
    const again = await callRest('POST', `/vehicles/${vin}/keys`, { token: operator, json: { publicKey: pemOf().pem } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toMatch(/rotate/i);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const [other] = await makeVehicles(await getDb(), 1);
    const bad = await callRest('POST', `/vehicles/${other}/keys`, { token: operator, json: { publicKey: rsa } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('INVALID_REQUEST');
  });
});
