import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignVehicles, commands } from '@/db/schema';
import { createCampaign, transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { makePackage, makeVehicles } from '../testing/factories';
import { postJson } from '../testing/vehicle-client';

const body = async (res: Response) => {
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json.signed.body;
};
const upload = (vin: string, version: string, availableMb: number) =>
  postJson('/api/ota/v1/config', {
    signed: { vin, primaryId: '0', ecuVersionManifests: [{ ecuId: '1', softwareVersion: version }], augmentedManifest: { packageStorage: { used: 10, available: availableMb } } },
  });
const actions = async (vin: string) =>
  Object.fromEntries(((await body(await postJson('/api/ota/v1/action', { signed: { vin, primaryId: '0' } }))).actions as { actionId: string; value: number }[]).map((a) => [a.actionId, a.value]));

describe('compatibility before an update is issued', () => {
  let campaignId: number;
  let ok: string, wrongVersion: string, lowStorage: string, missingEcu: string, unknown: string;

  beforeAll(async () => {
    const db = await getDb();
    [ok] = (await makeVehicles(db, 1, {}, { ecus: { '1': '1.0.0' }, availableMb: 2048 })) as [string];
    [wrongVersion] = (await makeVehicles(db, 1, {}, { ecus: { '1': '0.9.0' }, availableMb: 2048 })) as [string];
    [lowStorage] = (await makeVehicles(db, 1, {}, { ecus: { '1': '1.0.0' }, availableMb: 50 })) as [string];
    [missingEcu] = (await makeVehicles(db, 1, {}, { ecus: { BMS: '3' }, availableMb: 2048 })) as [string];
    [unknown] = (await makeVehicles(db, 1, {}, null)) as [string];
    const { vehiclePackage } = await makePackage(db, 4096);
    const campaign = await createCampaign(db, {
      name: 'Needs ECU 1 at 1.0.0 and 100 MB',
      vehiclePackageId: vehiclePackage.id,
      vins: [ok, wrongVersion, lowStorage, missingEcu, unknown],
      preconditions: { ecus: [{ ecuId: '1', versions: ['1.0.0'] }], minFreeStorageMb: 100 },
      requiresConsent: true,
    });
    campaignId = campaign.id;
    await db.transaction((tx) => transitionCampaign(tx, campaignId, 'Deployed', 'test'));
  });

  const membership = async (vin: string) =>
    (await (await getDb()).select().from(campaignVehicles).where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin))))[0]!;
  const commandsOf = async (vin: string) => (await getDb()).select().from(commands).where(and(eq(commands.campaignId, campaignId), eq(commands.vin, vin)));

  it('queues StartCampaign only for the vehicle that meets the preconditions, and records why the others are refused', async () => {
    expect(await commandsOf(ok)).toHaveLength(1);
    for (const vin of [wrongVersion, lowStorage, missingEcu, unknown]) expect(await commandsOf(vin)).toHaveLength(0);
    expect((await membership(ok)).blockedReason).toBeNull();
    expect((await membership(wrongVersion)).blockedReason).toBe('ECU 1 runs 0.9.0, not 1.0.0');
    expect((await membership(lowStorage)).blockedReason).toBe('only 50 MB free storage, 101 MB needed');
    expect((await membership(missingEcu)).blockedReason).toBe('ECU 1 is missing');
    expect((await membership(unknown)).blockedReason).toBeNull();
  });

  it('never offers the campaign in C_05 or C_18 to a vehicle whose configuration does not meet them', async () => {
    const offer = await body(await upload(wrongVersion, '0.9.0', 2048));
    expect(offer.augmentedMetadata.signed.body.selectedCampaign).toEqual({ campaignId: 0 });
    expect(offer.targetsMetadata).toEqual([]);
    expect((await body(await postJson('/api/ota/v1/campaign-validity', { signed: { vin: wrongVersion, primaryId: '0', campaignId } }))).status).toBe('Suspended');
    expect((await body(await postJson('/api/ota/v1/command', { signed: { vin: wrongVersion, primaryId: '0' } }))).command).toBe('None');
    const low = await body(await upload(lowStorage, '1.0.0', 60));
    expect(low.augmentedMetadata.signed.body.selectedCampaign).toEqual({ campaignId: 0 });
    expect((await membership(lowStorage)).blockedReason).toBe('only 60 MB free storage, 101 MB needed');
  });

  it('asks a vehicle with unknown configuration to upload it, then offers the campaign once it fits', async () => {
    expect(await actions(unknown)).toMatchObject({ CarConfigInfoUploadNecessity: 1 });
    expect(await actions(ok)).toMatchObject({ CarConfigInfoUploadNecessity: 0 });
    const offer = await body(await upload(unknown, '1.0.0', 500));
    expect(offer.augmentedMetadata.signed.body.selectedCampaign).toEqual({ campaignId });
    expect(offer.targetsMetadata).toHaveLength(1);
    expect(await actions(unknown)).toMatchObject({ CarConfigInfoUploadNecessity: 0 });
  });

  it('offers it to a vehicle that freed enough storage', async () => {
    const offer = await body(await upload(lowStorage, '1.0.0', 3000));
    expect(offer.augmentedMetadata.signed.body.selectedCampaign).toEqual({ campaignId });
    expect((await membership(lowStorage)).blockedReason).toBeNull();
  });

  it('asks for consent in the HMI until the driver answers, and a refusal declines the vehicle', async () => {
    expect(await actions(ok)).toMatchObject({ DispConsentInCarHMI: 1 });
    await body(await upload(ok, '1.0.0', 2048));
    const event = (status: string) => ({
      signed: { vin: ok, primaryId: '0', events: [{ eventsUuid: `consent-${status}`, eventsType: 'notification', status, currentTime: { time: Math.floor(Date.now() / 1000) }, attemptId: String(campaignId) }] },
    });
    await body(await postJson('/api/ota/v1/notification', event('rejected')));
    expect(await membership(ok)).toMatchObject({ phase: 'declined', declinedAt: expect.any(Date) });
    expect(await actions(ok)).toMatchObject({ DispConsentInCarHMI: 0 });
    // The campaign offers no second chance by default.
    const again = await body(await upload(ok, '1.0.0', 2049));
    expect(again.augmentedMetadata.signed.body.selectedCampaign).toEqual({ campaignId: 0 });
  });
});
