import { expect, test } from '@playwright/test';
import { runVehicleUpdate } from '@/server/simulator/vehicle-simulator';

const vin = 'vinUpdate20231008';
const post = async (request: import('@playwright/test').APIRequestContext, path: string, signed: unknown) => {
  const res = await request.post(path, { data: { signed } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).signed.body;
};

test.describe('the seed test vehicle against the production entry', () => {
  test('finds its demo campaign waiting, exactly as the seed expects', async ({ request }) => {
    expect((await request.get('/api/health')).ok()).toBe(true);
    expect(await post(request, '/api/ota/v1/action', { vin, primaryId: '0' })).toEqual({
      actions: [
        { actionId: 'GetActionCycle', value: 0 },
        { actionId: 'CarConfigInfoUploadNecessity', value: 0 },
        { actionId: 'DispConsentInCarHMI', value: 0 },
      ],
    });
    // C_36 delivers StartCampaign (at least once: a second poll before acting gets it again).
    for (let i = 0; i < 2; i++) {
      expect(await post(request, '/api/ota/v1/C_36', { vin, primaryId: '0' })).toEqual({ vin, commandId: 4, command: 'StartCampaign', campaignId: 18 });
    }
    expect(await post(request, '/api/ota/v1/campaign-validity', { vin, primaryId: '0', campaignId: 18 })).toEqual({ vin, status: 'Deployed', campaignId: 18 });
  });

  test('runs the whole update through the production entry with the simulator', async ({ baseURL }) => {
    const lines: string[] = [];
    const result = await runVehicleUpdate({ baseUrl: baseURL!, vin, withLogs: true, log: (l) => lines.push(l) });
    expect(result.outcome, lines.join('\n')).toBe('completed');
    expect(result.campaignId).toBe(18);
    expect(result.downloads.length).toBeGreaterThan(0);
    expect(result.downloads.every((d) => d.verified)).toBe(true);
  });

  test('afterwards C_36 answers None and the campaign is no longer offered', async ({ request }) => {
    expect(await post(request, '/api/ota/v1/command', { vin, primaryId: '0' })).toEqual({ vin, commandId: 0, command: 'None', campaignId: 0 });
    const offer = await post(request, '/api/ota/v1/C_05', { vin, primaryId: '0', ecuVersionManifests: [], augmentedManifest: { preferredCampaignId: 18 } });
    expect(offer.augmentedMetadata.signed.body.campaigns).not.toContainEqual({ campaignId: 18 });
  });

  test('serves the CDN metadata of campaign 18 with a Japanese HMI text', async ({ request }) => {
    const hmi = (await (await request.get('/cdn/v1/campaigns/18/hmi?locale=ja-JP')).json()).signed.body;
    expect(hmi).toMatchObject({ campaignId: 18, locale: 'ja', title: expect.stringContaining('1.1.0') });
    const meta = (await (await request.get('/cdn/v1/campaigns/18/download-metadata?vin=12345678901234567')).json()).signed.body;
    // Only a vehicle the campaign is offered to gets download URLs.
    expect((await request.get('/cdn/v1/campaigns/18/download-metadata')).status()).toBe(400);
    expect((await request.get(`/cdn/v1/campaigns/18/download-metadata?vin=${vin}`)).status()).toBe(404);
    const vp = await request.get(meta.vehiclePackage.fileDownloadUrl);
    expect(vp.status()).toBe(200);
    expect((await vp.json()).softwarePackages).toHaveLength(1);
  });
});

test('a wrong method or an unknown path gets the JSON error, never an HTML page', async ({ request }) => {
  const wrongMethod = await request.get('/api/ota/v1/command');
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()['allow']).toBe('POST');
  expect((await wrongMethod.json()).error.code).toBe('METHOD_NOT_ALLOWED');
  for (const path of ['/api/ota/v1/command/extra', '/cdn/v1/nothing/here']) {
    const res = await request.post(path, { data: {} });
    expect(res.status()).toBe(404);
    expect(res.headers()['content-type']).toContain('application/json');
    expect((await res.json()).error.code).toBe('NOT_FOUND');
  }
});
