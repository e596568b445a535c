import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { vehicles } from '@/db/schema';
import { resetConfig } from '../config';
import { getDb } from '../db';
import { makeVehicles } from '../testing/factories';
import { postJson } from '../testing/vehicle-client';

const lastSeen = async (vin: string) => (await (await getDb()).select({ at: vehicles.lastSeenAt }).from(vehicles).where(eq(vehicles.vin, vin)))[0]!.at;
const backdate = async (vin: string, seconds: number) =>
  (await getDb()).update(vehicles).set({ lastSeenAt: sql`now() - make_interval(secs => ${seconds})` }).where(eq(vehicles.vin, vin));
const poll = (vin: string) => postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } });
const notify = (vin: string, id: string) =>
  postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [{ eventsUuid: id, eventsType: 'download', status: 'started', currentTime: { time: 1764000000 } }] } });

describe("a vehicle's last seen time", () => {
  afterAll(() => {
    delete process.env.LAST_SEEN_PRECISION_SECONDS;
    resetConfig();
  });

  it('is set by the first poll, kept by polls and notifications within LAST_SEEN_PRECISION_SECONDS, and moved once it is older', async () => {
    const [vin] = await makeVehicles(await getDb(), 1);
    expect(await lastSeen(vin!)).toBeNull();
    expect((await poll(vin!)).status).toBe(200);
    const first = await lastSeen(vin!);
    expect(first).toBeInstanceOf(Date);

    // Within 30 s: neither a poll nor a notification rewrites it (the event is stored all the same).
    expect((await poll(vin!)).status).toBe(200);
    expect((await notify(vin!, 'seen-1')).status).toBe(200);
    expect(await lastSeen(vin!)).toEqual(first);

    // Older than 30 s: the next poll records now.
    await backdate(vin!, 31);
    const old = await lastSeen(vin!);
    expect((await poll(vin!)).status).toBe(200);
    expect((await lastSeen(vin!))!.getTime()).toBeGreaterThan(old!.getTime() + 30_000);

    // And the next notification too.
    await backdate(vin!, 31);
    expect((await notify(vin!, 'seen-2')).status).toBe(200);
    expect((await lastSeen(vin!))!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('is rewritten by every request with LAST_SEEN_PRECISION_SECONDS=0', async () => {
    process.env.LAST_SEEN_PRECISION_SECONDS = '0';
    resetConfig();
    const [vin] = await makeVehicles(await getDb(), 1);
    expect((await poll(vin!)).status).toBe(200);
    await backdate(vin!, 2);
    const before = await lastSeen(vin!);
    expect((await poll(vin!)).status).toBe(200);
    expect((await lastSeen(vin!))!.getTime()).toBeGreaterThan(before!.getTime() + 1_000);
  });
});
