// End to end inside one process: a vehicle simulated over HTTP runs its update, the sender
// loop (as the server runs it) posts the events to a receiver on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEndpoints } from '@/db/schema';
import { createCampaign, transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makePackage, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { startWebhookReceiver } from '../testing/webhook-receiver';
import type { Actor } from '../auth/actor';
import { createWebhookEndpoint } from './endpoints';
import { startWebhookSender } from './sender-loop';
import { verifyWebhookSignature } from './signature';

const admin: Actor = { kind: 'user', id: 0, email: 'webhook-admin@test.example' };

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhooks of a real rollout', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let sender: ReturnType<typeof startWebhookSender>;
  let secret: string;

  beforeAll(async () => {
    server = await startVehicleApiServer();
    receiver = await startWebhookReceiver();
    const db = await getDb();
    ({ secret } = await createWebhookEndpoint(
      db,
      admin,
      { url: `${receiver.url}/ota`, events: ['vehicle.update_completed', 'vehicle.update_failed', 'wave.started', 'campaign.status_changed', 'campaign.suspended', 'vehicle.blocked'] },
      true,
    ));
    sender = startWebhookSender(getDb, { allowPrivateNetworks: true }, 200);
  });
  afterAll(async () => {
    await sender?.stop();
    await server?.close();
    await receiver?.close();
    await (await getDb()).delete(webhookEndpoints);
  });

  const receivedOf = (type: string, match: (data: Record<string, unknown>) => boolean) => receiver.received.filter((r) => r.json.type === type && match(r.json.data));

  it('a vehicle that completes its update: vehicle.update_completed arrives once, signed', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { vehiclePackage } = await makePackage(db, 4096);
    const campaign = await createCampaign(db, { name: 'Webhook run', vehiclePackageId: vehiclePackage.id, vins: [vin] });
    await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Deployed', 'ops@test.example'));
    const result = await runVehicleUpdate({ baseUrl: server.url, vin, progressReports: 1 });
    expect(result.outcome).toBe('completed');

    const [done] = await until('vehicle.update_completed', () => {
      const got = receivedOf('vehicle.update_completed', (d) => d.vin === vin);
      return got.length ? got : undefined;
    });
    expect(done!.json.data).toMatchObject({ vin, campaignId: campaign.id, attemptId: result.attemptId });
    expect(done!.headers['x-ota-event']).toBe('vehicle.update_completed');
    expect(verifyWebhookSignature(secret, done!.body, done!.headers['x-ota-signature'] as string)).toBe(true);
    // The deploy and the first wave came before; the single-vehicle campaign then completed on its own.
    await until('the campaign completing', () => (receivedOf('campaign.status_changed', (d) => d.campaignId === campaign.id && d.to === 'Completed').length ? true : undefined));
    expect(receivedOf('campaign.status_changed', (d) => d.campaignId === campaign.id).map((r) => [r.json.data.from, r.json.data.to, r.json.data.automatic])).toEqual([
      ['Draft', 'Deployed', false],
      ['Deployed', 'Completed', true],
    ]);
    expect(receivedOf('wave.started', (d) => d.campaignId === campaign.id).map((r) => r.json.data)).toEqual([
      { campaignId: campaign.id, campaignName: 'Webhook run', wave: 1, waves: 1, queuedCommands: 1, actor: 'ops@test.example' },
    ]);
    expect(receivedOf('vehicle.update_completed', (d) => d.vin === vin)).toHaveLength(1);
  });

  it('a failing vehicle: vehicle.update_failed with its error codes, then the campaign suspends itself with the reason', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { vehiclePackage } = await makePackage(db, 4096);
    const campaign = await createCampaign(db, {
      name: 'Webhook failure',
      vehiclePackageId: vehiclePackage.id,
      vins: [vin],
      rollout: { waves: [], successThreshold: 100, errorThreshold: 1, autoAdvance: true },
    });
    await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Deployed', 'ops@test.example'));
    const result = await runVehicleUpdate({ baseUrl: server.url, vin, progressReports: 1, fail: { at: 'activation', code: 1112 } });
    expect(result.outcome).toBe('failed');
    const [failed] = await until('vehicle.update_failed', () => {
      const got = receivedOf('vehicle.update_failed', (d) => d.vin === vin);
      return got.length ? got : undefined;
    });
    expect(failed!.json.data).toMatchObject({ vin, campaignId: campaign.id, attemptId: result.attemptId, errorCode: expect.any(String) });
    expect(failed!.json.data.errorCodes).toContain(failed!.json.data.errorCode);
    const [suspended] = await until('campaign.suspended', () => {
      const got = receivedOf('campaign.suspended', (d) => d.campaignId === campaign.id);
      return got.length ? got : undefined;
    });
    expect(suspended!.json.data).toMatchObject({ automatic: true, reason: expect.stringMatching(/^Suspended automatically: /) });
  });

  it('a vehicle blocked by the preconditions: vehicle.blocked with the reason', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1, {}, { ecus: { '1': '0.9.0' }, availableMb: 2048 })) as [string];
    const { vehiclePackage } = await makePackage(db, 4096);
    const campaign = await createCampaign(db, {
      name: 'Webhook blocked',
      vehiclePackageId: vehiclePackage.id,
      vins: [vin],
      preconditions: { ecus: [{ ecuId: '1', versions: ['1.0.0'] }], minFreeStorageMb: 1 },
    });
    await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Deployed', 'ops@test.example'));
    const [blocked] = await until('vehicle.blocked', () => {
      const got = receivedOf('vehicle.blocked', (d) => d.vin === vin);
      return got.length ? got : undefined;
    });
    expect(blocked!.json.data).toEqual({ vin, campaignId: campaign.id, campaignName: 'Webhook blocked', reason: 'ECU 1 runs 0.9.0, not 1.0.0' });
  });
});
