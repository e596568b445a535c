import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles, commands } from '@/db/schema';
import { isFinalPhase, phaseLabels } from '../campaigns/vehicle-phase';
import { queueStartCampaign, START_CAMPAIGN } from '../campaigns/lifecycle';
import { DomainError, invalid, notFound } from '../errors';
import { openCommandStatuses } from './list-commands';

/**
 * Queues StartCampaign of a campaign for one of its vehicles. Refused when the vehicle is not
 * in the campaign, the campaign is over, the vehicle has finished it (C_36 would hold the
 * command back forever) or a StartCampaign of it is already open. Run it in the audit's transaction.
 */
export async function queueStartCampaignFor(db: Queryable, input: { vin: string; campaignId: number; actor: string }) {
  const [campaign] = await db.select({ id: campaigns.id, status: campaigns.status, name: campaigns.name }).from(campaigns).where(eq(campaigns.id, input.campaignId));
  if (!campaign) throw notFound(`campaign ${input.campaignId}`);
  const [membership] = await db
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
  const queued = await queueStartCampaign(db, input.campaignId, input.actor, [input.vin]);
  if (!queued) throw new DomainError('CONFLICT', `vehicle ${input.vin} already has an open StartCampaign for campaign ${input.campaignId}; cancel it first or wait for the vehicle to act on it`);
  const [command] = await db
    .select()
    .from(commands)
    .where(and(eq(commands.vin, input.vin), eq(commands.campaignId, input.campaignId), eq(commands.command, START_CAMPAIGN.command), inArray(commands.status, openCommandStatuses)))
    .orderBy(desc(commands.id))
    .limit(1);
  return { command: command!, campaignStatus: campaign.status };
}

/** Withdraws a command that has not been acknowledged yet (pending or delivered). Run it in the audit's transaction. */
export async function cancelCommand(db: Queryable, input: { id: number }) {
  const [cancelled] = await db
    .update(commands)
    .set({ status: 'cancelled' })
    .where(and(eq(commands.id, input.id), inArray(commands.status, openCommandStatuses)))
    .returning();
  if (cancelled) return cancelled;
  const [existing] = await db.select({ status: commands.status }).from(commands).where(eq(commands.id, input.id));
  if (!existing) throw notFound(`command ${input.id}`);
  throw new DomainError('CONFLICT', `command ${input.id} is ${existing.status}; only pending or delivered commands can be cancelled`);
}
