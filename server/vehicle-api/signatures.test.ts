import { generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDeliveries, commands, events, vehicles } from '@/db/schema';
import { getDb } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { postJson } from '../testing/vehicle-client';
import { signValue, verifyValue } from '../vehicle-protocol/signatures';
import { getServerKey } from './server-key';

describe('signatures', () => {
  const vehicleKey = generateKeyPairSync('ed25519');
  const otherKey = generateKeyPairSync('ed25519');
  let vin: string;
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;

  beforeAll(async () => {
    const db = await getDb();
    [vin] = (await makeVehicles(db, 1, { publicKey: vehicleKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() })) as [string];
    await makeDeployedCampaign(db, [vin]);
    server = await startVehicleApiServer();
  });
  afterAll(() => server?.close());

  it('signs every answer with the server key over the canonical JSON of "signed"', async () => {
    const res = await postJson('/api/ota/v1/action', { signed: { vin: 'vinUpdate20231008', primaryId: '0' } });
    const body = await res.json();
    const key = getServerKey();
    expect(key).not.toBeNull();
    expect(body.signatures).toEqual([{ keyid: key!.keyid, method: 'ed25519', sig: expect.any(String) }]);
    expect(verifyValue(body.signed, body.signatures, key!.privateKey)).toBe(true);
    expect(verifyValue({ ...body.signed, extra: 1 }, body.signatures, key!.privateKey)).toBe(false);
  });

  it.each([
    ['no signature', 'SIGNATURE_REQUIRED', () => []],
    ['a signature by another key', 'SIGNATURE_INVALID', (signed: unknown) => [signValue(signed, otherKey.privateKey)]],
    ['a signature of other content', 'SIGNATURE_INVALID', () => [signValue({ vin: 'x' }, vehicleKey.privateKey)]],
    ['garbage', 'SIGNATURE_INVALID', () => [{ keyid: 'k', method: 'ed25519', sig: 'bm90IGEgc2lnbmF0dXJl' }]],
  ])('refuses a keyed vehicle with %s: %s and nothing changes', async (_, code, signaturesFor) => {
    const db = await getDb();
    const [before] = await db.select().from(vehicles).where(eq(vehicles.vin, vin));
    for (const [path, signed] of [
      ['/api/ota/v1/command', { vin, primaryId: '0' }],
      ['/api/ota/v1/action', { vin, primaryId: '0' }],
      ['/api/ota/v1/notification', { vin, primaryId: '0', events: [{ eventsUuid: 'u1', eventsType: 'tracking', status: 'success', currentTime: { time: 1 } }] }],
      ['/api/ota/v1/config', { vin, primaryId: '0', ecuVersionManifests: [] }],
    ] as const) {
      const res = await postJson(path, { signed, signatures: signaturesFor(signed) });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatchObject({ code, message: expect.stringContaining('canonical JSON') });
    }
    const [after] = await db.select().from(vehicles).where(eq(vehicles.vin, vin));
    expect(after!.lastSeenAt).toEqual(before!.lastSeenAt);
    const [command] = await db.select().from(commands).where(eq(commands.vin, vin));
    expect(command).toMatchObject({ status: 'pending', deliveryCount: 0 });
    expect(await db.select().from(commandDeliveries).where(eq(commandDeliveries.commandRowId, command!.id))).toHaveLength(0);
    expect(await db.select().from(events).where(eq(events.vin, vin))).toHaveLength(0);
  });

  it('serves a keyed vehicle that signs every request through a whole update', async () => {
    const result = await runVehicleUpdate({ baseUrl: server.url, vin, privateKey: vehicleKey.privateKey });
    expect(result.outcome).toBe('completed');
    const [command] = await (await getDb()).select().from(commands).where(eq(commands.vin, vin));
    expect(command!.status).toBe('acknowledged');
  });
});
