import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { campaigns, campaignVehicles, events } from '@/db/schema';
import { createCampaign, transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { makePackage, makeVehicles } from '../testing/factories';
import { postJson } from '../testing/vehicle-client';

const errorEvent = (attemptId: string) => ({ eventsUuid: randomUUID(), eventsType: 'error', status: 'failure', attemptId, currentTime: { time: Date.now() }, errorCodes: [{ errorCode: 1112 }] });
const notify = (vin: string, ...evs: unknown[]) => postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: evs }, signatures: [] });
const pollCommand = (vin: string) => postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' }, signatures: [] });

async function deployedCampaign(vins: string[]) {
  const db = await getDb();
  const { vehiclePackage } = await makePackage(db, 1024);
  const campaign = await createCampaign(db, {
    name: `Plausibility ${randomUUID().slice(0, 6)}`,
    vehiclePackageId: vehiclePackage.id,
    vins,
    rollout: { waves: [{ size: 100, unit: 'percent' }], successThreshold: 80, errorThreshold: 20, autoAdvance: true },
  });
  await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Deployed', 'test'));
  return campaign.id;
}

const statusOf = async (campaignId: number) => (await (await getDb()).select().from(campaigns).where(eq(campaigns.id, campaignId)))[0]!.status;
const phaseOf = async (campaignId: number, vin: string) =>
  (await (await getDb()).select().from(campaignVehicles).where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin))))[0]!.phase;

describe('event plausibility', () => {
  it('three forged errors naming the campaign id no longer suspend it: stored, flagged, no phase moved', async () => {
    const db = await getDb();
    const targets = await makeVehicles(db, 10);
    const [outsider] = await makeVehicles(db, 1);
    const campaignId = await deployedCampaign(targets);
    // Two targets that never got their StartCampaign, and a vehicle that is not a target at all.
    for (const vin of [targets[0]!, targets[1]!, outsider!]) {
      const res = await notify(vin, errorEvent(String(campaignId)));
      expect(res.status).toBe(200);
    }
    expect(await statusOf(campaignId)).toBe('Deployed');
    expect(await phaseOf(campaignId, targets[0]!)).toBe('queued');
    const stored = await db.select().from(events).where(and(eq(events.attemptId, String(campaignId)), eq(events.code, 'C_28')));
    const forged = stored.filter((e) => [targets[0], targets[1], outsider].includes(e.vin));
    expect(forged).toHaveLength(3);
    expect(forged.map((e) => e.implausibleReason)).toEqual(['attempt-not-opened', 'attempt-not-opened', 'attempt-not-opened']);
    expect(forged.every((e) => e.campaignId === null)).toBe(true);
  });

  it('a failure from a vehicle that got its StartCampaign still counts, and suspends at the threshold', async () => {
    const db = await getDb();
    const targets = await makeVehicles(db, 10);
    const campaignId = await deployedCampaign(targets);
    for (const vin of targets.slice(0, 2)) {
      const command = await (await pollCommand(vin)).json();
      expect(command.signed.body).toMatchObject({ command: 'StartCampaign', campaignId });
      expect((await notify(vin, errorEvent(String(campaignId)))).status).toBe(200);
      expect(await phaseOf(campaignId, vin)).toBe('failed');
    }
    const [real] = await db.select().from(events).where(and(eq(events.vin, targets[0]!), eq(events.code, 'C_28')));
    expect(real).toMatchObject({ campaignId, implausibleReason: null });
    expect(await statusOf(campaignId)).toBe('Suspended');
  });

  it('a queued vehicle (retried, old attempt known) moves nothing with an event of its earlier run', async () => {
    const db = await getDb();
    const targets = await makeVehicles(db, 10);
    const campaignId = await deployedCampaign(targets);
    const vin = targets[0]!;
    await pollCommand(vin);
    expect((await notify(vin, { ...errorEvent(String(campaignId)), eventsType: 'tracking', status: 'success' })).status).toBe(200);
    // The operator puts it back to queued (as a retry does) before it picks up its next StartCampaign.
    await db.update(campaignVehicles).set({ phase: 'queued' }).where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin)));
    expect((await notify(vin, errorEvent(String(campaignId)))).status).toBe(200);
    expect(await phaseOf(campaignId, vin)).toBe('queued');
    const [late] = await db.select().from(events).where(and(eq(events.vin, vin), eq(events.code, 'C_28')));
    expect(late).toMatchObject({ campaignId, implausibleReason: 'not-started' });
  });
});
