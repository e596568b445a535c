import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSnapshots, events, vehicles } from '@/db/schema';
import { getDb } from '../db';
import { contentHash } from '../vehicle-protocol/canonical-json';
import { classifyEvent } from '../vehicle-protocol/classify';
import { parseLenientJson } from '../vehicle-protocol/lenient-json';
import { loadSeedExamples } from '../vehicle-protocol/fixtures/seed-examples';
import { callVehicleApi } from '../testing/vehicle-client';

const examples = loadSeedExamples();
const pathOf: Record<string, string> = { C_03: 'action', C_04: 'config-digest', C_05: 'config', C_18: 'campaign-validity', C_36: 'command' };
const endpointOf = (code: string) => `/api/ota/v1/${pathOf[code] ?? 'notification'}`;

/** Every key the seed's response has, ours has too (arrays: the shape of their first element). */
function expectSameShape(actual: unknown, expected: unknown, where = 'response'): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where} is an array`).toBe(true);
    if (expected.length && (actual as unknown[]).length) expectSameShape((actual as unknown[])[0], expected[0], `${where}[0]`);
  } else if (expected && typeof expected === 'object') {
    expect(actual && typeof actual === 'object', `${where} is an object`).toBeTruthy();
    for (const [key, value] of Object.entries(expected)) {
      expect(actual as object, `${where} has ${key}`).toHaveProperty([key]);
      expectSameShape((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
  } else {
    expect(typeof actual, `${where} is a ${typeof expected}`).toBe(typeof expected);
  }
}

describe('every request example of the seed, sent verbatim', () => {
  beforeAll(async () => {
    // The seed's VINs are fixed: start from none of their reports (PostgreSQL keeps them between runs).
    const db = await getDb();
    const seedVins = ['12345678901234567', 'TESTVIN1234567890'];
    await db.delete(events).where(inArray(events.vin, seedVins));
    await db.delete(configSnapshots).where(inArray(configSnapshots.vin, seedVins));
  });

  it('finds the seed examples', () => {
    expect(examples.map((e) => e.code)).toEqual(
      expect.arrayContaining(['C_01', 'C_09', 'C_10', 'C_12', 'C_13', 'C_15', 'C_16', 'C_19', 'C_20', 'C_22', 'C_23', 'C_24', 'C_25', 'C_28', 'C_35', 'C_03', 'C_05', 'C_18', 'C_36']),
    );
    expect(examples.filter((e) => e.code === 'C_01')).toHaveLength(2);
  });

  it.each(examples.map((e, i) => [`${i + 1}. ${e.code} ${e.title}`, e] as const))('%s', async (_, example) => {
    const db = await getDb();
    const request = parseLenientJson(example.request) as { signed: { vin: string; events?: unknown[] } };
    const vin = request.signed.vin;
    const before = await db.select().from(vehicles).where(eq(vehicles.vin, vin));

    const res = await callVehicleApi(endpointOf(example.code), { body: example.request });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ signatures: [{ method: 'ed25519', keyid: expect.any(String), sig: expect.any(String) }], signed: { body: expect.any(Object) } });
    if (example.response) expectSameShape(body, parseLenientJson(example.response));

    const [after] = await db.select().from(vehicles).where(eq(vehicles.vin, vin));
    expect(after!.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(before[0]?.lastSeenAt?.getTime() ?? 0);

    if (request.signed.events) {
      // What it carries is stored: each event whole, classified with the example's own code.
      expect(body.signed.body.results).toEqual(request.signed.events.map((e) => ({ eventsUuid: (e as { eventsUuid: string }).eventsUuid, result: 'accepted' })));
      for (const raw of request.signed.events) {
        const [row] = await db.select().from(events).where(and(eq(events.vin, vin), eq(events.contentHash, contentHash(raw))));
        expect(row?.raw).toEqual(raw);
        expect(row?.code).toBe(example.code);
        const e = raw as { eventsType: string; status: string };
        expect(classifyEvent(e.eventsType, e.status)).toBe(example.code);
      }
    }
    if (example.code === 'C_05') {
      const [snapshot] = await db.select().from(configSnapshots).where(eq(configSnapshots.vin, vin));
      expect(snapshot).toMatchObject({ raw: request, storageUsedMb: 100, storageAvailableMb: 100, locale: 'test', preferredCampaignId: 18, attemptId: '1697079831', selectedCampaignId: 18 });
      expect(body.signed.body.augmentedMetadata.signed.body.selectedCampaign).toEqual({ campaignId: 18 });
      const target = body.signed.body.targetsMetadata[0].metadata.signed.body.targets[0].target;
      expect(target.fileDownloadUrl).toMatch(/^http:\/\/ota\.test\/cdn\/v1\/software-packages\/\d+\?expires=\d+&signature=[0-9a-f]{64}$/);
      expect(target.hashes.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    if (example.code === 'C_18') expect(body.signed.body).toEqual({ vin, status: 'Deployed', campaignId: 1 });
    if (example.code === 'C_03') {
      expect(body.signed.body.actions).toEqual([
        { actionId: 'GetActionCycle', value: 0 },
        { actionId: 'CarConfigInfoUploadNecessity', value: 0 },
        { actionId: 'DispConsentInCarHMI', value: 0 },
      ]);
    }
  });

  it('flags the seed reusing one eventsUuid for different events, and stores each', async () => {
    const db = await getDb();
    const rows = await db.select().from(events).where(and(eq(events.vin, '12345678901234567'), eq(events.eventsUuid, '90469326c5cd45eb9a94d7c10c9744e9')));
    expect(rows.length).toBe(examples.filter((e) => e.request.includes('"events"')).length);
    expect(rows.filter((r) => !r.uuidReused)).toHaveLength(1);
  });

  it('answers a verbatim replay of every notification as duplicate and stores nothing new', async () => {
    const db = await getDb();
    const count = async () => (await db.select().from(events).where(eq(events.vin, '12345678901234567'))).length;
    const before = await count();
    for (const example of examples.filter((e) => e.request.includes('"events"'))) {
      const res = await callVehicleApi('/api/ota/v1/notification', { body: example.request });
      expect((await res.json()).signed.body.results[0].result).toBe('duplicate');
    }
    expect(await count()).toBe(before);
  });

  it('serves every code under its C-code alias too', async () => {
    const c36 = await callVehicleApi('/api/ota/v1/C_36', { body: '{"signed": {"vin": "TESTVIN1234567890", "primaryId": "0"},}' });
    expect((await c36.json()).signed.body).toMatchObject({ vin: 'TESTVIN1234567890', command: expect.any(String) });
    const c28 = examples.find((e) => e.code === 'C_28')!;
    const res = await callVehicleApi('/api/ota/v1/C_28', { body: c28.request });
    expect(res.status).toBe(200);
  });
});
