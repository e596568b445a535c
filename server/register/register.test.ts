import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempts, campaignVehicles, events, softwareRegister, vehicleEcus, vehicles } from '@/db/schema';
import { getDb } from '../db';
import { runVehicleUpdate, type SimulationResult } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';

const actionsOf = async (vin: string) => {
  const body = await (await postJson('/api/ota/v1/action', { signed: { vin, primaryId: '0' } })).json();
  return Object.fromEntries((body.signed.body.actions as { actionId: string; value: number }[]).map((a) => [a.actionId, a.value]));
};

const event = (eventsType: string, status: string, extra: Record<string, unknown> = {}) => ({
  eventsUuid: randomUUID().replaceAll('-', ''),
  eventsType,
  eventMode: 'active',
  currentTime: { time: Math.floor(Date.now() / 1000), clockSource: 'default' },
  status,
  ...extra,
});
const notify = async (vin: string, ...list: unknown[]) => {
  const res = await postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: list } });
  expect(res.status).toBe(200);
};
const uploadConfig = async (vin: string, augmentedManifest: Record<string, unknown>, ecuVersionManifests: unknown[] = [{ ecuId: '1', softwareVersion: '1.0.0' }]) => {
  const res = await postJson('/api/ota/v1/config', {
    signed: { vin, primaryId: '0', ecuVersionManifests, clientDigest: randomUUID(), augmentedManifest: { packageStorage: { used: 1, available: 4096 }, ...augmentedManifest } },
  });
  expect(res.status).toBe(200);
  return (await res.json()).signed.body.augmentedMetadata.signed.body.selectedCampaign.campaignId as number;
};

describe('a completed update: the vehicle’s state, the register row and the configuration check after it', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let vin: string;
  let campaignId: number;
  let sha256: string;
  let result: SimulationResult;

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    [vin] = (await makeVehicles(db, 1)) as [string];
    const made = await makeDeployedCampaign(db, [vin], { size: 20_000, packageRxswin: 'R156-TEST-0002', requiresConsent: true, hmiTexts: { en: { title: 'Update', body: 'Fixes.' } } });
    campaignId = made.campaign.id;
    sha256 = made.softwarePackage.sha256;
    result = await runVehicleUpdate({ baseUrl: server.url, vin });
  });
  afterAll(() => server?.close());

  it('records one register row, 1.0.0 → the package version, RXSWIN before and after, with the package hashes', async () => {
    expect(result.outcome).toBe('completed');
    const rows = await (await getDb()).select().from(softwareRegister).where(eq(softwareRegister.vin, vin));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      campaignId,
      attemptId: result.attemptId,
      outcome: 'completed',
      errorCodes: [],
      ecus: [{ ecuId: '1', before: '1.0.0', after: '1.20000.0', updateStatus: 'success', errorCodes: [] }],
      rxswinBefore: ['R156-DEMO-0001 (ECU 1)'],
      rxswinAfter: ['R156-TEST-0002 (ECU 1)'],
      softwarePackages: [expect.objectContaining({ sha256, targetEcu: '1', version: '1.20000.0' })],
      vehiclePackage: expect.objectContaining({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), rxswin: 'R156-TEST-0002' }),
    });
    expect(row.compatibility).toMatchObject({ status: 'ok', snapshot: { ecus: [{ ecuId: '1', version: '1.0.0' }], availableMb: 2048, locale: 'en-US' } });
    expect(row.consent).toMatchObject({ required: true, answer: 'accepted', locale: 'en', hmiTitle: 'Update', hmiTextVersion: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(row.consent.askedAt).not.toBeNull();
    expect(row.consent.answeredAt).not.toBeNull();
    expect(row.startedAt).not.toBeNull();
  });

  it('asked for the configuration after completion; the upload confirmed the expected versions and RXSWIN', async () => {
    expect(result.configAfter).toEqual({ ecus: [{ ecuId: '1', softwareVersion: '1.20000.0' }], rxswin: [{ rxswin: 'R156-TEST-0002', ecuId: '1' }] });
    const db = await getDb();
    const [vehicle] = await db.select().from(vehicles).where(eq(vehicles.vin, vin));
    expect(vehicle).toMatchObject({ configUploadRequestedAt: null, expectedConfig: null, configMismatch: null });
    expect((await actionsOf(vin)).CarConfigInfoUploadNecessity).toBe(0);
    const [ecu] = await db.select().from(vehicleEcus).where(eq(vehicleEcus.vin, vin));
    expect(ecu).toMatchObject({ softwareVersion: '1.20000.0', source: 'configuration' });
  });

  it('the register refuses to be changed or deleted', async () => {
    const db = await getDb();
    await expect(db.execute(sql`update software_register set outcome = 'failed' where vin = ${vin}`)).rejects.toThrow();
    await expect(db.execute(sql`delete from software_register where vin = ${vin}`)).rejects.toThrow();
    expect(await db.select().from(softwareRegister).where(eq(softwareRegister.vin, vin))).toHaveLength(1);
  });
});

describe('between completion and the next upload', () => {
  it('shows the version reported by activation, asks for the configuration, and flags an upload that differs', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign, softwarePackage } = await makeDeployedCampaign(db, [vin], { size: 1000 });
    const attemptId = `a-${randomUUID().slice(0, 8)}`;
    expect(await uploadConfig(vin, { attemptId, rxswin: ['RX-1'] })).toBe(campaign.id);
    const ecuInfo = [{ targetId: '1', ecuSoftwareId: '1', updateStatus: 'success', errorCodes: [] }];
    await notify(vin, event('activate', 'success', { attemptId, activationExtras: { updateStatus: 'success', ecuInfo } }));
    const [ecu] = await db.select().from(vehicleEcus).where(eq(vehicleEcus.vin, vin));
    expect(ecu).toMatchObject({ softwareVersion: softwarePackage.version, source: 'activation' });
    expect((await actionsOf(vin)).CarConfigInfoUploadNecessity).toBe(0);

    await notify(vin, event('updateComplete', 'success', { attemptId }));
    expect((await actionsOf(vin)).CarConfigInfoUploadNecessity).toBe(1);
    expect((await actionsOf(vin)).CarConfigInfoUploadNecessity).toBe(1);

    // The vehicle reports the old version and no RXSWIN: configuration differs from expected.
    await uploadConfig(vin, { rxswin: [] });
    const [vehicle] = await db.select().from(vehicles).where(eq(vehicles.vin, vin));
    expect(vehicle!.configMismatch).toMatchObject({
      campaignId: campaign.id,
      attemptId,
      differences: [`ECU 1: expected ${softwarePackage.version}, reported 1.0.0`, 'RXSWIN: expected RX-1, reported none'],
    });
    expect((await actionsOf(vin)).CarConfigInfoUploadNecessity).toBe(0);
    const [row] = await db.select().from(softwareRegister).where(eq(softwareRegister.vin, vin));
    expect(row).toMatchObject({ outcome: 'completed', rxswinBefore: ['RX-1'], rxswinAfter: ['RX-1'] });

    // Visible on the vehicle page, filterable on the campaign page.
    const support = await callerAs('support');
    expect((await support.vehicles.get({ vin })).configMismatch?.differences).toHaveLength(2);
    const differing = await support.campaigns.vehicles({ id: campaign.id, filter: { configDiffers: true } });
    expect(differing.rows.map((r) => [r.vin, r.configDifferences?.length])).toEqual([[vin, 2]]);
  });
});

describe('an ECU that fails inside a successful C_24', () => {
  it('fails the vehicle for the campaign with the ECU’s code, and the register says so', async () => {
    const server = await startVehicleApiServer();
    try {
      const db = await getDb();
      const [vin] = (await makeVehicles(db, 1)) as [string];
      const { campaign } = await makeDeployedCampaign(db, [vin], { size: 1000 });
      const result = await runVehicleUpdate({ baseUrl: server.url, vin, fail: { at: 'ecu', code: 7301 } });
      expect(result.outcome).toBe('failed');
      const [membership] = await db.select().from(campaignVehicles).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, campaign.id)));
      expect(membership).toMatchObject({ phase: 'failed', lastErrorCode: '7301' });
      const [ecu] = await db.select().from(vehicleEcus).where(eq(vehicleEcus.vin, vin));
      expect(ecu).toMatchObject({ softwareVersion: '1.0.0', source: 'configuration' });
      const [row] = await db.select().from(softwareRegister).where(eq(softwareRegister.vin, vin));
      expect(row).toMatchObject({ outcome: 'failed', errorCodes: ['7301'], ecus: [{ ecuId: '1', before: '1.0.0', after: '1.0.0', updateStatus: 'failure', errorCodes: ['7301'] }] });
      expect((await actionsOf(vin)).CarConfigInfoUploadNecessity).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('events the server now uses', () => {
  it('a C_28 without attemptId fails the vehicle’s open attempt; with none open it stays the vehicle’s', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin], { size: 1000 });
    const stray = event('error', 'failure', { errorCodes: [{ code: 1112, description: 'x' }], errorExtras: [{ phaseCode: 0, siteCode: 0, oemCode: 1112, targetId: '1' }] });
    await notify(vin, stray);
    const [before] = await db.select().from(events).where(eq(events.vin, vin));
    expect(before).toMatchObject({ campaignId: null, attemptId: null });

    const attemptId = `a-${randomUUID().slice(0, 8)}`;
    await uploadConfig(vin, { attemptId });
    await notify(vin, event('error', 'failure', { errorCodes: [{ code: 1113, description: 'y' }] }));
    const [membership] = await db.select().from(campaignVehicles).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, campaign.id)));
    expect(membership).toMatchObject({ phase: 'failed', lastErrorCode: '1113' });
    const [row] = await db.select().from(softwareRegister).where(eq(softwareRegister.vin, vin));
    expect(row).toMatchObject({ attemptId, outcome: 'failed', errorCodes: ['1113'] });
  });

  it('C_20 and C_23 move install and activation progress, never backwards; C_09 and C_16 codes count', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin], { size: 1000 });
    const attemptId = `a-${randomUUID().slice(0, 8)}`;
    await uploadConfig(vin, { attemptId });
    const progress = (bytes: number) => event('installation', 'inProgress', { attemptId, installProgressExtras: { numEcus: 1, completeEcus: 0, ecuProgress: [{ totalBytes: 200, targetId: '1', bytesProcessed: bytes }] } });
    await notify(vin, progress(100));
    await notify(vin, progress(50));
    await notify(vin, event('activate', 'inProgress', { attemptId, activateProgressExtras: { totalActivation: 4, completeActivation: 1 } }));
    const member = async () => (await db.select().from(campaignVehicles).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, campaign.id))))[0]!;
    expect(await member()).toMatchObject({ phase: 'activating', installProgress: 50, activationProgress: 25 });

    await notify(vin, event('tracking', 'success', { attemptId, trackingExtras: { fileId: '1', result: 'failure', fileSize: 4 } }));
    await notify(vin, event('download', 'failure', { attemptId, downloadExtras: { oemErrors: [{ phaseCode: 1, siteCode: 2, oemCode: 0, targetId: '1' }] } }));
    expect(await member()).toMatchObject({ phase: 'failed', lastErrorCode: 'C_09_FAILURE' });
  });

  it('an attemptId named after a campaign is never tied to a different campaign', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const high = await makeDeployedCampaign(db, [vin], { size: 1000, priority: 9 });
    const low = await makeDeployedCampaign(db, [vin], { size: 1000, priority: 1 });
    // The vehicle prefers `low` and names its attempt after it, but `low` is blocked (no free storage): C_05 selects `high`.
    await db.update(campaignVehicles).set({ phase: 'completed' }).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, low.campaign.id)));
    expect(await uploadConfig(vin, { attemptId: String(low.campaign.id), preferredCampaignId: low.campaign.id })).toBe(high.campaign.id);
    const tied = await db.select().from(attempts).where(eq(attempts.vin, vin));
    expect(tied.filter((a) => a.campaignId === high.campaign.id)).toEqual([]);
  });
});
