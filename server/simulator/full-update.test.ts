import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignVehicles, commandDeliveries, commands, configSnapshots, events, logUploads, vehicles } from '@/db/schema';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { runVehicleUpdate, type SimulationResult } from './vehicle-simulator';

describe('a simulated vehicle runs a whole update over HTTP', () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let vin: string;
  let campaignId: number;
  let result: SimulationResult;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    [vin] = (await makeVehicles(db, 1)) as [string];
    const made = await makeDeployedCampaign(db, [vin], { size: 300_000 });
    campaignId = made.campaign.id;
    result = await runVehicleUpdate({ baseUrl: server.url, vin, withLogs: true, progressReports: 4, log: (l) => lines.push(l) });
  });
  afterAll(() => server?.close());

  it('finishes with the file verified and the campaign complete for the vehicle', async () => {
    expect(result.outcome).toBe('completed');
    expect(result.campaignId).toBe(campaignId);
    expect(result.downloads).toEqual([expect.objectContaining({ length: 300_000, verified: true })]);
    const [membership] = await (await getDb()).select().from(campaignVehicles).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, campaignId)));
    expect(membership).toMatchObject({ phase: 'completed', progress: 100, lastErrorCode: null });
  });

  it('printed each step in order', () => {
    const codes = lines.map((l) => /\b(C_\d\d)\b/.exec(l)?.[1]).filter(Boolean);
    expect(codes.slice(0, 4)).toEqual(['C_03', 'C_36', 'C_18', 'C_05']);
    const notifications = codes.slice(4).filter((c) => c !== 'C_01' && c !== 'C_37' && c !== 'C_39');
    // C_07 reads the vehicle package before the download; after C_35, C_03 asks for the configuration and C_05 uploads it.
    expect(notifications).toEqual(['C_07', 'C_10', 'C_12', 'C_13', 'C_15', 'C_15', 'C_15', 'C_15', 'C_16', 'C_09', 'C_19', 'C_20', 'C_20', 'C_22', 'C_23', 'C_24', 'C_25', 'C_35', 'C_03', 'C_05']);
    expect(codes.filter((c) => c === 'C_01')).toHaveLength(4);
  });

  it('acknowledged StartCampaign, so C_36 now answers None', async () => {
    const db = await getDb();
    const [command] = await db.select().from(commands).where(eq(commands.vin, vin));
    expect(command).toMatchObject({ commandId: 4, command: 'StartCampaign', campaignId, status: 'acknowledged', deliveryCount: 1 });
    expect(await db.select().from(commandDeliveries).where(eq(commandDeliveries.commandRowId, command!.id))).toHaveLength(1);
    const res = await fetch(`${server.url}/api/ota/v1/command`, { method: 'POST', body: JSON.stringify({ signed: { vin, primaryId: '0' } }) });
    expect((await res.json()).signed.body).toEqual({ vin, commandId: 0, command: 'None', campaignId: 0 });
  });

  it('stored every event exactly once, tied to the campaign, and the vehicle state', async () => {
    const db = await getDb();
    const stored = await db.select().from(events).where(eq(events.vin, vin));
    expect(stored).toHaveLength(result.eventsSent);
    expect(new Set(stored.map((e) => e.eventsUuid)).size).toBe(result.eventsSent);
    expect(stored.every((e) => e.campaignId === campaignId && e.attemptId === result.attemptId)).toBe(true);
    const [vehicle] = await db.select().from(vehicles).where(eq(vehicles.vin, vin));
    expect(vehicle).toMatchObject({ rmState: 'IDLE', configDigest: expect.any(String) });
  });

  it('uploaded the log, checked and received', async () => {
    const [log] = await (await getDb()).select().from(logUploads).where(eq(logUploads.vin, vin));
    expect(log).toMatchObject({ status: 'received', size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('stores nothing twice when the whole run is replayed verbatim', async () => {
    const db = await getDb();
    const count = async () => ({
      events: (await db.select().from(events).where(eq(events.vin, vin))).length,
      snapshots: (await db.select().from(configSnapshots).where(eq(configSnapshots.vin, vin))).length,
      deliveries: (await db.select().from(commandDeliveries).innerJoin(commands, eq(commands.id, commandDeliveries.commandRowId)).where(eq(commands.vin, vin))).length,
    });
    const before = await count();
    for (const sent of result.transcript.filter((s) => !s.path.includes('log-upload'))) {
      const res = await fetch(`${server.url}${sent.path}`, { method: sent.method, body: JSON.stringify(sent.body) });
      expect(res.status).toBe(200);
      const body = await res.json();
      if (sent.path.endsWith('/notification')) expect(body.signed.body.results[0].result).toBe('duplicate');
    }
    expect(await count()).toEqual(before);
    const [membership] = await db.select().from(campaignVehicles).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, campaignId)));
    expect(membership!.phase).toBe('completed');
  });
});

describe('a vehicle that fails', () => {
  it('is recorded as failed with its error code', async () => {
    const server = await startVehicleApiServer();
    try {
      const db = await getDb();
      const [vin] = (await makeVehicles(db, 1)) as [string];
      const { campaign } = await makeDeployedCampaign(db, [vin]);
      const result = await runVehicleUpdate({ baseUrl: server.url, vin, fail: { at: 'activation', code: 1112 } });
      expect(result.outcome).toBe('failed');
      const [membership] = await db.select().from(campaignVehicles).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, campaign.id)));
      expect(membership).toMatchObject({ phase: 'failed', lastErrorCode: '1112' });
    } finally {
      await server.close();
    }
  });
});
