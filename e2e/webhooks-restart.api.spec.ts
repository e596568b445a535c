// A webhook survives a kill -9: the change and its outbox row commit together, the server dies
// before the delivery goes out, and the restarted server sends it — once.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { verifyWebhookSignature } from '@/server/webhooks/signature';
import { signIn, trpcOn } from './api-session';
import { startProductionInstance, type Instance } from './production-instance';

const admin = { email: 'admin@example.com', password: 'ota-admin' };

/** A port nothing listens on yet (the receiver comes up there later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

test.describe('webhooks across a crash', () => {
  test.describe.configure({ timeout: 300_000 });
  let instance: Instance | undefined;
  let receiver: ReturnType<typeof createServer> | undefined;
  test.afterAll(async () => {
    await instance?.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  test('a status change committed before a kill -9 is delivered once after the restart, signed', async () => {
    const port = Number(process.env.E2E_PORT ?? 3210) + 5;
    const env = {
      // Its own embedded database (the demo fleet and accounts), kept across the restart.
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ota-webhook-kill-')),
      DEMO_DATA: 'true',
      URL_SIGNING_SECRET: 'kill-url-signing-secret-0123456789abcdef',
      NEXTAUTH_SECRET: 'kill-nextauth-secret-0123456789abcdefghij',
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'debug',
    };
    // Embedded in both CI passes: a database of its own that outlives the process (not the suite's PostgreSQL, whose server would send too).
    const unset = ['DATABASE_URL', 'E2E_DATABASE_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', 'METRICS_TOKEN'];
    instance = await startProductionInstance(port, env, unset);
    const cookie = await signIn(instance.url, admin);
    const trpc = trpcOn(cookie);

    // The receiver is down: the first tries fail (connection refused) and are rescheduled.
    const receiverPort = await freePort();
    const { secret } = await trpc.mutation(instance.url, 'webhooks.create', { url: `http://127.0.0.1:${receiverPort}/ota-events`, events: ['campaign.status_changed'] });
    const { rows } = await trpc.query(instance.url, 'campaigns.list', { status: 'Deployed' });
    const campaign = rows[0];
    expect(campaign, 'the demo fleet has a deployed campaign').toBeDefined();
    expect(await trpc.mutation(instance.url, 'campaigns.transition', { id: campaign.id, action: 'suspend' })).toMatchObject({ status: 'Suspended' });

    // kill -9 right after the commit: no shutdown code runs.
    await instance.kill();
    instance = undefined;

    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(receiverPort, '127.0.0.1', resolve));

    instance = await startProductionInstance(port, env, unset);
    await expect.poll(() => received.length, { timeout: 60_000, intervals: [500] }).toBeGreaterThanOrEqual(1);
    const [got] = received;
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({ type: 'campaign.status_changed', data: { campaignId: campaign.id, from: 'Deployed', to: 'Suspended', actor: admin.email } });
    expect(got!.headers['x-ota-delivery']).toBe(body.id);
    expect(verifyWebhookSignature(secret, got!.body, got!.headers['x-ota-signature'] as string)).toBe(true);

    // Once: the sender keeps running, and the delivery shows as delivered on the Admin page's list.
    await new Promise((r) => setTimeout(r, 5000));
    expect(received).toHaveLength(1);
    const deliveries = await trpc.query(instance.url, 'webhooks.deliveries', {});
    expect(deliveries).toEqual([expect.objectContaining({ eventId: body.id, status: 'delivered', lastStatusCode: 200 })]);
    expect(deliveries[0].attempts).toBeGreaterThanOrEqual(1);

    // The logs are JSON lines (stdout is not a terminal here), with a request id on vehicle requests.
    const health = await fetch(`${instance.url}/api/health`, { headers: { 'x-request-id': 'kill-test-42' } });
    expect(health.headers.get('x-request-id')).toBe('kill-test-42');
    await expect.poll(() => instance!.output().split('\n').some((l) => l.includes('"requestId":"kill-test-42"') && l.includes('"endpoint":"/api/health"')), { timeout: 5000 }).toBe(true);
    const lines = instance.output().split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(instance.output()).not.toContain(secret);
  });
});
