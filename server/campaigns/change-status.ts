import type { Db } from '@/db/client';
import type { CampaignStatus } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import { actorName, type Actor } from '../auth/actor';
import { DomainError } from '../errors';
import { wakeWebhookSender } from '../webhooks/sender-loop';
import { applyCampaignTransition } from './lifecycle';
import type { CampaignTransition } from './schemas';

/** What an operator can do to a campaign, the status it leads to and, where it matters, the one it must come from. */
export const campaignActions = {
  deploy: { to: 'Deployed', from: 'Draft' },
  suspend: { to: 'Suspended' },
  resume: { to: 'Deployed', from: 'Suspended' },
  cancel: { to: 'Cancelled' },
  complete: { to: 'Completed' },
} as const satisfies Record<string, { to: CampaignStatus; from?: CampaignStatus }>;
export type CampaignAction = keyof typeof campaignActions;
export const campaignActionNames = Object.keys(campaignActions) as [CampaignAction, ...CampaignAction[]];

/**
 * Deploys, suspends, resumes, cancels or completes a campaign; deploying queues StartCampaign
 * for each targeted vehicle, cancelling withdraws the open ones. The audit row commits with it.
 */
export async function changeCampaignStatus(db: Db, actor: Actor, input: CampaignTransition) {
  const { id: campaignId, action } = input;
  const wanted: { to: CampaignStatus; from?: CampaignStatus } = campaignActions[action];
  const changed = await db.transaction(async (tx) => {
    const result = await applyCampaignTransition(tx, campaignId, wanted.to, actorName(actor));
    if (wanted.from && result.from !== wanted.from) {
      throw new DomainError('CONFLICT', `campaign ${campaignId} is ${result.from}; only a ${wanted.from} campaign can be ${action === 'deploy' ? 'deployed' : 'resumed'}`);
    }
    await recordAudit(tx, actor, `campaign.${action}`, { type: 'campaign', id: campaignId }, {
      from: result.from,
      to: result.campaign.status,
      queuedCommands: result.queuedCommands,
      withdrawnCommands: result.withdrawnCommands,
    });
    return { status: result.campaign.status, from: result.from, queuedCommands: result.queuedCommands, withdrawnCommands: result.withdrawnCommands };
  });
  // Its webhooks (campaign.status_changed …) committed with it: send them now rather than at the next tick.
  wakeWebhookSender();
  return changed;
}
