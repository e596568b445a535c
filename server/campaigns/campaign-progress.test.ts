import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { createCampaignVehiclesCsvHandler } from './vehicles-csv-endpoint';

// Three vehicles of one campaign: one completes, one fails at activation with 1112, one never calls.
describe('watching a campaign’s progress', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let campaignId: number;
  let done: string, broken: string, idle: string;

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    [done, broken, idle] = (await makeVehicles(db, 3)) as [string, string, string];
    campaignId = (await makeDeployedCampaign(db, [done, broken, idle], { size: 20_000 })).campaign.id;
    expect((await runVehicleUpdate({ baseUrl: server.url, vin: done })).outcome).toBe('completed');
    expect((await runVehicleUpdate({ baseUrl: server.url, vin: broken, fail: { at: 'activation', code: 1112 } })).outcome).toBe('failed');
  });
  afterAll(() => server?.close());

  it('counts the vehicles in each phase of the funnel', async () => {
    const campaign = await (await callerAs('support')).campaigns.get({ id: campaignId });
    expect(campaign.counts).toMatchObject({ queued: 1, completed: 1, failed: 1, downloading: 0, total: 3 });
    expect(campaign.completedPercent).toBeCloseTo(100 / 3);
    const listed = (await (await callerAs('support')).campaigns.list({ status: 'Deployed', pageSize: 200 })).rows.find((c) => c.id === campaignId);
    expect(listed).toMatchObject({ vehicleCount: 3, completed: 1, failed: 1 });
  });

  it('groups failures by the vehicle’s error code', async () => {
    expect(await (await callerAs('support')).campaigns.failures({ id: campaignId })).toEqual([{ code: '1112', phase: 'failed', count: 1, description: 'Vehicle error code 1112' }]);
  });

  it('pages and filters the per-vehicle table on the server', async () => {
    const support = await callerAs('support');
    const first = await support.campaigns.vehicles({ id: campaignId, page: 0, pageSize: 2 });
    const second = await support.campaigns.vehicles({ id: campaignId, page: 1, pageSize: 2 });
    expect(first.total).toBe(3);
    expect([...first.rows, ...second.rows].map((r) => r.vin)).toEqual([done, broken, idle].sort());
    expect(second.rows).toHaveLength(1);

    const failed = await support.campaigns.vehicles({ id: campaignId, filter: { phase: 'failed' } });
    expect(failed).toEqual({ total: 1, rows: [expect.objectContaining({ vin: broken, phase: 'failed', lastErrorCode: '1112', lastEventAt: expect.any(Date) })] });
    const byVin = await support.campaigns.vehicles({ id: campaignId, filter: { vin: done.slice(4, 12).toLowerCase() } });
    expect(byVin.rows.map((r) => r.vin)).toEqual([done]);
    expect((await support.campaigns.vehicles({ id: campaignId, filter: { vin: '%' } })).total).toBe(0);
  });

  it('exports the whole filtered list as CSV for any signed-in role', async () => {
    const support: SessionUser = { id: 1, email: 'support@test.example', name: '', role: 'support' };
    const csv = createCampaignVehiclesCsvHandler(async () => support);
    const all = await csv(new Request(`http://ota.test/api/campaigns/${campaignId}/vehicles.csv`));
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(all.headers.get('content-disposition')).toBe(`attachment; filename="campaign-${campaignId}-vehicles.csv"`);
    const lines = (await all.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('vin,model,region,phase,progress_percent,last_error_code,last_event_at,updated_at,wave,blocked_reason,stalled');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual(
      [
        `${done},Test Model,EU,completed,100,`,
        `${broken},Test Model,EU,failed,100,1112`,
        `${idle},Test Model,EU,queued,0,`,
      ].sort(),
    );

    const failedOnly = await (await csv(new Request(`http://ota.test/api/campaigns/${campaignId}/vehicles.csv?phase=failed`))).text();
    expect(failedOnly.trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])).toEqual([broken]);

    const anonymous = await createCampaignVehiclesCsvHandler(async () => null)(new Request(`http://ota.test/api/campaigns/${campaignId}/vehicles.csv`));
    expect(anonymous.status).toBe(401);
    const missing = await csv(new Request('http://ota.test/api/campaigns/987654321/vehicles.csv'));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toBe('campaign 987654321 does not exist');
    expect((await csv(new Request(`http://ota.test/api/campaigns/${campaignId}/vehicles.csv?phase=nonsense`))).status).toBe(400);
  });
});
