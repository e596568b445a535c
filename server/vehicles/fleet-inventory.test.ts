import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { vehicles } from '@/db/schema';
import { getDb } from '../db';
import { makeVehicles, recordKnownConfig } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import { createInventoryCsvHandler } from './inventory-csv-endpoint';

describe('fleet inventory: which vehicles run RXSWIN X, or version Y on ECU Z', () => {
  const tag = `INV${randomUUID().slice(0, 6).toUpperCase()}`;
  let a: string, b: string, c: string;

  beforeAll(async () => {
    const db = await getDb();
    [a, b, c] = (await makeVehicles(db, 3, { model: tag })) as [string, string, string];
    await recordKnownConfig(db, [b], { ecus: { '1': '2.0.0', '7': '9.9.9' }, availableMb: 10 });
    const { configSnapshots } = await import('@/db/schema');
    await db.update(configSnapshots).set({ rxswin: [{ rxswin: `${tag}-A`, ecuId: '1' }] }).where(eq(configSnapshots.vin, a));
    // c completed an update: until it uploads again, it runs what the update left.
    await db
      .update(vehicles)
      .set({ configUploadRequestedAt: new Date(), expectedConfig: { campaignId: 1, attemptId: null, ecus: [], rxswin: [`${tag}-C`], since: new Date().toISOString() } })
      .where(eq(vehicles.vin, c));
  });

  it('filters the vehicle list by RXSWIN and by ECU version', async () => {
    const support = await callerAs('support');
    const vinsOf = async (filter: Record<string, string>) => (await support.vehicles.list({ model: tag, ...filter })).rows.map((r) => r.vin).sort();
    expect(await vinsOf({ rxswin: `${tag}-a` })).toEqual([a]);
    expect(await vinsOf({ rxswin: `${tag}-C` })).toEqual([c]);
    expect(await vinsOf({ ecuId: '1', ecuVersion: '2.0.0' })).toEqual([b]);
    expect(await vinsOf({ ecuId: '1', ecuVersion: '1.0.0' })).toEqual([a, c].sort());
    expect(await vinsOf({ ecuId: '7' })).toEqual([b]);
    expect(await vinsOf({ ecuVersion: '9.9.9' })).toEqual([b]);
  });

  it('exports the same filtered list as CSV with versions and RXSWIN', async () => {
    const handler = createInventoryCsvHandler(async () => ({ id: 1, email: 'support@test.example', name: '', role: 'support' }));
    const res = await handler(new Request(`http://ota.test/api/vehicles.csv?model=${tag}&ecuId=1&ecuVersion=1.0.0`));
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('vin,primary_id,model,region,rm_state,last_seen_at,last_config_at,ecu_versions,rxswin,config_differs_from_expected');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual([a, c].sort());
    expect(lines.find((l) => l.startsWith(a))).toContain(`1: 1.0.0,${tag}-A (ECU 1)`);
    expect((await createInventoryCsvHandler(async () => null)(new Request('http://ota.test/api/vehicles.csv'))).status).toBe(401);
  });
});
