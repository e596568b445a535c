import { describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';

describe('input the database cannot store', () => {
  it('answers a readable BAD_REQUEST for U+0000 in a search, not a 500', async () => {
    const support = await callerAs('support');
    await expect(support.vehicles.lookup({ q: 'VIN\u0000' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('U+0000') });
  });

  it('answers CONFLICT, not a 500, when a StartCampaign is already open', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const operator = await callerAs('operator');
    const { campaign } = await makeDeployedCampaign(db, [vin]);
    await expect(operator.commands.queueStartCampaign({ vin, campaignId: campaign.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
