import type { Db } from '@/db/client';
import type { HmiText } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/actor';
import { insertCampaign } from './lifecycle';
import type { CampaignDraft } from './draft-schema';
import { resolveTargetVins } from './target-vehicles';

/** A campaign in Draft for the chosen vehicles (pasted VINs plus the filter's), with its audit row in the same transaction. */
export async function createCampaignDraft(db: Db, actor: Actor, input: CampaignDraft) {
  return db.transaction(async (tx) => {
    const vins = await resolveTargetVins(tx, input.target);
    const hmiTexts: Record<string, HmiText> = Object.fromEntries(input.hmiTexts.map((t) => [t.locale, { title: t.title, body: t.body }]));
    const campaign = await insertCampaign(tx, {
      name: input.name,
      description: input.description,
      vehiclePackageId: input.vehiclePackageId,
      priority: input.priority,
      reproPolicy: input.reproPolicy,
      requiresConsent: input.requiresConsent,
      hmiTexts,
      defaultLocale: input.defaultLocale,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      rollout: input.rollout,
      preconditions: input.preconditions,
      reofferDeclinedAfterHours: input.reofferDeclinedAfterHours,
      commandAckTimeoutSeconds: input.timeouts.ackTimeoutMinutes * 60,
      commandMaxRedeliveries: input.timeouts.maxRedeliveries,
      stallAfterMinutes: input.timeouts.stallAfterMinutes,
      vins,
    });
    await recordAudit(tx, actor, 'campaign.create', { type: 'campaign', id: campaign.id }, {
      name: campaign.name,
      vehiclePackageId: campaign.vehiclePackageId,
      vehicles: vins.length,
      pastedVins: input.target.vins.length,
      filter: input.target.filter,
      rollout: input.rollout,
      preconditions: input.preconditions,
    });
    return { ...campaign, vehicleCount: vins.length };
  });
}
