import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaigns, campaignVehicles, commands } from '@/db/schema';
import { getDb } from '../db';
import { runVehicleUpdate } from '../simulator/vehicle-simulator';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { startVehicleApiServer } from '../testing/lean-server';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';

let server: Awaited<ReturnType<typeof startVehicleApiServer>>;
beforeAll(async () => {
  server = await startVehicleApiServer();
});
afterAll(() => server?.close());

const run = (vin: string, fail?: { at: 'download' | 'activation'; code: number }) => runVehicleUpdate({ baseUrl: server.url, vin, progressReports: 1, fail });
const validity = async (vin: string, campaignId: number) =>
  (await (await postJson('/api/ota/v1/campaign-validity', { signed: { vin, primaryId: '0', campaignId } })).json()).signed.body.status as string;
const nextCommand = async (vin: string) => (await (await postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } })).json()).signed.body.command as string;
const auditOf = async (campaignId: number, action: string) =>
  (await (await getDb()).select().from(auditLog).where(and(eq(auditLog.entityId, String(campaignId)), eq(auditLog.action, action))).orderBy(asc(auditLog.id))).map((a) => ({
    actor: a.actorEmail,
    details: a.details,
  }));
const openCommandsOf = async (campaignId: number, vin: string) =>
  (await (await getDb()).select().from(commands).where(and(eq(commands.campaignId, campaignId), eq(commands.vin, vin)))).filter((c) => c.status === 'pending' || c.status === 'delivered');
const membersByWave = async (campaignId: number) => {
  const rows = await (await getDb()).select({ vin: campaignVehicles.vin, wave: campaignVehicles.wave }).from(campaignVehicles).where(eq(campaignVehicles.campaignId, campaignId)).orderBy(asc(campaignVehicles.vin));
  const waves: string[][] = [];
  for (const r of rows) (waves[r.wave] ??= []).push(r.vin);
  return waves;
};

describe('an operator retries failed vehicles and takes one out', () => {
  let campaignId: number;
  let activationFail: string, downloadFail: string, done: string, idle: string;

  beforeAll(async () => {
    const db = await getDb();
    [activationFail, downloadFail, done, idle] = (await makeVehicles(db, 4)) as [string, string, string, string];
    // One wave; the error threshold of 100% lets the failures stand without suspending.
    campaignId = (await makeDeployedCampaign(db, [activationFail, downloadFail, done, idle], { rollout: { waves: [{ size: 100, unit: 'percent' }], successThreshold: 100, errorThreshold: 100, autoAdvance: true } })).campaign.id;
    expect((await run(activationFail, { at: 'activation', code: 1112 })).outcome).toBe('failed');
    expect((await run(downloadFail, { at: 'download', code: 2001 })).outcome).toBe('failed');
    expect((await run(done)).outcome).toBe('completed');
  });

  it('lists the failures by code, the codes the retry offers', async () => {
    const failures = await (await callerAs('support')).campaigns.failures({ id: campaignId });
    expect(failures.map((f) => f.code).sort()).toEqual(['1112', '2001']);
  });

  it('retries only the vehicles of one error code: a fresh StartCampaign is queued and the retry is audited', async () => {
    const operator = await callerAs('operator');
    expect(await operator.campaigns.retryVehicles({ id: campaignId, errorCode: '1112' })).toEqual({ retried: 1, queuedCommands: 1, waitingForWave: 0 });
    const fresh = await openCommandsOf(campaignId, activationFail);
    expect(fresh).toEqual([expect.objectContaining({ command: 'StartCampaign', status: 'pending' })]);
    expect(await openCommandsOf(campaignId, downloadFail)).toEqual([]);
    const listed = await operator.campaigns.vehicles({ id: campaignId, pageSize: 10 });
    expect(listed.rows.find((r) => r.vin === activationFail)).toMatchObject({ phase: 'queued', lastErrorCode: null, retries: 1 });
    expect(listed.rows.find((r) => r.vin === downloadFail)).toMatchObject({ phase: 'failed', retries: 0 });
    expect(await auditOf(campaignId, 'campaign.retry-vehicles')).toEqual([
      { actor: expect.stringMatching(/^operator-/), details: { errorCode: '1112', retried: 1, queuedCommands: 1, waitingForWave: 0 } },
    ]);

    // The vehicle picks the new command up at its next poll and this time succeeds.
    expect(await nextCommand(activationFail)).toBe('StartCampaign');
    expect((await run(activationFail)).outcome).toBe('completed');
  });

  it('retries all the remaining failures when no code is chosen', async () => {
    const operator = await callerAs('operator');
    expect(await operator.campaigns.retryVehicles({ id: campaignId })).toMatchObject({ retried: 1, queuedCommands: 1 });
    expect(await operator.campaigns.retryVehicles({ id: campaignId })).toMatchObject({ retried: 0, queuedCommands: 0 });
  });

  it('cancels one vehicle: C_18 answers Cancelled for it, its command is withdrawn, and it is audited', async () => {
    expect(await validity(idle, campaignId)).toBe('Deployed');
    expect(await openCommandsOf(campaignId, idle)).toHaveLength(1);
    const operator = await callerAs('operator');
    expect(await operator.campaigns.cancelVehicle({ id: campaignId, vin: idle })).toEqual({ fromPhase: 'queued', withdrawnCommands: 1 });
    expect(await validity(idle, campaignId)).toBe('Cancelled');
    expect(await nextCommand(idle)).toBe('None');
    expect(await openCommandsOf(campaignId, idle)).toEqual([]);
    // The others go on.
    expect(await validity(downloadFail, campaignId)).toBe('Deployed');
    expect(await auditOf(campaignId, 'campaign.cancel-vehicle')).toEqual([{ actor: expect.stringMatching(/^operator-/), details: { vin: idle, fromPhase: 'queued', withdrawnCommands: 1 } }]);
  });

  it('refuses to cancel a vehicle twice or one that completed, in words, auditing nothing', async () => {
    const operator = await callerAs('operator');
    await expect(operator.campaigns.cancelVehicle({ id: campaignId, vin: idle })).rejects.toMatchObject({ code: 'CONFLICT', message: `Vehicle ${idle} is already cancelled in campaign ${campaignId}.` });
    await expect(operator.campaigns.cancelVehicle({ id: campaignId, vin: done })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Vehicle ${done} already completed campaign ${campaignId}; there is nothing left to cancel.`,
    });
    await expect(operator.campaigns.cancelVehicle({ id: campaignId, vin: 'NOT-IN-IT' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await callerAs('support')).campaigns.cancelVehicle({ id: campaignId, vin: downloadFail })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await auditOf(campaignId, 'campaign.cancel-vehicle')).toHaveLength(1);
  });

  it('completes the campaign once the last vehicle on its way finishes', async () => {
    expect((await run(downloadFail)).outcome).toBe('completed');
    expect((await (await callerAs('support')).campaigns.get({ id: campaignId })).status).toBe('Completed');
  });
});

describe('starting the next wave by hand', () => {
  it('waits for the operator once the success threshold is met, then releases the next wave, audited', async () => {
    const db = await getDb();
    const vins = await makeVehicles(db, 4);
    const { campaign } = await makeDeployedCampaign(db, vins, {
      rollout: { waves: [{ size: 1, unit: 'count' }, { size: 1, unit: 'count' }, { size: 100, unit: 'percent' }], successThreshold: 100, errorThreshold: 50, autoAdvance: false },
    });
    const waves = await membersByWave(campaign.id);
    expect(waves.map((w) => w.length)).toEqual([1, 1, 2]);
    expect((await run(waves[0]![0]!)).outcome).toBe('completed');

    const support = await callerAs('support');
    const before = await support.campaigns.waves({ id: campaign.id });
    expect(before).toMatchObject({ currentWave: 0, waveCount: 3, next: { action: 'await-operator', reason: expect.stringContaining('Start the next wave when ready') } });
    expect(before.waves.map((w) => w.state)).toEqual(['current', 'waiting', 'waiting']);
    expect(await validity(waves[1]![0]!, campaign.id)).toBe('Suspended');

    const operator = await callerAs('operator');
    expect(await operator.campaigns.startNextWave({ id: campaign.id })).toEqual({ wave: 1, queuedCommands: 1 });
    expect(await openCommandsOf(campaign.id, waves[1]![0]!)).toHaveLength(1);
    expect(await validity(waves[1]![0]!, campaign.id)).toBe('Deployed');
    expect((await support.campaigns.waves({ id: campaign.id })).waves.map((w) => w.state)).toEqual(['released', 'current', 'waiting']);
    expect(await auditOf(campaign.id, 'campaign.start-next-wave')).toEqual([{ actor: expect.stringMatching(/^operator-/), details: { wave: 2, queuedCommands: 1, then: 'none' } }]);

    // A second click from a page that still shows wave 1 starts nothing more.
    await expect(operator.campaigns.startNextWave({ id: campaign.id, fromWave: 0 })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('nothing was started') });
    expect((await support.campaigns.waves({ id: campaign.id })).currentWave).toBe(1);

    // Early, before wave 2 has done anything: allowed.
    expect(await operator.campaigns.startNextWave({ id: campaign.id, fromWave: 1 })).toEqual({ wave: 2, queuedCommands: 2 });
    await expect(operator.campaigns.startNextWave({ id: campaign.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Campaign ${campaign.id} is already in its last wave (wave 3 of 3): there is no next wave to start.`,
    });
  });

  it('refuses with a readable CONFLICT when an automatic campaign is already in its last wave', async () => {
    const db = await getDb();
    const vins = await makeVehicles(db, 2);
    const { campaign } = await makeDeployedCampaign(db, vins, {
      rollout: { waves: [{ size: 50, unit: 'percent' }, { size: 50, unit: 'percent' }], successThreshold: 100, errorThreshold: 100, autoAdvance: true },
    });
    const waves = await membersByWave(campaign.id);
    expect((await run(waves[0]![0]!)).outcome).toBe('completed');
    expect((await (await callerAs('support')).campaigns.get({ id: campaign.id })).currentWave).toBe(1);
    const operator = await callerAs('operator');
    await expect(operator.campaigns.startNextWave({ id: campaign.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Campaign ${campaign.id} is already in its last wave (wave 2 of 2): there is no next wave to start.`,
    });
    expect(await auditOf(campaign.id, 'campaign.start-next-wave')).toEqual([]);
    await operator.campaigns.transition({ id: campaign.id, action: 'suspend' });
    await expect(operator.campaigns.startNextWave({ id: campaign.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('resume it before starting the next wave') });
  });
});

describe('why a campaign paused, and what resuming and retrying do', () => {
  it('says why it suspended itself; after a resume only new failures count, and retried ones count again if they fail again', async () => {
    const db = await getDb();
    const vins = await makeVehicles(db, 3);
    const { campaign } = await makeDeployedCampaign(db, vins, { rollout: { waves: [{ size: 100, unit: 'percent' }], successThreshold: 100, errorThreshold: 30, autoAdvance: true } });
    const [a, b, c] = vins.slice().sort() as [string, string, string];
    expect((await run(a, { at: 'activation', code: 1112 })).outcome).toBe('failed');

    const support = await callerAs('support');
    const suspended = await support.campaigns.get({ id: campaign.id });
    expect(suspended).toMatchObject({
      status: 'Suspended',
      suspendReason: 'Suspended automatically: 1 of 3 vehicles in wave 1 of 1 failed (33.3%), reaching the error threshold of 30%.',
    });
    expect((await run(b)).outcome).toBe('nothing-to-do');

    const operator = await callerAs('operator');
    await operator.campaigns.transition({ id: campaign.id, action: 'resume' });
    const resumed = await support.campaigns.get({ id: campaign.id });
    expect(resumed).toMatchObject({ status: 'Deployed', suspendReason: null, acknowledgedFailures: 1 });
    expect((await support.campaigns.waves({ id: campaign.id })).current).toMatchObject({ failed: 1, newFailures: 0, failuresToSuspend: 1 });

    // Retrying the acknowledged failure: it no longer stands, so failing again counts.
    await operator.campaigns.retryVehicles({ id: campaign.id, errorCode: '1112' });
    expect((await support.campaigns.get({ id: campaign.id })).acknowledgedFailures).toBe(0);
    expect((await run(a, { at: 'activation', code: 1112 })).outcome).toBe('failed');
    expect(await support.campaigns.get({ id: campaign.id })).toMatchObject({ status: 'Suspended', suspendReason: expect.stringContaining('1 of 3 vehicles in wave 1 of 1 failed') });

    // Suspended by hand: the banner says who.
    await operator.campaigns.transition({ id: campaign.id, action: 'resume' });
    await operator.campaigns.transition({ id: campaign.id, action: 'suspend' });
    expect((await support.campaigns.get({ id: campaign.id })).suspendReason).toMatch(/^Suspended by operator-.*\.$/);
    await operator.campaigns.transition({ id: campaign.id, action: 'resume' });
    expect((await run(b)).outcome).toBe('completed');
    expect((await run(c)).outcome).toBe('completed');
    expect((await db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaign.id)))[0]!.status).toBe('Deployed');
  });
});
