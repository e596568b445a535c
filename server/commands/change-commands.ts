import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { campaigns, campaignVehicles, commands } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import { actorName, type Actor } from '../auth/actor';
import { isFinalPhase, phaseLabels } from '../campaigns/vehicle-phase';
import { DomainError, invalid, notFound } from '../errors';
import { openCommandStatuses } from './list-commands';
import { queueStartCampaign, START_CAMPAIGN } from './queue-start-campaign';

export const queueStartCampaignSchema = z.object({ vin: z.string().min(1).max(64), campaignId: z.number().int().positive() });
export type QueueStartCampaign = z.infer<typeof queueStartCampaignSchema>;
export const cancelCommandSchema = z.object({ id: z.number().int() });
export type CancelCommand = z.infer<typeof cancelCommandSchema>;

/**
 * Queues StartCampaign of a campaign for one of its vehicles, with its audit row. Refused when
 * the vehicle is not in the campaign, the campaign is over, the vehicle has finished it (C_36
 * would hold the command back forever) or a StartCampaign of it is already open.
 */
export async function queueStartCampaignFor(db: Db, actor: Actor, input: QueueStartCampaign) {
  return db.transaction(async (tx) => {
    const [campaign] = await tx.select({ id: campaigns.id, status: campaigns.status, name: campaigns.name }).from(campaigns).where(eq(campaigns.id, input.campaignId));
    if (!campaign) throw notFound(`campaign ${input.campaignId}`);
    const [membership] = await tx
      .select({ phase: campaignVehicles.phase })
      .from(campaignVehicles)
      .where(and(eq(campaignVehicles.campaignId, input.campaignId), eq(campaignVehicles.vin, input.vin)));
    if (!membership) throw invalid(`vehicle ${input.vin} is not in campaign ${input.campaignId} (${campaign.name}); add it to the campaign first`);
    if (campaign.status === 'Cancelled' || campaign.status === 'Completed') {
      throw new DomainError('CONFLICT', `campaign ${input.campaignId} is ${campaign.status}; no command can start it any more`);
    }
    const { phase } = membership;
    if (isFinalPhase(phase)) {
      throw new DomainError('CONFLICT', `vehicle ${input.vin} has finished campaign ${input.campaignId} (${phaseLabels[phase]}); the vehicle would never be given a StartCampaign for it`);
    }
    const queued = await queueStartCampaign(tx, input.campaignId, actorName(actor), [input.vin]);
    if (!queued) throw new DomainError('CONFLICT', `vehicle ${input.vin} already has an open StartCampaign for campaign ${input.campaignId}; cancel it first or wait for the vehicle to act on it`);
    const [command] = await tx
      .select()
      .from(commands)
      .where(and(eq(commands.vin, input.vin), eq(commands.campaignId, input.campaignId), eq(commands.command, START_CAMPAIGN.command), inArray(commands.status, openCommandStatuses)))
      .orderBy(desc(commands.id))
      .limit(1);
    await recordAudit(tx, actor, 'command.queue', { type: 'command', id: command!.id }, { vin: input.vin, command: command!.command, campaignId: input.campaignId });
    return { id: command!.id, campaignStatus: campaign.status };
  });
}

/** Withdraws a command that has not been acknowledged yet (pending or delivered), with its audit row. */
export async function cancelCommand(db: Db, actor: Actor, input: CancelCommand) {
  return db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(commands)
      .set({ status: 'cancelled' })
      .where(and(eq(commands.id, input.id), inArray(commands.status, openCommandStatuses)))
      .returning();
    if (!cancelled) {
      const [existing] = await tx.select({ status: commands.status }).from(commands).where(eq(commands.id, input.id));
      if (!existing) throw notFound(`command ${input.id}`);
      throw new DomainError('CONFLICT', `command ${input.id} is ${existing.status}; only pending or delivered commands can be cancelled`);
    }
    await recordAudit(tx, actor, 'command.cancel', { type: 'command', id: cancelled.id }, { vin: cancelled.vin, command: cancelled.command, campaignId: cancelled.campaignId });
    return { id: cancelled.id, status: 'cancelled' as const };
  });
}
