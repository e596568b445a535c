import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../config';
import { callRest, makeApiToken } from '../testing/rest';

const saved = process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
const allowPrivate = (value: string) => {
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = value;
  resetConfig();
};

/** A ticketing system registers itself for failures with an admin token, as `POST /api/v1/webhooks` in the issue. */
describe('webhooks over the REST API', () => {
  let admin: string;
  let adminName: string;
  let operator: string;

  beforeAll(async () => {
    const made = await makeApiToken('admin');
    admin = made.token;
    adminName = made.apiToken.name;
    operator = (await makeApiToken('operator')).token;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
    else process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = saved;
    resetConfig();
  });

  it('registers a receiver, shows its secret once, lists it without, and disables it', async () => {
    allowPrivate('true');
    const created = await callRest('POST', '/webhooks', { token: admin, json: { url: 'http://127.0.0.1:9/ota-hook', events: ['vehicle.update_failed', 'campaign.suspended'] } });
    expect(created.status).toBe(201);
    const { endpoint, secret } = await created.json();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(endpoint).toMatchObject({ url: 'http://127.0.0.1:9/ota-hook', events: ['vehicle.update_failed', 'campaign.suspended'], enabled: true, createdBy: `token:${adminName}` });

    const listed = await (await callRest('GET', '/webhooks?limit=200', { token: admin })).json();
    const mine = listed.items.find((e: { id: number }) => e.id === endpoint.id);
    expect(mine).toMatchObject({ url: endpoint.url, enabled: true });
    expect(JSON.stringify(listed)).not.toContain(secret);

    const disabled = await callRest('POST', `/webhooks/${endpoint.id}/disable`, { token: admin });
    expect(await disabled.json()).toMatchObject({ id: endpoint.id, enabled: false });
    const deliveries = await (await callRest('GET', `/webhooks/deliveries?endpointId=${endpoint.id}`, { token: admin })).json();
    expect(deliveries).toEqual({ items: [], nextCursor: null });
    expect((await callRest('DELETE', `/webhooks/${endpoint.id}`, { token: admin })).status).toBe(200);
  });

  it('refuses an operator, an unknown event type and a private address when private networks are not allowed', async () => {
    allowPrivate('false');
    expect((await callRest('POST', '/webhooks', { token: operator, json: { url: 'https://hooks.example.com/ota', events: ['wave.started'] } })).status).toBe(403);
    const badType = await callRest('POST', '/webhooks', { token: admin, json: { url: 'https://hooks.example.com/ota', events: ['vehicle.exploded'] } });
    expect(badType.status).toBe(400);
    expect((await badType.json()).error.details[0].path).toMatch(/^body\.events/);
    const loopback = await callRest('POST', '/webhooks', { token: admin, json: { url: 'http://127.0.0.1:9/ota-hook', events: ['wave.started'] } });
    expect(loopback.status).toBe(400);
    expect((await loopback.json()).error.message).toMatch(/private|loopback/i);
  });
});
