import { sql } from 'drizzle-orm';
import { queryRows, textArray, type Queryable } from '@/db/client';

/** StartCampaign is commandId 4 in the seed protocol. */
export const START_CAMPAIGN = { commandId: 4, command: 'StartCampaign' } as const;

/**
 * Queues StartCampaign for the campaign's vehicles (all, or `vins`) that have none open yet,
 * with the campaign's acknowledgement timeout and redelivery limit. Returns how many were queued.
 */
export async function queueStartCampaign(db: Queryable, campaignId: number, actor: string, vins?: string[]): Promise<number> {
  if (vins && !vins.length) return 0;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    insert into commands (vin, command_id, command, campaign_id, created_by, ack_timeout_seconds, max_redeliveries)
    select cv.vin, ${START_CAMPAIGN.commandId}, ${START_CAMPAIGN.command}, cv.campaign_id, ${actor}, c.command_ack_timeout_seconds, c.command_max_redeliveries
    from campaign_vehicles cv
    join campaigns c on c.id = cv.campaign_id
    where cv.campaign_id = ${campaignId}
      ${vins ? sql`and cv.vin = any(${textArray(vins)})` : sql``}
      and not exists (
        select 1 from commands o
        where o.vin = cv.vin and o.campaign_id = cv.campaign_id and o.command = ${START_CAMPAIGN.command}
          and o.status in ('pending', 'delivered')
      )
    on conflict (vin, campaign_id) where command = 'StartCampaign' and status in ('pending', 'delivered') do nothing
    returning id`,
  );
  return rows.length;
}
