import { and, eq, inArray, sql } from 'drizzle-orm';
import { textArray, type Db, type Queryable } from '@/db/client';
import {
  campaigns,
  campaignVehicles,
  commands,
  defaultPreconditions,
  defaultRolloutPlan,
  vehiclePackages,
  type CampaignStatus,
  type HmiText,
  type Preconditions,
  type ReproPolicy,
  type RolloutPlan,
} from '@/db/schema';
import { DomainError, invalid, notFound } from '../errors';
import { enqueueStatusChange, rolloutCounts, startRollout } from '../rollout/engine';
import { requireRegistered } from '../vehicles/registered-vins';

export const defaultReproPolicy: ReproPolicy = { consent: 'none', maxRetries: 3, transports: ['any'], minFreeStorageMb: 1 };

export type NewCampaign = {
  name: string;
  description?: string;
  vehiclePackageId: number;
  priority?: number;
  reproPolicy?: ReproPolicy;
  requiresConsent?: boolean;
  hmiTexts?: Record<string, HmiText>;
  defaultLocale?: string;
  startsAt?: Date | null;
  endsAt?: Date | null;
  rollout?: RolloutPlan;
  preconditions?: Preconditions;
  reofferDeclinedAfterHours?: number | null;
  commandAckTimeoutSeconds?: number;
  commandMaxRedeliveries?: number;
  stallAfterMinutes?: number;
  vins: string[];
};

/** A new campaign in Draft, with its target vehicles (every VIN must be registered). */
export async function createCampaign(db: Db, input: NewCampaign) {
  return db.transaction((tx) => insertCampaign(tx, input));
}

/** createCampaign within a transaction the caller holds (to add its audit row to it). */
export async function insertCampaign(tx: Queryable, input: NewCampaign) {
  if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt) throw invalid('the end time must be after the start time');
  const vins = [...new Set(input.vins)];
  const [vp] = await tx.select({ id: vehiclePackages.id }).from(vehiclePackages).where(eq(vehiclePackages.id, input.vehiclePackageId));
  if (!vp) throw notFound(`vehicle package ${input.vehiclePackageId}`);
  await requireRegistered(tx, vins);
  const [campaign] = await tx
    .insert(campaigns)
    .values({
      name: input.name,
      description: input.description ?? '',
      vehiclePackageId: input.vehiclePackageId,
      priority: input.priority ?? 0,
      reproPolicy: input.reproPolicy ?? defaultReproPolicy,
      requiresConsent: input.requiresConsent ?? false,
      hmiTexts: input.hmiTexts ?? {},
      defaultLocale: input.defaultLocale ?? 'en',
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
      rollout: input.rollout ?? defaultRolloutPlan,
      preconditions: input.preconditions ?? defaultPreconditions,
      reofferDeclinedAfterHours: input.reofferDeclinedAfterHours ?? null,
      ...(input.commandAckTimeoutSeconds ? { commandAckTimeoutSeconds: input.commandAckTimeoutSeconds } : {}),
      ...(input.commandMaxRedeliveries !== undefined ? { commandMaxRedeliveries: input.commandMaxRedeliveries } : {}),
      ...(input.stallAfterMinutes ? { stallAfterMinutes: input.stallAfterMinutes } : {}),
    })
    .returning();
  await tx.execute(sql`insert into ${campaignVehicles} (campaign_id, vin) select ${campaign!.id}, unnest(${textArray(vins)})`);
  return campaign!;
}

/** Which status may follow which: Draft → Deployed → Suspended ↔ Deployed → Cancelled or Completed. */
export const allowedTransitions: Record<CampaignStatus, CampaignStatus[]> = {
  Draft: ['Deployed', 'Cancelled'],
  Deployed: ['Suspended', 'Cancelled', 'Completed'],
  Suspended: ['Deployed', 'Cancelled', 'Completed'],
  Cancelled: [],
  Completed: [],
};

/**
 * Moves a campaign to `next`. Deploying starts the rollout (waves, first wave's StartCampaign);
 * suspending records who did it; resuming clears the reason and lets the error threshold count
 * only failures that come after; cancelling withdraws open commands. Run it in a transaction.
 */
export async function transitionCampaign(db: Queryable, campaignId: number, next: CampaignStatus, actor = 'system') {
  return (await applyCampaignTransition(db, campaignId, next, actor)).campaign;
}

/** transitionCampaign, also telling where the campaign came from and how many commands it queued or withdrew. */
export async function applyCampaignTransition(db: Queryable, campaignId: number, next: CampaignStatus, actor = 'system') {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('no key update');
  if (!campaign) throw notFound(`campaign ${campaignId}`);
  if (!allowedTransitions[campaign.status].includes(next)) {
    throw new DomainError('CONFLICT', `campaign ${campaignId} is ${campaign.status}; it cannot become ${next}`);
  }
  const resuming = next === 'Deployed' && campaign.status === 'Suspended';
  const [updated] = await db
    .update(campaigns)
    .set({
      status: next,
      updatedAt: sql`now()`,
      ...(next === 'Suspended' ? { suspendReason: `Suspended by ${actor}.` } : {}),
      ...(next === 'Deployed' || next === 'Cancelled' || next === 'Completed' ? { suspendReason: null } : {}),
      ...(resuming ? { acknowledgedFailures: (await rolloutCounts(db, campaign)).failed } : {}),
    })
    .where(eq(campaigns.id, campaignId))
    .returning();
  await enqueueStatusChange(db, campaign, next, actor, updated!.suspendReason);
  let queuedCommands = 0;
  let withdrawnCommands = 0;
  if (next === 'Deployed' && campaign.status === 'Draft') queuedCommands = await startRollout(db, campaignId, actor);
  if (resuming) {
    // Time spent suspended does not count against a StartCampaign the vehicle could not act on.
    await db.update(commands).set({ firstDeliveredAt: sql`now()` }).where(and(eq(commands.campaignId, campaignId), eq(commands.status, 'delivered')));
  }
  if (next === 'Cancelled') {
    const withdrawn = await db
      .update(commands)
      .set({ status: 'cancelled' })
      .where(and(eq(commands.campaignId, campaignId), inArray(commands.status, ['pending', 'delivered'])))
      .returning({ id: commands.id });
    withdrawnCommands = withdrawn.length;
  }
  return { campaign: updated!, from: campaign.status, queuedCommands, withdrawnCommands };
}
