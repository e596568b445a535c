import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSnapshots, events, logUploads, vehicles } from '@/db/schema';
import { getDb } from '../db';
import { signUrl } from '../storage/signed-url';
import { makeDeployedCampaign, makeVehicles, uniqueVin } from '../testing/factories';
import { callVehicleApi, postJson, TEST_ORIGIN } from '../testing/vehicle-client';
import { errorResponse } from '../http/endpoint';
import { MAX_JSON_BYTES } from './http';

const event = (over: Record<string, unknown> = {}) => ({
  eventsUuid: 'a1',
  eventsType: 'download',
  status: 'started',
  currentTime: { time: 1696928154, clockSource: 'default' },
  ...over,
});

/** The same URL with the first digit of its signature changed. */
const forge = (url: string) => url.replace(/signature=(.)/, (_, c: string) => `signature=${c === '0' ? '1' : '0'}`);

type Case = {
  name: string;
  request: () => Promise<Response>;
  status: number;
  code: string;
  details?: string[];
};

describe('bad input gets its JSON error and stores nothing', () => {
  let vin: string;
  let downloadUrl: string;
  let softwarePackageId: number;

  beforeAll(async () => {
    const db = await getDb();
    [vin] = (await makeVehicles(db, 1, {}, null)) as [string];
    const made = await makeDeployedCampaign(db, [vin]);
    softwarePackageId = made.softwarePackage.id;
    downloadUrl = signUrl(TEST_ORIGIN, 'GET', `/cdn/v1/software-packages/${softwarePackageId}`, 60).replace(TEST_ORIGIN, '');
  });

  const cases: Case[] = [
    {
      name: 'unparseable JSON',
      request: () => callVehicleApi('/api/ota/v1/notification', { body: `{"signed": {"vin": "${vin}", "events": [{"eventsUuid": ` }),
      status: 400,
      code: 'INVALID_JSON',
    },
    { name: 'an empty body', request: () => callVehicleApi('/api/ota/v1/command', { body: '' }), status: 400, code: 'INVALID_JSON' },
    {
      name: 'a batch with one bad event among good ones',
      request: () => postJson('/api/ota/v1/notification', { signed: { vin, primaryId: 0, events: [event(), event({ eventsUuid: undefined, currentTime: { time: 'soon' } })] } }),
      status: 400,
      code: 'INVALID_REQUEST',
      details: ['signed.events.1.eventsUuid', 'signed.events.1.currentTime.time'],
    },
    {
      name: 'a VIN with forbidden characters',
      request: () => postJson('/api/ota/v1/config', { signed: { vin: 'bad vin!', primaryId: '0' } }),
      status: 400,
      code: 'INVALID_REQUEST',
      details: ['signed.vin'],
    },
    { name: 'no signed object', request: () => postJson('/api/ota/v1/action', { vin }), status: 400, code: 'INVALID_REQUEST', details: ['signed'] },
    {
      name: 'a campaignId that is not a number',
      request: () => postJson('/api/ota/v1/campaign-validity', { signed: { vin, primaryId: '0', campaignId: 'eighteen' } }),
      status: 400,
      code: 'INVALID_REQUEST',
      details: ['signed.campaignId'],
    },
    {
      name: 'a campaignId beyond the integer range',
      request: () => postJson('/api/ota/v1/campaign-validity', { signed: { vin, primaryId: '0', campaignId: 2 ** 31 } }),
      status: 400,
      code: 'INVALID_REQUEST',
      details: ['signed.campaignId'],
    },
    {
      name: 'an event time beyond the year 9999',
      request: () => postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [event({ currentTime: { time: 1e16 } })] } }),
      status: 400,
      code: 'INVALID_REQUEST',
      details: ['signed.events.0.currentTime.time'],
    },
    {
      name: 'an event without currentTime',
      request: () => postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [event({ currentTime: undefined })] } }),
      status: 400,
      code: 'INVALID_REQUEST',
      details: ['signed.events.0.currentTime'],
    },
    {
      name: 'a log file name of dots',
      request: () => postJson('/api/ota/v1/log-upload-url', { signed: { vin, primaryId: '0', fileName: '..' } }),
      status: 400,
      code: 'INVALID_REQUEST',
      details: ['signed.fileName'],
    },
    {
      name: 'an escaped lone surrogate in an event field',
      request: () =>
        callVehicleApi('/api/ota/v1/notification', {
          body: `{"signed": {"vin": "${vin}", "primaryId": "0", "events": [{"eventsUuid": "s1", "eventsType": "note", "status": "x", "currentTime": {"time": 1}, "text": "a\\ud800b"}]}}`,
        }),
      status: 400,
      code: 'INVALID_JSON',
      details: ['signed.events.0.text'],
    },
    {
      name: 'an escaped lone low surrogate in a key of the configuration',
      request: () => callVehicleApi('/api/ota/v1/config', { body: `{"signed": {"vin": "${vin}", "primaryId": "0", "augmentedManifest": {"\\udc00": 1}}}` }),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'JSON nested 2,500 levels deep',
      request: () => callVehicleApi('/api/ota/v1/action', { body: `{"signed": {"vin": "${vin}", "primaryId": "0", "deep": ${'['.repeat(2500)}${']'.repeat(2500)}}}` }),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'JSON nested 2,500 levels deep in an event',
      request: () =>
        callVehicleApi('/api/ota/v1/notification', {
          body: `{"signed": {"vin": "${vin}", "primaryId": "0", "events": [{"eventsUuid": "d1", "eventsType": "note", "status": "x", "currentTime": {"time": 1}, "x": ${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}}]}}`,
        }),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'a number beyond the double range (1e309) as a download figure',
      request: () =>
        callVehicleApi('/api/ota/v1/notification', {
          body: `{"signed": {"vin": "${vin}", "primaryId": "0", "events": [{"eventsUuid": "n1", "eventsType": "download", "status": "progress", "currentTime": {"time": 1}, "downloadExtras": {"bytesDownloaded": 1e309, "downloadSize": 10}}]}}`,
        }),
      status: 400,
      code: 'INVALID_JSON',
      details: ['signed.events.0.downloadExtras.bytesDownloaded'],
    },
    { name: 'a GET to a POST endpoint', request: () => callVehicleApi('/api/ota/v1/command'), status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'a path below an endpoint', request: () => callVehicleApi('/api/ota/v1/command/extra', { body: '{}' }), status: 404, code: 'NOT_FOUND' },
    { name: 'an unknown VIN polling actions', request: () => postJson('/api/ota/v1/action', { signed: { vin: 'UNKNOWN0000000001', primaryId: '0' } }), status: 404, code: 'UNKNOWN_VEHICLE' },
    { name: 'an unknown VIN polling commands', request: () => postJson('/api/ota/v1/C_36', { signed: { vin: 'UNKNOWN0000000001', primaryId: '0' } }), status: 404, code: 'UNKNOWN_VEHICLE' },
    {
      name: 'an unknown VIN uploading its configuration',
      request: () => postJson('/api/ota/v1/config', { signed: { vin: 'UNKNOWN0000000001', primaryId: '0', ecuVersionManifests: [] } }),
      status: 404,
      code: 'UNKNOWN_VEHICLE',
    },
    {
      name: 'an unknown VIN reporting events',
      request: () => postJson('/api/ota/v1/notification', { signed: { vin: 'UNKNOWN0000000001', primaryId: '0', events: [event()] } }),
      status: 404,
      code: 'UNKNOWN_VEHICLE',
    },
    { name: 'an unknown campaign on the CDN', request: () => callVehicleApi('/cdn/v1/campaigns/999999/repro-policy'), status: 404, code: 'NOT_FOUND' },
    { name: 'an unknown endpoint', request: () => postJson('/api/ota/v1/C_99', { signed: { vin } }), status: 404, code: 'NOT_FOUND' },
    {
      name: 'completing an upload that does not exist',
      request: () => postJson('/api/ota/v1/log-upload-complete', { signed: { vin, primaryId: '0', uploadId: 'no-such-upload' } }),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'a JSON body over 1 MiB',
      request: () => postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [event({ padding: 'x'.repeat(MAX_JSON_BYTES) })] } }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'a log larger than it may be',
      request: () => postJson('/api/ota/v1/log-upload-url', { signed: { vin, primaryId: '0', fileSize: 10 * 1024 * 1024 * 1024 } }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    { name: 'a download URL without signature', request: () => callVehicleApi(downloadUrl.split('?')[0]!), status: 403, code: 'URL_SIGNATURE_INVALID' },
    { name: 'a forged download signature', request: () => callVehicleApi(forge(downloadUrl)), status: 403, code: 'URL_SIGNATURE_INVALID' },
    {
      name: 'a signature moved to another package',
      request: () => callVehicleApi(downloadUrl.replace(`/software-packages/${softwarePackageId}`, `/software-packages/${softwarePackageId + 1}`)),
      status: 403,
      code: 'URL_SIGNATURE_INVALID',
    },
    {
      name: 'an expired download URL',
      request: () => callVehicleApi(signUrl('', 'GET', `/cdn/v1/software-packages/${softwarePackageId}`, 60, Date.now() - 3_600_000)),
      status: 403,
      code: 'URL_SIGNATURE_INVALID',
    },
    {
      name: 'a download URL used to upload',
      request: () => callVehicleApi(downloadUrl.replace('/cdn/v1/software-packages/', '/api/ota/v1/log-uploads/'), { method: 'PUT', body: 'x' }),
      status: 403,
      code: 'URL_SIGNATURE_INVALID',
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const db = await getDb();
    const counts = async () => {
      const [row] = await db.execute(sql`select
        (select count(*) from events)::int as events,
        (select count(*) from config_snapshots)::int as snapshots,
        (select count(*) from vehicles)::int as vehicles,
        (select count(*) from log_uploads)::int as logs`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows));
      return row;
    };
    const [mine] = await db.select({ lastSeenAt: vehicles.lastSeenAt }).from(vehicles).where(eq(vehicles.vin, vin));
    const before = await counts();

    const res = await c.request();
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await res.json();
    expect(body.error).toMatchObject({ code: c.code, message: expect.any(String), details: expect.any(Array) });
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    if (c.details) expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(c.details));

    // PostgreSQL in CI is shared by parallel test files: only this test's vehicle is compared exactly.
    if (!process.env.DATABASE_URL) expect(await counts()).toEqual(before);
    expect(await db.select().from(events).where(eq(events.vin, vin))).toHaveLength(0);
    expect(await db.select().from(configSnapshots).where(eq(configSnapshots.vin, vin))).toHaveLength(0);
    expect(await db.select().from(logUploads).where(eq(logUploads.vin, vin))).toHaveLength(0);
    expect(await db.select().from(vehicles).where(eq(vehicles.vin, 'UNKNOWN0000000001'))).toHaveLength(0);
    if (c.status !== 404 || c.code !== 'UNKNOWN_VEHICLE') {
      const [now] = await db.select({ lastSeenAt: vehicles.lastSeenAt }).from(vehicles).where(eq(vehicles.vin, vin));
      if (c.code !== 'URL_SIGNATURE_INVALID' && c.code !== 'NOT_FOUND' && c.code !== 'PAYLOAD_TOO_LARGE') expect(now).toEqual(mine);
    }
  });

  it('answers a forged log upload PUT with 403 and keeps no file', async () => {
    const answer = await postJson('/api/ota/v1/log-upload-url', { signed: { vin, primaryId: '0', fileName: 'x.log' } });
    const { uploadId, uploadUrl } = (await answer.json()).signed.body;
    const forged = forge(uploadUrl.replace(TEST_ORIGIN, ''));
    const res = await callVehicleApi(forged, { method: 'PUT', body: 'hello' });
    expect(res.status).toBe(403);
    const [upload] = await (await getDb()).select().from(logUploads).where(eq(logUploads.uploadId, uploadId));
    expect(upload).toMatchObject({ status: 'requested', size: null });
  });

  it('accepts fractional storage megabytes and keeps them exactly', async () => {
    const res = await postJson('/api/ota/v1/config', { signed: { vin, primaryId: '0', augmentedManifest: { packageStorage: { used: 100.5, available: 2047.25 } } } });
    expect(res.status).toBe(200);
    const [snapshot] = await (await getDb()).select().from(configSnapshots).where(eq(configSnapshots.vin, vin));
    expect(snapshot).toMatchObject({ storageUsedMb: 100.5, storageAvailableMb: 2047.25 });
    await (await getDb()).delete(configSnapshots).where(eq(configSnapshots.vin, vin));
  });

  it('refuses U+0000 but accepts the text \\u0000 (an escaped backslash) in a string', async () => {
    const nul = await callVehicleApi('/api/ota/v1/log-upload-url', { body: `{"signed": {"vin": "${vin}", "primaryId": "0", "logType": "a\\u0000b"}}` });
    expect(nul.status).toBe(400);
    const text = await callVehicleApi('/api/ota/v1/notification', {
      body: `{"signed": {"vin": "${vin}", "primaryId": "0", "events": [{"eventsUuid": "esc", "eventsType": "note", "status": "x", "currentTime": {"time": 1}, "text": "C:\\\\u0000"}]}}`,
    });
    expect(text.status).toBe(200);
    await (await getDb()).delete(events).where(eq(events.vin, vin));
  });

  it('accepts a surrogate pair (an emoji written as two escapes) and 63 levels of nesting', async () => {
    const nested = `${'['.repeat(60)}1${']'.repeat(60)}`;
    const res = await callVehicleApi('/api/ota/v1/notification', {
      body: `{"signed": {"vin": "${vin}", "primaryId": "0", "events": [{"eventsUuid": "ok1", "eventsType": "note", "status": "x", "currentTime": {"time": 1}, "text": "\\ud83d\\ude97", "deep": ${nested}}]}}`,
    });
    expect(res.status).toBe(200);
    await (await getDb()).delete(events).where(eq(events.vin, vin));
  });

  it('answers an unexpected failure with INTERNAL and a request id, never the stack', async () => {
    const res = errorResponse(new Error('secret detail at /srv/app/server/x.ts:12'));
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: 'INTERNAL', requestId: expect.any(String) });
    expect(body.error.message).toContain(body.error.requestId);
    expect(JSON.stringify(body)).not.toContain('secret detail');
  });

  it('registers an unknown VIN on first contact when auto-registration is on', async () => {
    const { resetConfig } = await import('../config');
    process.env.AUTO_REGISTER_VEHICLES = 'true';
    resetConfig();
    try {
      const newcomer = uniqueVin('AUTO');
      const res = await postJson('/api/ota/v1/action', { signed: { vin: newcomer, primaryId: '7' } });
      expect(res.status).toBe(200);
      const [row] = await (await getDb()).select().from(vehicles).where(eq(vehicles.vin, newcomer));
      expect(row).toMatchObject({ primaryId: '7', lastSeenAt: expect.any(Date) });
    } finally {
      delete process.env.AUTO_REGISTER_VEHICLES;
      resetConfig();
    }
  });
});
