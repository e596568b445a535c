import { describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { streamCampaignVehiclesCsv } from './campaign-vehicles';

describe('the campaign vehicles CSV, read in batches', () => {
  it('lists every vehicle once, in VIN order, across batch boundaries', async () => {
    const db = await getDb();
    const vins = await makeVehicles(db, 7);
    const { campaign } = await makeDeployedCampaign(db, vins);
    const text = await new Response(await streamCampaignVehiclesCsv(db, campaign.id, {}, 3)).text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^vin,model,region,phase/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([...vins].sort());
  });
});
