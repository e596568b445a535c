import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { auditLog, webhookDeliveries, webhookEndpoints, type WebhookEventType } from '@/db/schema';
import { transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startWebhookReceiver } from '../testing/webhook-receiver';
import type { Actor } from '../auth/actor';
import { createWebhookEndpoint, listWebhookDeliveries, redeliverWebhook, setWebhookEndpointEnabled } from './endpoints';
import { enqueueWebhook } from './outbox';
import { backoffSeconds, sendDueWebhooks } from './sender';
import { verifyWebhookSignature } from './signature';

const admin: Actor = { kind: 'user', id: 0, email: 'webhook-admin@test.example' };
const allEvents: WebhookEventType[] = ['campaign.status_changed', 'campaign.suspended', 'wave.started', 'vehicle.update_completed', 'vehicle.update_failed', 'vehicle.blocked'];
const send = (allowPrivateNetworks = true) => getDb().then((db) => sendDueWebhooks(db, { allowPrivateNetworks }));

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
// On PostgreSQL the test files share one database: no endpoint of ours outlives its test.
afterEach(async () => {
  await (await getDb()).delete(webhookEndpoints);
  receiver.received.length = 0;
  receiver.state.status = 200;
});

async function register(events: WebhookEventType[] = allEvents, secret?: string) {
  return createWebhookEndpoint(await getDb(), admin, { url: `${receiver.url}/hook`, events, secret }, true);
}

async function deliveriesOf(endpointId: number) {
  return (await getDb()).select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.id);
}

describe('the outbox', () => {
  it('writes a campaign status change to the outbox in the same transaction, and nothing when it rolls back', async () => {
    const db = await getDb();
    const { endpoint } = await register(['campaign.status_changed', 'campaign.suspended']);
    const vins = await makeVehicles(db, 1);
    const { campaign } = await makeDeployedCampaign(db, vins);
    await expect(
      db.transaction(async (tx) => {
        await transitionCampaign(tx, campaign.id, 'Suspended', 'someone@test.example');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // The deploy (before) went out; the rolled-back suspension left nothing.
    const afterRollback = await deliveriesOf(endpoint.id);
    expect(afterRollback.map((d) => d.payload)).toEqual([expect.objectContaining({ campaignId: campaign.id, from: 'Draft', to: 'Deployed' })]);

    await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Suspended', 'someone@test.example'));
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((d) => d.type)).toEqual(['campaign.status_changed', 'campaign.status_changed', 'campaign.suspended']);
    expect(rows[2]!.payload).toMatchObject({ campaignId: campaign.id, reason: 'Suspended by someone@test.example.', automatic: false });
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
  });

  it('writes nothing for an event type no endpoint wants, or for a disabled endpoint', async () => {
    const db = await getDb();
    const { endpoint } = await register(['vehicle.blocked']);
    await enqueueWebhook(db, 'wave.started', { campaignId: 1 });
    await setWebhookEndpointEnabled(db, admin, { id: endpoint.id, enabled: false });
    await enqueueWebhook(db, 'vehicle.blocked', { vin: 'X' });
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
  });
});

describe('the sender', () => {
  it('POSTs {id, type, createdAt, data} with the event, delivery and a signature the receiver can verify', async () => {
    const db = await getDb();
    const { endpoint, secret } = await register(['wave.started']);
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    await enqueueWebhook(db, 'wave.started', { campaignId: 7, wave: 2 });
    const round = await send();
    expect(round.outcomes).toEqual(['delivered']);
    const [got] = receiver.received;
    expect(got!.headers['x-ota-event']).toBe('wave.started');
    expect(got!.headers['x-ota-delivery']).toBe(got!.json.id);
    expect(verifyWebhookSignature(secret, got!.body, got!.headers['x-ota-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature('another-secret-0000', got!.body, got!.headers['x-ota-signature'] as string)).toBe(false);
    expect(got!.json).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'wave.started', createdAt: expect.any(String), data: { campaignId: 7, wave: 2 } });
    const [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, eventId: got!.json.id });
    expect(row!.deliveredAt).toBeInstanceOf(Date);
    expect(await send()).toEqual({ claimed: 0, outcomes: [] });
  });

  it('uses the secret the admin gave', async () => {
    const db = await getDb();
    await register(['wave.started'], 'my-own-secret-of-some-length');
    await enqueueWebhook(db, 'wave.started', { campaignId: 1 });
    await send();
    const [got] = receiver.received;
    expect(verifyWebhookSignature('my-own-secret-of-some-length', got!.body, got!.headers['x-ota-signature'] as string)).toBe(true);
  });

  it('retries a failure after an exponential backoff, then delivers; gives up after 24 h', async () => {
    const db = await getDb();
    const { endpoint } = await register(['wave.started']);
    expect([1, 2, 3, 20].map((n) => backoffSeconds(n))).toEqual([10, 20, 40, 3600]);
    await enqueueWebhook(db, 'wave.started', { campaignId: 1 });
    receiver.state.status = 500;
    expect((await send()).outcomes).toEqual(['retry']);
    let [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'answered HTTP 500' });
    const waitS = (row!.nextAttemptAt.getTime() - Date.now()) / 1000;
    expect(waitS).toBeGreaterThan(5);
    expect(waitS).toBeLessThan(11);
    expect((await send()).claimed).toBe(0); // not due yet

    // Due again: the second failure waits twice as long.
    await db.update(webhookDeliveries).set({ nextAttemptAt: sql`now()` }).where(eq(webhookDeliveries.id, row!.id));
    expect((await send()).outcomes).toEqual(['retry']);
    [row] = await deliveriesOf(endpoint.id);
    expect((row!.nextAttemptAt.getTime() - Date.now()) / 1000).toBeGreaterThan(15);
    const [ep] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep).toMatchObject({ consecutiveFailures: 2, enabled: true });

    receiver.state.status = 204;
    await db.update(webhookDeliveries).set({ nextAttemptAt: sql`now()` }).where(eq(webhookDeliveries.id, row!.id));
    expect((await send()).outcomes).toEqual(['delivered']);
    expect(receiver.received.map((r) => r.json.id)).toEqual(Array(3).fill(row!.eventId));
    const [healed] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(healed).toMatchObject({ consecutiveFailures: 0, failingSince: null });

    // Another one that is still failing when its 24 h run out is failed.
    receiver.state.status = 503;
    await enqueueWebhook(db, 'wave.started', { campaignId: 2 });
    await db.update(webhookDeliveries).set({ retryUntil: sql`now() + interval '5 seconds'` }).where(eq(webhookDeliveries.status, 'pending'));
    expect((await send()).outcomes).toEqual(['failed']);
    const failed = (await deliveriesOf(endpoint.id)).at(-1)!;
    expect(failed).toMatchObject({ status: 'failed', lastStatusCode: 503 });
  });

  it('disables an endpoint whose deliveries all failed for 24 h, with the reason, and fails its pending deliveries', async () => {
    const db = await getDb();
    const { endpoint } = await register(['wave.started']);
    receiver.state.status = 500;
    for (let i = 0; i < 6; i++) await enqueueWebhook(db, 'wave.started', { campaignId: i });
    await db.update(webhookEndpoints).set({ consecutiveFailures: 4, failingSince: sql`now() - interval '25 hours'` }).where(eq(webhookEndpoints.id, endpoint.id));
    await getDb().then((d) => sendDueWebhooks(d, { allowPrivateNetworks: true, batchSize: 1 }));
    const [ep] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep!.enabled).toBe(false);
    expect(ep!.disabledReason).toMatch(/^Disabled automatically: every delivery failed for 24 h \(5 attempts in a row\); the last: answered HTTP 500\.$/);
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((r) => r.status)).toEqual(Array(6).fill('failed'));
    expect(rows[5]!.lastError).toBe('not sent: the endpoint was disabled');
    // Enabled again by an admin: a fresh start, and a failed delivery can be sent again.
    await setWebhookEndpointEnabled(db, admin, { id: endpoint.id, enabled: true });
    receiver.state.status = 200;
    const again = await redeliverWebhook(db, admin, { deliveryId: rows[5]!.id });
    expect(again).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await send()).outcomes).toEqual(['delivered']);
    const audit = await db.select().from(auditLog).where(inArray(auditLog.action, ['webhook.enable', 'webhook.redeliver']));
    expect(audit.filter((a) => a.entityId === String(endpoint.id) || a.entityId === String(rows[5]!.id)).map((a) => a.action)).toEqual(['webhook.enable', 'webhook.redeliver']);
  });

  it('with two senders at once, each delivery goes out once (SKIP LOCKED and the lease)', async () => {
    const db = await getDb();
    const { endpoint } = await register(['wave.started']);
    for (let i = 0; i < 12; i++) await enqueueWebhook(db, 'wave.started', { n: i });
    const rounds = await Promise.all([
      sendDueWebhooks(db, { allowPrivateNetworks: true, batchSize: 5 }),
      sendDueWebhooks(db, { allowPrivateNetworks: true, batchSize: 5 }),
      sendDueWebhooks(db, { allowPrivateNetworks: true, batchSize: 5 }),
    ]);
    expect(rounds.reduce((n, r) => n + r.claimed, 0)).toBe(12);
    expect((await send()).claimed).toBe(0);
    const ids = receiver.received.map((r) => r.json.data.n);
    expect(ids.sort((a, b) => Number(a) - Number(b))).toEqual([...Array(12).keys()]);
    expect((await deliveriesOf(endpoint.id)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
  });

  it('does not send to an address that turned private since registration (DNS rebinding), unless allowed', async () => {
    const db = await getDb();
    const { endpoint } = await register(['wave.started']);
    await enqueueWebhook(db, 'wave.started', { campaignId: 1 });
    expect((await send(false)).outcomes).toEqual(['retry']);
    const [row] = await deliveriesOf(endpoint.id);
    expect(row!.lastError).toMatch(/127\.0\.0\.1 resolves to a loopback, private or link-local address/);
    expect(receiver.received).toEqual([]);
  });
});

describe('registration', () => {
  it('refuses loopback, private and link-local URLs unless private networks are allowed', async () => {
    const db = await getDb();
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/', 'http://169.254.169.254/latest', 'http://[::1]/', 'http://[::ffff:192.168.1.1]/', 'http://192.168.0.10/']) {
      await expect(createWebhookEndpoint(db, admin, { url, events: ['wave.started'] }, false), url).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/loopback, private or link-local/) });
    }
    await expect(createWebhookEndpoint(db, admin, { url: 'ftp://example.com/', events: ['wave.started'] }, false)).rejects.toMatchObject({ message: expect.stringMatching(/http:\/\/ or https:\/\//) });
    await expect(createWebhookEndpoint(db, admin, { url: 'http://user:pw@8.8.8.8/', events: ['wave.started'] }, false)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    // A public address literal passes (no traffic is sent at registration).
    const { endpoint } = await createWebhookEndpoint(db, admin, { url: 'https://8.8.8.8/hook', events: ['wave.started'] }, false);
    expect(endpoint).toMatchObject({ url: 'https://8.8.8.8/hook', enabled: true, createdBy: admin.email });
    expect(await queryRows(db, sql`select 1 from webhook_endpoints where url like 'http://127%'`)).toEqual([]);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityType, 'webhook'), eq(auditLog.entityId, String(endpoint.id)))).orderBy(auditLog.id);
    expect(audit).toMatchObject({ action: 'webhook.create', details: { url: 'https://8.8.8.8/hook', events: ['wave.started'], secretGiven: false } });
    expect(JSON.stringify(audit!.details)).not.toMatch(/whsec_/);
  });

  it('lists deliveries newest first with the endpoint URL', async () => {
    const db = await getDb();
    const { endpoint } = await register(['wave.started']);
    await enqueueWebhook(db, 'wave.started', { n: 1 });
    await enqueueWebhook(db, 'wave.started', { n: 2 });
    const list = await listWebhookDeliveries(db, { endpointId: endpoint.id });
    expect(list.map((d) => d.endpointUrl)).toEqual([endpoint.url, endpoint.url]);
    expect(list[0]!.id).toBeGreaterThan(list[1]!.id);
  });
});
