import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCampaign } from '../campaigns/lifecycle';
import { getDb } from '../db';
import { retryVehicles } from '../rollout/engine';
import { runVehicleUpdate, type SimulationResult } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';

describe("a vehicle's update history, from real runs of the simulator", () => {
  let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
  let vin: string;
  let campaignId: number;
  let campaignName: string;
  let failed: SimulationResult;
  let completed: SimulationResult;
  const strayError = {
    eventsUuid: randomUUID().replaceAll('-', ''),
    eventsType: 'error',
    eventMode: 'active',
    currentTime: { time: Math.floor(Date.now() / 1000) + 5, clockSource: 'default' },
    status: 'failure',
    errorCodes: [{ code: 4242, description: 'battery low' }],
  };

  beforeAll(async () => {
    server = await startVehicleApiServer();
    const db = await getDb();
    [vin] = (await makeVehicles(db, 1)) as [string];
    const made = await makeDeployedCampaign(db, [vin], { size: 40_000 });
    campaignId = made.campaign.id;
    campaignName = made.campaign.name;
    // A first attempt fails at download; a second one (the campaign asked for again) completes.
    failed = await runVehicleUpdate({ baseUrl: server.url, vin, fail: { at: 'download', code: 3001 }, progressReports: 2 });
    const answer = await (await postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [strayError] } })).json();
    expect(answer.signed.body.results[0].result).toBe('accepted');
    // The only vehicle failed, so the campaign suspended itself; an operator resumes it and retries the vehicle.
    await db.transaction(async (tx) => {
      await transitionCampaign(tx, campaignId, 'Deployed', 'operator@test');
      await retryVehicles(tx, campaignId, {}, 'operator@test');
    });
    completed = await runVehicleUpdate({ baseUrl: server.url, vin, campaignId, progressReports: 2 });
  });
  afterAll(() => server?.close());

  it('groups the events by campaign and attempt, newest attempt first, each timeline in time order', async () => {
    expect(failed.outcome).toBe('failed');
    expect(completed.outcome).toBe('completed');
    const history = await (await callerAs('support')).events.history({ vin });
    expect(history.campaigns).toHaveLength(1);
    const [campaign] = history.campaigns;
    // Its only vehicle completed, so the campaign completed too.
    expect(campaign).toMatchObject({ campaignId, name: campaignName, status: 'Completed', membership: { phase: 'completed', progress: 100 } });
    expect(campaign!.attempts.map((a) => a.attemptId)).toEqual([completed.attemptId, failed.attemptId]);
    expect(campaign!.attempts.every((a) => a.openedAt instanceof Date)).toBe(true);

    const [second, first] = campaign!.attempts;
    expect(first!.events.map((e) => e.code)).toEqual(['C_10', 'C_12', 'C_01', 'C_13', 'C_15', 'C_15', 'C_16', 'C_01']);
    expect(second!.events.map((e) => e.code)).toEqual(['C_10', 'C_12', 'C_01', 'C_13', 'C_15', 'C_15', 'C_16', 'C_09', 'C_01', 'C_19', 'C_20', 'C_20', 'C_01', 'C_22', 'C_23', 'C_24', 'C_25', 'C_35', 'C_01']);
    for (const attempt of campaign!.attempts) {
      const times = attempt.events.map((e) => e.eventTime.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }

    const failure = first!.events.find((e) => e.code === 'C_16')!;
    expect(failure).toMatchObject({ label: 'Download finished', status: 'failure', errorCodes: ['3001'], uuidReused: false });
    const progress = second!.events.find((e) => e.code === 'C_15')!;
    expect(progress.label).toBe('Download progress');
    expect(progress.progressPercent).toBe(Math.floor((progress.bytesDownloaded! / progress.downloadSize!) * 100));
    expect(second!.events.filter((e) => e.code === 'C_01').map((e) => e.rmState)).toEqual(['DOWNLOADING', 'INSTALLING', 'ACTIVATING', 'IDLE']);
  });

  it('keeps events of no attempt apart, and shows the raw JSON exactly as sent', async () => {
    const support = await callerAs('support');
    const history = await support.events.history({ vin });
    expect(history.otherEvents).toHaveLength(1);
    const [stray] = history.otherEvents;
    expect(stray).toMatchObject({ code: 'C_28', label: 'Vehicle error', attemptId: null, errorCodes: ['4242'] });
    expect(history.totalEvents).toBe(failed.eventsSent + completed.eventsSent + 1);
    expect(history.omittedEvents).toBe(0);

    const detail = await support.events.get({ id: stray!.id });
    expect(detail).toMatchObject({ vin, raw: strayError });
  });

  it('labels events outside the protocol table as unclassified and marks a reused UUID', async () => {
    const uuid = randomUUID().replaceAll('-', '');
    const time = Math.floor(Date.now() / 1000) + 10;
    const odd = { eventsUuid: uuid, eventsType: 'diagnostics', status: 'weird', currentTime: { time } };
    const again = { eventsUuid: uuid, eventsType: 'rmState', status: 'success', currentTime: { time: time + 1 }, rmStateExtras: { rmVehState: 'IDLE' } };
    expect((await postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [odd, again] } })).status).toBe(200);
    const history = await (await callerAs('support')).events.history({ vin });
    const tail = history.otherEvents.slice(-2);
    expect(tail).toMatchObject([
      { code: null, label: 'Unclassified', eventsType: 'diagnostics', status: 'weird', uuidReused: false },
      { code: 'C_01', label: 'Vehicle state changed', rmState: 'IDLE', uuidReused: true },
    ]);
  });
});
