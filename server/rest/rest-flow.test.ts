import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../config';
import { getDb } from '../db';
import { recordKnownConfig } from '../testing/factories';
import { callRest, makeApiToken } from '../testing/rest';

/** The README's curl script, in process: upload → compose → campaign → deploy → progress, with one operator token. */
describe('the REST API from a package upload to a deployed campaign and its progress', () => {
  let operator: string;
  let operatorName: string;
  let admin: string;
  const marker = randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase();
  const vins = [1, 2, 3].map((i) => `RF${marker}${i}`);

  beforeAll(async () => {
    const made = await makeApiToken('operator');
    operator = made.token;
    operatorName = made.apiToken.name;
    admin = (await makeApiToken('admin')).token;
  });

  it('goes the whole way with only a token, and the audit log names the token', async () => {
    const imported = await callRest('POST', '/vehicles/import', { token: operator, json: { csv: `vin,model,region\n${vins.map((v) => `${v},Aurora EV,EU`).join('\n')}\n`, fileName: 'rest.csv' } });
    expect(await imported.json()).toEqual({ imported: 3, vins });
    // As if each had reported its configuration since (a campaign is offered to vehicles whose configuration is known).
    await recordKnownConfig(await getDb(), vins, { ecus: { '1': '1.0.0' }, availableMb: 2048 });

    const bytes = randomBytes(200_000);
    const uploaded = await callRest('POST', `/software-packages?${new URLSearchParams({ name: `BCM ${marker}`, version: '3.1.0', targetEcu: '1', fileName: 'bcm-3.1.0.bin' })}`, {
      token: operator,
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    });
    expect(uploaded.status).toBe(201);
    const { package: sp } = await uploaded.json();
    expect(sp).toMatchObject({ name: `BCM ${marker}`, version: '3.1.0', length: 200_000, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(await (await callRest('GET', `/software-packages/${sp.id}`, { token: operator })).json()).toEqual(sp);

    const composed = await callRest('POST', '/vehicle-packages', { token: operator, json: { name: `Aurora ${marker}`, version: '3.1', softwarePackageIds: [sp.id] } });
    expect(composed.status).toBe(201);
    const vp = await composed.json();
    const listed = await (await callRest('GET', '/vehicle-packages?limit=200', { token: operator })).json();
    expect(listed.items.find((p: { id: number }) => p.id === vp.id)).toMatchObject({ softwarePackages: [expect.objectContaining({ id: sp.id })] });

    const draft = {
      name: `REST rollout ${marker}`,
      vehiclePackageId: vp.id,
      priority: 1,
      reproPolicy: { consent: 'none', maxRetries: 2, transports: ['any'], minFreeStorageMb: 0 },
      requiresConsent: false,
      hmiTexts: [{ locale: 'en', title: 'Body control update', body: '' }],
      defaultLocale: 'en',
      startsAt: null,
      endsAt: null,
      target: { vins, filter: null },
    };
    const created = await callRest('POST', '/campaigns', { token: operator, json: draft });
    expect(created.status).toBe(201);
    const { id, vehicleCount } = await created.json();
    expect(vehicleCount).toBe(3);

    const deployed = await callRest('POST', `/campaigns/${id}/deploy`, { token: operator });
    expect(await deployed.json()).toMatchObject({ from: 'Draft', status: 'Deployed', queuedCommands: 3 });
    const again = await callRest('POST', `/campaigns/${id}/deploy`, { token: operator });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('CONFLICT');

    const progress = await (await callRest('GET', `/campaigns/${id}`, { token: operator })).json();
    expect(progress).toMatchObject({ id, status: 'Deployed', counts: { total: 3 }, completedPercent: 0, waves: expect.objectContaining({ waves: expect.any(Array) }), failures: [] });

    const running = await (await callRest('GET', `/campaigns?status=Deployed&limit=200`, { token: operator })).json();
    expect(running.items.map((c: { id: number }) => c.id)).toContain(id);

    const csv = await callRest('GET', `/campaigns/${id}/vehicles.csv`, { token: operator });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(vins);

    expect(await (await callRest('POST', `/campaigns/${id}/retry-failed`, { token: operator })).json()).toEqual({ retried: 0, queuedCommands: 0, waitingForWave: 0 });
    expect(await (await callRest('POST', `/campaigns/${id}/retry-failed`, { token: operator, json: { errorCode: 'E42' } })).json()).toMatchObject({ retried: 0 });

    const commands = await (await callRest('GET', `/commands?vin=${vins[0]}`, { token: operator })).json();
    expect(commands).toMatchObject({ items: [expect.objectContaining({ vin: vins[0], campaignId: id, status: 'pending', createdBy: `token:${operatorName}` })], nextCursor: null, total: 1 });
    expect(await (await callRest('POST', `/commands/${commands.items[0].id}/cancel`, { token: operator })).json()).toEqual({ id: commands.items[0].id, status: 'cancelled' });
    const requeued = await callRest('POST', '/commands', { token: operator, json: { vin: vins[0], campaignId: id } });
    expect(requeued.status).toBe(201);

    expect(await (await callRest('POST', `/campaigns/${id}/suspend`, { token: operator })).json()).toMatchObject({ status: 'Suspended' });
    expect(await (await callRest('POST', `/campaigns/${id}/resume`, { token: operator })).json()).toMatchObject({ status: 'Deployed' });

    const audit = await (await callRest('GET', '/audit-log?limit=50', { token: admin })).json();
    const mine = audit.items.filter((e: { actorEmail: string }) => e.actorEmail === `token:${operatorName}`).map((e: { action: string }) => e.action);
    expect(mine).toEqual(
      expect.arrayContaining(['vehicle.import', 'package.upload', 'package.compose', 'campaign.create', 'campaign.deploy', 'command.cancel', 'command.queue', 'campaign.suspend', 'campaign.resume']),
    );
  });

  it('reads a vehicle, its update history and its action overrides, and sets and clears one', async () => {
    const [vin] = vins;
    expect(await (await callRest('GET', `/vehicles/${vin}`, { token: operator })).json()).toMatchObject({ identity: { vin, model: 'Aurora EV', region: 'EU' } });
    expect(await (await callRest('GET', `/vehicles/${vin}/update-history`, { token: operator })).json()).toMatchObject({ campaigns: expect.any(Array) });
    const set = await callRest('PUT', `/vehicles/${vin}/action-overrides/GetActionCycle`, { token: operator, json: { value: 120 } });
    expect(await set.json()).toEqual({ ok: true, previous: null });
    const settings = await (await callRest('GET', `/vehicles/${vin}/action-overrides`, { token: operator })).json();
    expect(settings.find((s: { actionId: string }) => s.actionId === 'GetActionCycle')).toMatchObject({ override: 120 });
    expect(await (await callRest('DELETE', `/vehicles/${vin}/action-overrides/GetActionCycle`, { token: operator })).json()).toEqual({ ok: true, cleared: true });
    const unknown = await callRest('GET', `/vehicles/NOPE${marker}`, { token: operator });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: `vehicle NOPE${marker} does not exist`, details: [] } });
  });

  it('pages a list with cursors until nextCursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await callRest('GET', `/vehicles?q=RF${marker}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: operator });
      const page = await res.json();
      expect(page.total).toBe(3);
      seen.push(...page.items.map((v: { vin: string }) => v.vin));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(vins);

    const first = await (await callRest('GET', '/audit-log?limit=1', { token: admin })).json();
    const second = await (await callRest('GET', `/audit-log?limit=1&cursor=${first.nextCursor}`, { token: admin })).json();
    expect(second.items[0].id).toBeLessThan(first.items[0].id);

    const bad = await callRest('GET', '/vehicles?cursor=bm9wZQ', { token: operator });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'cursor', message: 'unknown cursor' }] });
  });
});

describe('REST errors: the one error shape', () => {
  let operator: string;
  beforeAll(async () => {
    operator = (await makeApiToken('operator')).token;
  });
  const originalLimit = process.env.PACKAGE_UPLOAD_MAX_BYTES;
  afterEach(() => {
    if (originalLimit === undefined) delete process.env.PACKAGE_UPLOAD_MAX_BYTES;
    else process.env.PACKAGE_UPLOAD_MAX_BYTES = originalLimit;
    resetConfig();
  });

  it('names each field at fault, refuses bad JSON, unknown paths and methods', async () => {
    const invalid = await callRest('POST', '/vehicle-packages', { token: operator, json: { name: '', version: '1', softwarePackageIds: [] } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: 'body.name: Enter a name; body.softwarePackageIds: Choose at least one software package',
        details: [
          { path: 'body.name', message: 'Enter a name' },
          { path: 'body.softwarePackageIds', message: 'Choose at least one software package' },
        ],
      },
    });
    const badJson = await callRest('POST', '/campaigns', { token: operator, body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(await badJson.json()).toMatchObject({ error: { code: 'INVALID_JSON' } });
    const badLimit = await callRest('GET', '/campaigns?limit=500', { token: operator });
    expect((await badLimit.json()).error.details).toEqual([{ path: 'query.limit', message: expect.stringContaining('200') }]);
    const nowhere = await callRest('GET', '/nowhere', { token: operator });
    expect(nowhere.status).toBe(404);
    expect((await nowhere.json()).error.message).toBe('There is no operation at /api/v1/nowhere; the list is at /api/v1/openapi.json.');
    const wrongMethod = await callRest('DELETE', '/campaigns', { token: operator });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
  });

  it('refuses an upload over the dashboard’s limit with 413 and stores nothing', async () => {
    process.env.PACKAGE_UPLOAD_MAX_BYTES = '1000';
    resetConfig();
    const name = `Too big ${randomUUID().slice(0, 6)}`;
    const res = await callRest('POST', `/software-packages?${new URLSearchParams({ name, version: '1', targetEcu: '1', fileName: 'big.bin' })}`, {
      token: operator,
      body: randomBytes(5000),
      headers: { 'content-length': '5000' },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('PACKAGE_UPLOAD_MAX_BYTES') });
    const list = await (await callRest('GET', '/software-packages?limit=200', { token: operator })).json();
    expect(list.items.map((p: { name: string }) => p.name)).not.toContain(name);
    const missing = await callRest('POST', '/software-packages?name=x', { token: operator, body: 'abc' });
    expect((await missing.json()).error).toMatchObject({ code: 'INVALID_REQUEST', details: expect.arrayContaining([{ path: 'query.version', message: 'version is missing' }]) });
  });
});
