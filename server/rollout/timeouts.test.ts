import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { campaigns, campaignVehicles, commands } from '@/db/schema';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { postJson } from '../testing/vehicle-client';
import { sweepRollouts } from './sweep';

const poll = async (vin: string) => (await (await postJson('/api/ota/v1/command', { signed: { vin, primaryId: '0' } })).json()).signed.body;

/** Another process's timer may hold the sweep right now: try until this one runs it. */
async function sweepUntilRun() {
  const db = await getDb();
  for (let i = 0; i < 20; i++) if ((await sweepRollouts(db)).ran) return;
  throw new Error('the sweep never ran');
}

describe('StartCampaign timeouts and expiry', () => {
  it('redelivers an unacknowledged StartCampaign on every poll until its last redelivery has passed, then fails it and the vehicle', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const { campaign } = await makeDeployedCampaign(db, [vin], { commandAckTimeoutSeconds: 60, commandMaxRedeliveries: 2 });
    expect(await poll(vin)).toMatchObject({ command: 'StartCampaign', campaignId: campaign.id });
    expect(await poll(vin)).toMatchObject({ command: 'StartCampaign', campaignId: campaign.id });

    // Two redeliveries of 60 s each, plus the first round, have passed without a C_05 or an event.
    await db
      .update(commands)
      .set({ firstDeliveredAt: sql`now() - interval '181 seconds'`, lastDeliveredAt: sql`now() - interval '61 seconds'` })
      .where(eq(commands.vin, vin));
    expect(await poll(vin)).toMatchObject({ command: 'None' });
    await sweepUntilRun();
    const [command] = await db.select().from(commands).where(eq(commands.vin, vin));
    expect(command).toMatchObject({ status: 'failed', deliveryCount: 2 });
    const [membership] = await db.select().from(campaignVehicles).where(and(eq(campaignVehicles.vin, vin), eq(campaignVehicles.campaignId, campaign.id)));
    expect(membership).toMatchObject({ phase: 'failed', lastErrorCode: 'START_TIMEOUT' });
  });

  it('lets the sweep fail timed-out commands of vehicles that went silent, and expire those of campaigns that ended', async () => {
    const db = await getDb();
    const [silent, late] = (await makeVehicles(db, 2)) as [string, string];
    const first = await makeDeployedCampaign(db, [silent], { commandAckTimeoutSeconds: 60, commandMaxRedeliveries: 0 });
    const second = await makeDeployedCampaign(db, [late]);
    await poll(silent);
    await db
      .update(commands)
      .set({ firstDeliveredAt: sql`now() - interval '2 minutes'`, lastDeliveredAt: sql`now() - interval '2 minutes'` })
      .where(eq(commands.vin, silent));
    await db.update(campaigns).set({ endsAt: sql`now() - interval '1 minute'` }).where(eq(campaigns.id, second.campaign.id));

    await sweepUntilRun();

    expect((await db.select().from(commands).where(eq(commands.vin, silent)))[0]).toMatchObject({ status: 'failed' });
    expect((await db.select().from(campaignVehicles).where(eq(campaignVehicles.campaignId, first.campaign.id)))[0]).toMatchObject({ phase: 'failed', lastErrorCode: 'START_TIMEOUT' });
    expect((await db.select().from(commands).where(eq(commands.vin, late)))[0]).toMatchObject({ status: 'expired' });
    expect(await poll(late)).toMatchObject({ command: 'None' });
  });
});
