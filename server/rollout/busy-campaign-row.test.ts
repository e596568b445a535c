import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { campaigns } from '@/db/schema';
import { getDb, getDbHandle } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Two connections at once: the embedded database has one, so this runs on PostgreSQL (CI runs both).
const onPostgres = !!process.env.DATABASE_URL;

describe.runIf(onPostgres)('a run-ending event while another transaction holds the campaign row', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let campaignId: number;
  let vin: string;

  beforeAll(async () => {
    expect((await getDbHandle()).driver).toBe('postgres');
    server = await startVehicleApiServer();
    const db = await getDb();
    const vins = await makeVehicles(db, 2);
    // Wave 1 is one vehicle: its completion reaches the success threshold and starts wave 2.
    const { campaign } = await makeDeployedCampaign(db, vins, {
      rollout: { waves: [{ size: 1, unit: 'count' }, { size: 1, unit: 'count' }], successThreshold: 100, errorThreshold: 50, autoAdvance: true },
    });
    campaignId = campaign.id;
    vin = (await queryRows<{ vin: string }>(db, sql`select vin from campaign_vehicles where campaign_id = ${campaignId} and wave = 0`))[0]!.vin;
  }, 120_000);
  afterAll(() => server?.close());

  it('commits the event without waiting for the row, and answers once the thresholds have seen it', async () => {
    const db = await getDb();
    const phase = async () =>
      (await queryRows<{ phase: string }>(db, sql`select phase from campaign_vehicles where campaign_id = ${campaignId} and vin = ${vin}`))[0]?.phase;
    let release: () => void = () => {};
    let holding: Promise<void> | null = null;
    let committedWhileHeld = false;
    let waveWhileHeld: number | undefined;
    let answered = false;

    // Just before the vehicle sends its completion (C_35), another transaction takes the
    // campaign row, as an operator's action or another vehicle's evaluation would, and keeps it.
    const hook: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (!holding && body.includes('"updateComplete"')) {
        let locked: () => void = () => {};
        const isLocked = new Promise<void>((r) => (locked = r));
        holding = db.transaction(async (tx) => {
          await tx.execute(sql`select id from campaigns where id = ${campaignId} for no key update`);
          locked();
          await new Promise<void>((r) => (release = r));
        });
        await isLocked;
        const sent = fetch(input, init).finally(() => (answered = true));
        // The event is committed while the row is still held: the notification did not wait for it.
        for (let i = 0; i < 100 && !committedWhileHeld; i++) {
          await sleep(50);
          committedWhileHeld = (await phase()) === 'completed';
        }
        waveWhileHeld = (await db.select({ wave: campaigns.currentWave }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.wave;
        const answeredWhileHeld = answered;
        release();
        await holding;
        const response = await sent;
        expect(answeredWhileHeld).toBe(false);
        return response;
      }
      return fetch(input, init);
    };

    const result = await runVehicleUpdate({ baseUrl: server.url, vin, progressReports: 1, fetch: hook });
    expect(result.outcome).toBe('completed');
    expect(committedWhileHeld).toBe(true);
    // The thresholds could not act while the row was held…
    expect(waveWhileHeld).toBe(0);
    // …and had acted by the time the vehicle got its answer: wave 2 started.
    const [after] = await db.select({ wave: campaigns.currentWave, status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId));
    expect(after).toEqual({ wave: 1, status: 'Deployed' });
  }, 120_000);
});
