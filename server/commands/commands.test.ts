import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, campaignVehicles, commands } from '@/db/schema';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';

const auditOf = async (action: string, id: number) =>
  (await getDb()).select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(id))));

describe('the command queue', () => {
  it('an operator cancels a pending StartCampaign and queues it again; both are audited and the vehicle sees it', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin], { size: 1024 });
    const operator = await callerAs('operator');

    const [queued] = await operator.commands.forVehicle({ vin });
    expect(queued).toMatchObject({ command: 'StartCampaign', campaignId: campaign.id, campaignName: campaign.name, status: 'pending', deliveries: [] });

    // Delivered twice (at-least-once): each delivery's time is listed.
    for (let i = 0; i < 2; i++) expect((await postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } })).status).toBe(200);
    const [delivered] = await operator.commands.forVehicle({ vin });
    expect(delivered).toMatchObject({ status: 'delivered', deliveryCount: 2, lastDeliveredAt: expect.any(Date) });
    expect(delivered!.deliveries).toHaveLength(2);

    // A second StartCampaign while one is open is refused in words.
    await expect(operator.commands.queueStartCampaign({ vin, campaignId: campaign.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `vehicle ${vin} already has an open StartCampaign for campaign ${campaign.id}; cancel it first or wait for the vehicle to act on it`,
    });

    expect(await operator.commands.cancel({ id: queued!.id })).toEqual({ id: queued!.id, status: 'cancelled' });
    expect(await auditOf('command.cancel', queued!.id)).toEqual([expect.objectContaining({ entityType: 'command', details: { vin, command: 'StartCampaign', campaignId: campaign.id } })]);
    const none = await (await postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } })).json();
    expect(none.signed.body.command).toBe('None');
    await expect(operator.commands.cancel({ id: queued!.id })).rejects.toMatchObject({ code: 'CONFLICT', message: `command ${queued!.id} is cancelled; only pending or delivered commands can be cancelled` });

    const again = await operator.commands.queueStartCampaign({ vin, campaignId: campaign.id });
    expect(again.campaignStatus).toBe('Deployed');
    expect(await auditOf('command.queue', again.id)).toEqual([expect.objectContaining({ details: { vin, command: 'StartCampaign', campaignId: campaign.id } })]);
    const next = await (await postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } })).json();
    expect(next.signed.body).toEqual({ vin, commandId: 4, command: 'StartCampaign', campaignId: campaign.id });
  });

  it('refuses a StartCampaign the vehicle could never get', async () => {
    const db = await getDb();
    const [vin, other] = (await makeVehicles(db, 2)) as [string, string];
    const { campaign } = await makeDeployedCampaign(db, [vin], { size: 1024 });
    const operator = await callerAs('operator');
    await expect(operator.commands.queueStartCampaign({ vin: other, campaignId: campaign.id })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(`vehicle ${other} is not in campaign ${campaign.id}`) });
    await db.update(campaignVehicles).set({ phase: 'completed' }).where(eq(campaignVehicles.vin, vin));
    await db.update(commands).set({ status: 'acknowledged' }).where(eq(commands.vin, vin));
    await expect(operator.commands.queueStartCampaign({ vin, campaignId: campaign.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('has finished campaign') });
  });

  it('support may look but not cancel, and is told why', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    await makeDeployedCampaign(db, [vin], { size: 1024 });
    const support = await callerAs('support');
    const [command] = await support.commands.forVehicle({ vin });
    await expect(support.commands.cancel({ id: command!.id })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'This needs the operator role; you are signed in as support.' });
    const [still] = await db.select().from(commands).where(eq(commands.id, command!.id));
    expect(still!.status).toBe('pending');
    expect(await auditOf('command.cancel', command!.id)).toEqual([]);
  });

  it('lists the queue by state with a count for each, a page at a time', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    for (let i = 0; i < 3; i++) await makeDeployedCampaign(db, [vin], { size: 1024 });
    const operator = await callerAs('operator');
    const [newest] = await operator.commands.forVehicle({ vin });
    await operator.commands.cancel({ id: newest!.id });

    const pending = await operator.commands.list({ vin, status: 'pending', pageSize: 1 });
    expect(pending.counts).toMatchObject({ pending: 2, cancelled: 1, delivered: 0, acknowledged: 0 });
    expect(pending.total).toBe(2);
    expect(pending.rows).toHaveLength(1);
    const page2 = await operator.commands.list({ vin, status: 'pending', pageSize: 1, page: 1 });
    expect(page2.rows).toHaveLength(1);
    expect(page2.rows[0]!.id).not.toBe(pending.rows[0]!.id);
    expect((await operator.commands.list({ vin, status: 'cancelled' })).rows.map((r) => r.id)).toEqual([newest!.id]);

    const fleet = await operator.commands.list({ status: 'cancelled', pageSize: 5 });
    expect(fleet.total).toBe(fleet.counts.cancelled);
    expect(fleet.counts.cancelled).toBeGreaterThanOrEqual(1);
    expect(fleet.rows.every((r) => r.status === 'cancelled')).toBe(true);
  });
});
