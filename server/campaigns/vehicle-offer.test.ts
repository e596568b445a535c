import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { campaigns, campaignVehicles } from '@/db/schema';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { callVehicleApi, postJson } from '../testing/vehicle-client';
import { transitionCampaign } from './lifecycle';
import type { Phase } from './vehicle-phase';

const body = async (res: Response) => {
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json.signed.body;
};
const validity = async (vin: string, campaignId: number) =>
  (await body(await postJson('/api/ota/v1/campaign-validity', { signed: { vin, primaryId: '0', campaignId } }))).status;
const command = async (vin: string) => body(await postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } }));

describe('what a vehicle is offered', () => {
  it('C_18 follows the campaign and the vehicle’s own phase in it', async () => {
    const db = await getDb();
    const [vin, outsider] = (await makeVehicles(db, 2)) as [string, string];
    const { campaign } = await makeDeployedCampaign(db, [vin]);
    const setPhase = (phase: Phase) =>
      db.update(campaignVehicles).set({ phase }).where(and(eq(campaignVehicles.campaignId, campaign.id), eq(campaignVehicles.vin, vin)));

    expect(await validity(vin, campaign.id)).toBe('Deployed');
    expect(await validity(outsider, campaign.id)).toBe('NotTargeted');
    expect(await validity(vin, 987_654_321)).toBe('NotFound');
    await setPhase('completed');
    expect(await validity(vin, campaign.id)).toBe('Completed');
    await setPhase('failed');
    expect(await validity(vin, campaign.id)).toBe('Suspended');
    await setPhase('cancelled');
    expect(await validity(vin, campaign.id)).toBe('Cancelled');
    await setPhase('downloading');
    await db.update(campaigns).set({ startsAt: new Date(Date.now() + 86_400_000) }).where(eq(campaigns.id, campaign.id));
    expect(await validity(vin, campaign.id)).toBe('Suspended');
    await db.update(campaigns).set({ startsAt: null, endsAt: new Date(Date.now() - 1000) }).where(eq(campaigns.id, campaign.id));
    expect(await validity(vin, campaign.id)).toBe('Completed');
    await db.update(campaigns).set({ endsAt: null }).where(eq(campaigns.id, campaign.id));
    await db.transaction((tx) => transitionCampaign(tx, campaign.id, 'Suspended'));
    expect(await validity(vin, campaign.id)).toBe('Suspended');
  });

  it('C_36 holds back the StartCampaign of a suspended campaign without hiding newer commands', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const first = await makeDeployedCampaign(db, [vin]);
    await db.transaction((tx) => transitionCampaign(tx, first.campaign.id, 'Suspended'));
    const second = await makeDeployedCampaign(db, [vin]);

    expect(await command(vin)).toMatchObject({ command: 'StartCampaign', campaignId: second.campaign.id });
    // The vehicle acts on it: C_05 preferring that campaign acknowledges it.
    await body(await postJson('/api/ota/v1/config', { signed: { vin, primaryId: '0', ecuVersionManifests: [], augmentedManifest: { preferredCampaignId: second.campaign.id, packageStorage: { available: 500 } } } }));
    expect(await command(vin)).toMatchObject({ command: 'None' });

    await db.transaction((tx) => transitionCampaign(tx, first.campaign.id, 'Deployed'));
    expect(await command(vin)).toMatchObject({ command: 'StartCampaign', commandId: 4, campaignId: first.campaign.id });
  });

  it('C_04 answers like C_05 for the current digest, even after a replayed upload', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin]);
    const upload = (clientDigest: string) => ({
      signed: { vin, primaryId: '0', clientDigest, ecuVersionManifests: [{ ecuId: '1', softwareVersion: clientDigest }], augmentedManifest: { packageStorage: { available: 500 } } },
    });
    await body(await postJson('/api/ota/v1/config', upload('digest-a')));
    await body(await postJson('/api/ota/v1/config', upload('digest-b')));
    await body(await postJson('/api/ota/v1/config', upload('digest-a')));

    const same = await body(await postJson('/api/ota/v1/config-digest', { signed: { vin, primaryId: '0', clientDigest: 'digest-a' } }));
    expect(same.augmentedMetadata.signed.body).toMatchObject({ status: '', selectedCampaign: { campaignId: campaign.id } });
    expect(same.targetsMetadata).toHaveLength(1);

    const stale = await body(await postJson('/api/ota/v1/config-digest', { signed: { vin, primaryId: '0', clientDigest: 'digest-b' } }));
    expect(stale.augmentedMetadata.signed.body).toMatchObject({ status: 'ConfigUploadRequired', campaigns: [], selectedCampaign: { campaignId: 0 } });
    expect(stale.targetsMetadata).toEqual([]);
  });
});

describe('download metadata (C_07)', () => {
  it('hands signed URLs only to a vehicle the campaign is offered to', async () => {
    const db = await getDb();
    const [member, outsider] = (await makeVehicles(db, 2)) as [string, string];
    const { campaign } = await makeDeployedCampaign(db, [member]);
    const meta = await callVehicleApi(`/cdn/v1/campaigns/${campaign.id}/download-metadata?vin=${member}`);
    expect(meta.status).toBe(200);
    const body = (await meta.json()).signed.body;
    expect(body.targetsMetadata[0].metadata.signed.body.targets[0].target.fileDownloadUrl).toMatch(/signature=[0-9a-f]{64}$/);

    const anonymous = await callVehicleApi(`/cdn/v1/campaigns/${campaign.id}/download-metadata`);
    expect(anonymous.status).toBe(400);
    expect((await anonymous.json()).error.details).toEqual([{ path: 'vin', message: expect.any(String) }]);
    const notTargeted = await callVehicleApi(`/cdn/v1/campaigns/${campaign.id}/download-metadata?vin=${outsider}`);
    expect(notTargeted.status).toBe(404);
    expect(JSON.stringify(await notTargeted.json())).not.toContain('signature=');
  });
});
