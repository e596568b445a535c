import type { Db } from '@/db/client';
import { recordAudit } from '../audit/record-audit';
import { actorName, type Actor } from '../auth/actor';
import { cancelVehicle, evaluateRollout, retryMembers, startNextWave, type RetryResult } from '../rollout/engine';
import { wakeWebhookSender } from '../webhooks/sender-loop';
import type { CancelVehicle, RetryVehicles, StartNextWave } from './schemas';

/**
 * An operator releases the next wave (a campaign that waits for a click, or early): its
 * vehicles get StartCampaign; the thresholds are looked at again at once. Audited with it.
 */
export async function startNextCampaignWave(db: Db, actor: Actor, { id: campaignId, fromWave }: StartNextWave) {
  const result = await db.transaction(async (tx) => {
    const started = await startNextWave(tx, campaignId, actorName(actor), fromWave);
    const then = await evaluateRollout(tx, campaignId, actorName(actor));
    await recordAudit(tx, actor, 'campaign.start-next-wave', { type: 'campaign', id: campaignId }, { wave: started.wave + 1, queuedCommands: started.queuedCommands, then: then.action });
    return { wave: started.wave, queuedCommands: started.queuedCommands };
  });
  wakeWebhookSender(); // its wave.started
  return result;
}

/** An operator retries the failed and declined vehicles of a campaign, all or those of one error code. Audited with it. */
export async function retryCampaignVehicles(db: Db, actor: Actor, { id: campaignId, errorCode }: RetryVehicles): Promise<RetryResult> {
  return db.transaction(async (tx) => {
    const result = await retryMembers(tx, campaignId, { errorCode }, actorName(actor));
    await recordAudit(tx, actor, 'campaign.retry-vehicles', { type: 'campaign', id: campaignId }, { errorCode, ...result });
    return result;
  });
}

/** An operator takes one vehicle out of a campaign. Audited with it. */
export async function cancelCampaignVehicle(db: Db, actor: Actor, { id: campaignId, vin }: CancelVehicle) {
  return db.transaction(async (tx) => {
    const result = await cancelVehicle(tx, campaignId, vin, actorName(actor));
    await recordAudit(tx, actor, 'campaign.cancel-vehicle', { type: 'campaign', id: campaignId }, { vin, ...result });
    return result;
  });
}
