import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { campaigns, campaignVehicles } from '@/db/schema';
import { createCampaign, transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { makePackage, makeVehicles } from '../testing/factories';
import { postJson } from '../testing/vehicle-client';
import { evaluateRollout } from './engine';

const body = async (res: Response) => {
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json.signed.body;
};
const upload = (vin: string, availableMb: number) =>
  ({ signed: { vin, primaryId: '0', clientDigest: `d-${availableMb}`, ecuVersionManifests: [{ ecuId: '1', softwareVersion: '1.0.0' }], augmentedManifest: { packageStorage: { available: availableMb } } } });

async function deployed(vins: string[], extra: Partial<Parameters<typeof createCampaign>[1]> = {}) {
  const db = await getDb();
  const { vehiclePackage } = await makePackage(db, 4096);
  const campaign = await createCampaign(db, { name: 'Edges', vehiclePackageId: vehiclePackage.id, vins, ...extra });
  await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Deployed', 'test'));
  return campaign.id;
}

describe('offers at the edges', () => {
  it('checks a replayed configuration upload against the storage it reports, not the last stored one', async () => {
    const [vin] = (await makeVehicles(await getDb(), 1)) as [string];
    const campaignId = await deployed([vin], { preconditions: { ecus: [], minFreeStorageMb: 10 } });
    const offered = async (mb: number) => (await body(await postJson('/api/ota/v1/config', upload(vin, mb)))).augmentedMetadata.signed.body.selectedCampaign.campaignId;
    expect(await offered(2048)).toBe(campaignId);
    expect(await offered(0.5)).toBe(0);
    // The exact first upload again: stored once, but what it says about storage holds now.
    expect(await offered(2048)).toBe(campaignId);
  });

  it('does not complete a campaign while a vehicle is blocked by its preconditions', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1, {}, { ecus: { '1': '0.9.0' }, availableMb: 2048 })) as [string];
    const campaignId = await deployed([vin], { preconditions: { ecus: [{ ecuId: '1', versions: ['1.0.0'] }], minFreeStorageMb: 0 } });
    await db.transaction((tx) => evaluateRollout(tx, campaignId));
    const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(campaign!.status).toBe('Deployed');
  });

  it('answers Deployed in C_18 to a declined vehicle once the campaign offers it again', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const campaignId = await deployed([vin, (await makeVehicles(db, 1))[0]!], { reofferDeclinedAfterHours: 1 });
    const validity = async () => (await body(await postJson('/api/ota/v1/campaign-validity', { signed: { vin, primaryId: '0', campaignId } }))).status;
    await db.update(campaignVehicles).set({ phase: 'declined', declinedAt: new Date() }).where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin)));
    expect(await validity()).toBe('Suspended');
    await db.update(campaignVehicles).set({ declinedAt: new Date(Date.now() - 2 * 3_600_000) }).where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin)));
    expect(await validity()).toBe('Deployed');
    expect((await body(await postJson('/api/ota/v1/config', upload(vin, 2048)))).augmentedMetadata.signed.body.selectedCampaign).toEqual({ campaignId });
  });
});
