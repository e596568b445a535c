import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { getBlobStore } from '../storage';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { downloadLog } from './log-download';

describe('downloading a vehicle log from the dashboard', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let vin: string;

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    [vin] = (await makeVehicles(db, 1)) as [string];
    await makeDeployedCampaign(db, [vin], { size: 2048 });
    const result = await runVehicleUpdate({ baseUrl: server.url, vin, withLogs: true });
    expect(result.outcome).toBe('completed');
  });
  afterAll(() => server?.close());

  const get = async (user: Parameters<typeof downloadLog>[2], path: string, headers: Record<string, string> = {}) =>
    downloadLog(await getDb(), getBlobStore(), user, new Request(`http://console.test${path}`, { headers }), decodeURIComponent(path.split('/').pop()!));

  it('lists the uploaded log with a link, and serves it to a signed-in user as an attachment', async () => {
    const [log] = await (await callerAs('support')).vehicles.logs({ vin });
    expect(log).toMatchObject({ status: 'received', logType: 'update', fileName: expect.stringMatching(/^update-.*\.log$/), size: expect.any(Number), downloadPath: `/api/logs/${log!.uploadId}` });

    const user = { id: 1, email: 'support@example.com', name: 'Support', role: 'support' as const };
    const res = await get(user, log!.downloadPath!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${log!.fileName}"`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(log!.size));
    const text = await res.text();
    expect(text).toContain(`${vin} update of attempt`);
    expect(text.length).toBe(log!.size);

    const partial = await get(user, log!.downloadPath!, { range: 'bytes=0-9' });
    expect(partial.status).toBe(206);
    expect(await partial.text()).toBe(text.slice(0, 10));
  });

  it('answers 401 without a session and 404 for an unknown upload', async () => {
    const [log] = await (await callerAs('support')).vehicles.logs({ vin });
    const anonymous = await get(null, log!.downloadPath!);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', message: 'sign in to download vehicle logs' } });

    const user = { id: 1, email: 'admin@example.com', name: '', role: 'admin' as const };
    const missing = await get(user, '/api/logs/no-such-upload');
    expect(missing.status).toBe(404);
  });
});
