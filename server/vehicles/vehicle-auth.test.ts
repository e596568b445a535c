import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, events, vehicleKeys, vehicles } from '@/db/schema';
import { userActor } from '../auth/actor';
import { getConfig, resetConfig } from '../config';
import { getDb } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles, uniqueVin } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { callVehicleApi, postJson } from '../testing/vehicle-client';
import { signGetQuery } from '../vehicle-protocol/signed-get';
import { keyIdOf, signValue } from '../vehicle-protocol/signatures';
import { parseCertificateNames } from '../vehicle-api/client-certificate';
import { enrolVehicleKey, listVehicleKeys, revokeVehicleKey, rotateVehicleKey } from './vehicle-keys';

const actor = userActor({ id: 0, email: `keys-${randomUUID().slice(0, 8)}@test.example` });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const newKey = () => generateKeyPairSync('ed25519');

/** Runs the test body under a VEHICLE_AUTH policy (and further variables), restoring the environment after. */
const saved = { ...process.env };
function setEnv(env: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
}
const useEnv = (env: Record<string, string>) => setEnv(env);
afterEach(() => setEnv({ VEHICLE_AUTH: saved.VEHICLE_AUTH, MTLS_IDENTITY_HEADER: saved.MTLS_IDENTITY_HEADER, TRUSTED_PROXIES: saved.TRUSTED_PROXIES }));

const poll = (vin: string, key?: KeyObject) => {
  const signed = { vin, primaryId: '0' };
  return postJson('/api/ota/v1/command', { signed, signatures: key ? [signValue(signed, key)] : [] });
};
const notify = (vin: string, key?: KeyObject) => {
  const signed = { vin, primaryId: '0', events: [{ eventsUuid: randomUUID(), eventsType: 'tracking', status: 'success', currentTime: { time: Date.now() } }] };
  return postJson('/api/ota/v1/notification', { signed, signatures: key ? [signValue(signed, key)] : [] });
};
const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

describe('VEHICLE_AUTH=signature', () => {
  it('refuses unsigned requests, wrong signatures and keyless vehicles with 401 and stores nothing; serves a vehicle that signs with its key', async () => {
    useEnv({ VEHICLE_AUTH: 'signature' });
    const db = await getDb();
    const key = newKey();
    const [vin, keyless] = (await makeVehicles(db, 2)) as [string, string];
    await enrolVehicleKey(db, actor, { vin, publicKey: pem(key.publicKey) });

    for (const [res, code] of [
      [await poll(vin), 'SIGNATURE_REQUIRED'],
      [await notify(vin), 'SIGNATURE_REQUIRED'],
      [await poll(vin, newKey().privateKey), 'SIGNATURE_INVALID'],
      [await notify(vin, newKey().privateKey), 'SIGNATURE_INVALID'],
      [await poll(keyless), 'SIGNATURE_REQUIRED'],
      [await poll(keyless, newKey().privateKey), 'VEHICLE_KEY_MISSING'],
    ] as const) {
      expect(res.status).toBe(401);
      expect(await codeOf(res)).toBe(code);
    }
    expect(await db.select().from(events).where(eq(events.vin, vin))).toHaveLength(0);
    const [untouched] = await db.select().from(vehicles).where(eq(vehicles.vin, vin));
    expect(untouched!.lastSeenAt).toBeNull();

    expect((await poll(vin, key.privateKey)).status).toBe(200);
    expect((await notify(vin, key.privateKey)).status).toBe(200);
    expect(await db.select().from(events).where(eq(events.vin, vin))).toHaveLength(1);
  });

  it('runs a whole update with a signing vehicle (C_07 signed too), and refuses the bare ?vin= download metadata', async () => {
    useEnv({ VEHICLE_AUTH: 'signature' });
    const db = await getDb();
    const key = newKey();
    const [vin] = (await makeVehicles(db, 1, { publicKey: pem(key.publicKey) })) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin]);
    const server = await startVehicleApiServer();
    try {
      const result = await runVehicleUpdate({ baseUrl: server.url, vin, privateKey: key.privateKey });
      expect(result.outcome).toBe('completed');
    } finally {
      await server.close();
    }
    const path = `/cdn/v1/campaigns/${campaign.id}/download-metadata`;
    const bare = await callVehicleApi(`${path}?vin=${vin}`);
    expect(bare.status).toBe(401);
    expect(await codeOf(bare)).toBe('SIGNATURE_REQUIRED');
    const forged = await callVehicleApi(`${path}?${signGetQuery(path, vin, newKey().privateKey)}`);
    expect(await codeOf(forged)).toBe('SIGNATURE_INVALID');
    // A URL signed for another path is no good here either.
    const elsewhere = await callVehicleApi(`${path}?${signGetQuery('/cdn/v1/campaigns/999999/download-metadata', vin, key.privateKey)}`);
    expect(await codeOf(elsewhere)).toBe('SIGNATURE_INVALID');
    const stale = await callVehicleApi(`${path}?${signGetQuery(path, vin, key.privateKey, 60, Date.now() - 120_000)}`);
    expect(await codeOf(stale)).toBe('SIGNATURE_INVALID');
  });
});

describe('key rotation', () => {
  it('accepts the old key until the vehicle first signs with the new one, then only the new one', async () => {
    useEnv({ VEHICLE_AUTH: 'signature' });
    const db = await getDb();
    const [oldKey, nextKey] = [newKey(), newKey()];
    const [vin] = (await makeVehicles(db, 1)) as [string];
    await enrolVehicleKey(db, actor, { vin, publicKey: pem(oldKey.publicKey) });
    const pending = await rotateVehicleKey(db, actor, { vin, publicKey: pem(nextKey.publicKey) });
    expect(pending).toMatchObject({ status: 'pending', keyid: keyIdOf(nextKey.publicKey) });

    // The new key has not reached the vehicle yet: it still signs with the old one.
    expect((await poll(vin, oldKey.privateKey)).status).toBe(200);
    expect((await notify(vin, oldKey.privateKey)).status).toBe(200);
    // Its first request with the new key completes the rotation.
    expect((await poll(vin, nextKey.privateKey)).status).toBe(200);
    const refused = await poll(vin, oldKey.privateKey);
    expect(refused.status).toBe(401);
    expect(await codeOf(refused)).toBe('SIGNATURE_INVALID');
    expect((await notify(vin, nextKey.privateKey)).status).toBe(200);

    const { current, keys } = await listVehicleKeys(db, { vin });
    expect(current).toMatchObject({ keyid: keyIdOf(nextKey.publicKey), status: 'active' });
    expect(keys.map((k) => k.status)).toEqual(['active', 'retired']);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, vin), eq(auditLog.entityType, 'vehicle')));
    expect(audit.map((a) => a.action).sort()).toEqual(['vehicle.key.enrol', 'vehicle.key.rotate']);
  });

  it('stops accepting the old key when the grace period ends, even if the new one was never used', async () => {
    useEnv({ VEHICLE_AUTH: 'signature' });
    const db = await getDb();
    const [oldKey, nextKey] = [newKey(), newKey()];
    const [vin] = (await makeVehicles(db, 1, { publicKey: pem(oldKey.publicKey) })) as [string];
    await rotateVehicleKey(db, actor, { vin, publicKey: pem(nextKey.publicKey), graceHours: 24 });
    expect((await poll(vin, oldKey.privateKey)).status).toBe(200);
    // A day later.
    await db.update(vehicleKeys).set({ validUntil: new Date(Date.now() - 1000) }).where(and(eq(vehicleKeys.vin, vin), eq(vehicleKeys.status, 'active')));
    expect(await codeOf(await poll(vin, oldKey.privateKey))).toBe('SIGNATURE_INVALID');
    expect((await poll(vin, nextKey.privateKey)).status).toBe(200);
  });

  it('refuses a revoked key at once; enrolment and rotation refuse what does not fit', async () => {
    useEnv({ VEHICLE_AUTH: 'signature' });
    const db = await getDb();
    const key = newKey();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    await expect(rotateVehicleKey(db, actor, { vin, publicKey: pem(key.publicKey) })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(enrolVehicleKey(db, actor, { vin, publicKey: 'not a key' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    await expect(enrolVehicleKey(db, actor, { vin, publicKey: pem(rsa) })).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('ed25519') });
    await enrolVehicleKey(db, actor, { vin, publicKey: pem(key.publicKey) });
    await expect(enrolVehicleKey(db, actor, { vin, publicKey: pem(newKey().publicKey) })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(rotateVehicleKey(db, actor, { vin, publicKey: pem(key.publicKey) })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await poll(vin, key.privateKey)).status).toBe(200);
    await revokeVehicleKey(db, actor, { vin, keyid: keyIdOf(key.publicKey) });
    expect(await codeOf(await poll(vin, key.privateKey))).toBe('VEHICLE_KEY_MISSING');
    await expect(revokeVehicleKey(db, actor, { vin, keyid: keyIdOf(key.publicKey) })).rejects.toMatchObject({ code: 'CONFLICT' });
    // A revoked key is not enrolled again; a fresh one is.
    await expect(enrolVehicleKey(db, actor, { vin, publicKey: pem(key.publicKey) })).rejects.toMatchObject({ code: 'CONFLICT' });
    const fresh = newKey();
    await enrolVehicleKey(db, actor, { vin, publicKey: pem(fresh.publicKey) });
    expect((await poll(vin, fresh.privateKey)).status).toBe(200);
  });
});

describe('VEHICLE_AUTH=open', () => {
  it('serves keyless vehicles unsigned, and still holds a vehicle with a key to it', async () => {
    useEnv({ VEHICLE_AUTH: 'open' });
    const db = await getDb();
    const key = newKey();
    const [keyless, keyed] = (await makeVehicles(db, 2)) as [string, string];
    await enrolVehicleKey(db, actor, { vin: keyed, publicKey: pem(key.publicKey) });
    expect((await poll(keyless)).status).toBe(200);
    expect((await notify(keyless)).status).toBe(200);
    expect(await codeOf(await poll(keyed))).toBe('SIGNATURE_REQUIRED');
    expect(await codeOf(await notify(keyed))).toBe('SIGNATURE_REQUIRED');
    expect((await poll(keyed, key.privateKey)).status).toBe(200);
    const { campaign } = await makeDeployedCampaign(db, [keyed]);
    const path = `/cdn/v1/campaigns/${campaign.id}/download-metadata`;
    expect(await codeOf(await callVehicleApi(`${path}?vin=${keyed}`))).toBe('SIGNATURE_REQUIRED');
    expect((await callVehicleApi(`${path}?${signGetQuery(path, keyed, key.privateKey)}`)).status).toBe(200);
  });
});

describe('VEHICLE_AUTH=mtls-header', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  beforeAll(async () => {
    server = await startVehicleApiServer();
  });
  afterAll(() => server?.close());

  const pollVia = (vin: string, header?: string) =>
    fetch(`${server.url}/api/ota/v1/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { 'x-client-cert': header }) },
      body: JSON.stringify({ signed: { vin, primaryId: '0' }, signatures: [] }),
    });

  it('believes the certificate header from a trusted proxy when it names the VIN (CN or SAN)', async () => {
    useEnv({ VEHICLE_AUTH: 'mtls-header', MTLS_IDENTITY_HEADER: 'x-client-cert', TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' });
    const db = await getDb();
    const [vin, other] = (await makeVehicles(db, 2)) as [string, string];
    expect((await pollVia(vin, `CN=${vin},O=Test Fleet`)).status).toBe(200);
    expect((await pollVia(vin, `DNS:${vin}`)).status).toBe(200);
    expect((await pollVia(vin, vin)).status).toBe(200);
    const mismatch = await pollVia(vin, `CN=${other},O=Test Fleet`);
    expect(mismatch.status).toBe(401);
    expect(await codeOf(mismatch)).toBe('CLIENT_CERTIFICATE_MISMATCH');
    expect(await codeOf(await pollVia(vin))).toBe('CLIENT_CERTIFICATE_REQUIRED');
    // In process (no TCP peer, as under `next dev`) the header counts for nothing.
    const direct = await callVehicleApi('/api/ota/v1/command', { body: JSON.stringify({ signed: { vin, primaryId: '0' } }), headers: { 'x-client-cert': `CN=${vin}` } });
    expect(await codeOf(direct)).toBe('CLIENT_CERTIFICATE_REQUIRED');
  });

  it('holds C_07 to the certificate too', async () => {
    useEnv({ VEHICLE_AUTH: 'mtls-header', MTLS_IDENTITY_HEADER: 'x-client-cert', TRUSTED_PROXIES: '127.0.0.1' });
    const db = await getDb();
    const [vin, other] = (await makeVehicles(db, 2)) as [string, string];
    const { campaign } = await makeDeployedCampaign(db, [vin]);
    const get = (header?: string) => fetch(`${server.url}/cdn/v1/campaigns/${campaign.id}/download-metadata?vin=${vin}`, { headers: header ? { 'x-client-cert': header } : {} });
    expect((await get(`CN=${vin}`)).status).toBe(200);
    expect(await codeOf(await get(`CN=${other}`))).toBe('CLIENT_CERTIFICATE_MISMATCH');
    expect(await codeOf(await get())).toBe('CLIENT_CERTIFICATE_REQUIRED');
  });

  it('ignores the header from a peer that is not a trusted proxy', async () => {
    useEnv({ VEHICLE_AUTH: 'mtls-header', MTLS_IDENTITY_HEADER: 'x-client-cert', TRUSTED_PROXIES: '10.1.2.3' });
    const [vin] = (await makeVehicles(await getDb(), 1)) as [string];
    const res = await pollVia(vin, `CN=${vin}`);
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('CLIENT_CERTIFICATE_REQUIRED');
  });
});

describe('the VEHICLE_AUTH configuration', () => {
  it('defaults to open on the embedded database and to signature with DATABASE_URL', () => {
    setEnv({ VEHICLE_AUTH: undefined });
    expect(getConfig().vehicleAuth).toBe(process.env.DATABASE_URL ? 'signature' : 'open');
  });

  it('stops at a policy it does not know, and at mtls-header without its header or proxies', () => {
    for (const [env, message] of [
      [{ VEHICLE_AUTH: 'none' }, /VEHICLE_AUTH: VEHICLE_AUTH must be signature, mtls-header or open/],
      [{ VEHICLE_AUTH: 'mtls-header', MTLS_IDENTITY_HEADER: undefined, TRUSTED_PROXIES: '127.0.0.1' }, /MTLS_IDENTITY_HEADER is required/],
      [{ VEHICLE_AUTH: 'mtls-header', MTLS_IDENTITY_HEADER: 'x-client-cert', TRUSTED_PROXIES: undefined }, /TRUSTED_PROXIES is required/],
      [{ VEHICLE_AUTH: 'open', TRUSTED_PROXIES: '10.0.0.0/40' }, /TRUSTED_PROXIES: "10.0.0.0\/40" is not an IP address or CIDR/],
    ] as const) {
      setEnv(env);
      expect(() => getConfig(), JSON.stringify(env)).toThrow(message);
    }
  });
});

describe('the vehicle page (tRPC)', () => {
  it('an operator enrols, rotates and revokes; support sees the history and the policy, and may not change it', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const operator = await callerAs('operator');
    const support = await callerAs('support');
    const [first, second] = [newKey(), newKey()];
    expect(await support.vehicles.keys({ vin })).toMatchObject({ vehicleAuth: 'open', current: null, keys: [] });
    await expect(support.vehicles.enrolKey({ vin, publicKey: pem(first.publicKey) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(operator.vehicles.enrolKey({ vin, publicKey: 'garbage' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('ed25519') });
    await operator.vehicles.enrolKey({ vin, publicKey: pem(first.publicKey) });
    await operator.vehicles.rotateKey({ vin, publicKey: pem(second.publicKey), graceHours: 12 });
    const view = await support.vehicles.keys({ vin });
    expect(view.current).toMatchObject({ keyid: keyIdOf(first.publicKey), status: 'active', validUntil: expect.any(Date) });
    expect(view.keys.map((k) => k.status)).toEqual(['pending', 'active']);
    await operator.vehicles.revokeKey({ vin, keyid: keyIdOf(second.publicKey) });
    const after = await support.vehicles.keys({ vin });
    expect(after.current).toMatchObject({ keyid: keyIdOf(first.publicKey), validUntil: null });
    expect((await support.vehicles.get({ vin })).identity.signsRequests).toBe(true);
  });
});

describe('the CSV import public_key column', () => {
  it('enrols each given key (PEM in quotes or raw base64) with the vehicles, and refuses the file for a bad one', async () => {
    useEnv({ VEHICLE_AUTH: 'signature' });
    const db = await getDb();
    const operator = await callerAs('operator');
    const [a, b, c] = [uniqueVin('K'), uniqueVin('K'), uniqueVin('K')];
    const [keyA, keyB] = [newKey(), newKey()];
    const raw = keyB.publicKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64');
    const bad = await operator.vehicles.importCsv({ csv: `vin,model,region,public_key\n${a},Aurora EV,JP,not-a-key\n` }).catch((e: unknown) => e);
    expect((bad as { cause: { details: unknown } }).cause.details).toEqual([{ path: 'line 2', message: expect.stringContaining('the public key cannot be read') }]);
    expect(await db.select().from(vehicles).where(eq(vehicles.vin, a))).toEqual([]);

    await operator.vehicles.importCsv({ csv: `vin,model,region,public_key\n${a},Aurora EV,JP,"${pem(keyA.publicKey)}"\n${b},Aurora EV,JP,${raw}\n${c},Aurora EV,EU,\n` });
    expect((await listVehicleKeys(db, { vin: a })).current?.keyid).toBe(keyIdOf(keyA.publicKey));
    expect((await listVehicleKeys(db, { vin: b })).current?.keyid).toBe(keyIdOf(keyB.publicKey));
    expect((await listVehicleKeys(db, { vin: c })).current).toBeNull();
    expect((await poll(a, keyA.privateKey)).status).toBe(200);
    expect((await poll(b, keyB.privateKey)).status).toBe(200);
    expect(await codeOf(await poll(c))).toBe('SIGNATURE_REQUIRED');
  });
});

describe('the certificate header', () => {
  it('reads the CN of a subject DN, DNS and URI SANs, and a plain VIN', () => {
    expect(parseCertificateNames('CN=VIN123,O=Acme Fleet,C=JP')).toEqual(['VIN123']);
    expect(parseCertificateNames('/C=JP/O=Acme/CN=VIN123')).toEqual(['VIN123']);
    expect(parseCertificateNames('DNS:VIN123, URI:urn:vin:VIN456')).toEqual(['VIN123', 'VIN456']);
    expect(parseCertificateNames('DNS=VIN123;Email=fleet@example.com')).toEqual(['VIN123']);
    expect(parseCertificateNames(' VIN123 ')).toEqual(['VIN123']);
    expect(parseCertificateNames('O=Acme')).toEqual([]);
  });
});
