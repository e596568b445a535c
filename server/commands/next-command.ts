import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { offeredSql } from '../campaigns/offer-rule';
import { startCampaignTimedOut } from '../rollout/sweep';
import { hasKeySql, pollAsVehicle, pollStatement, type PollRow, type VehicleIdentity } from '../vehicles/require-vehicle';

export type NextCommand = { vin: string; commandId: number; command: string; campaignId: number };

type Row = PollRow & { command_id: number | null; command: string | null; campaign_id: number | null };

const nextCommandStatement = pollStatement(
  (touch, vin) => sql`with ${touch},
    k as (select ${hasKeySql(vin)} as has_key from vehicles where vin = ${vin}),
    c as (
      select id from commands
      where vin = ${vin} and status in ('pending', 'delivered') and (expires_at is null or expires_at > now())
        and exists (select 1 from v) and not (${startCampaignTimedOut})
        and (campaign_id is null or exists (
          select 1 from campaign_vehicles
          join campaigns on campaigns.id = campaign_vehicles.campaign_id
          where campaign_vehicles.campaign_id = commands.campaign_id and campaign_vehicles.vin = ${vin} and ${offeredSql()}
        ))
      order by created_at, id
      limit 1
      for update skip locked
    ),
    u as (
      update commands set status = 'delivered', delivery_count = delivery_count + 1, last_delivered_at = now(),
        first_delivered_at = coalesce(first_delivered_at, now())
      where id in (select id from c)
      returning id, command_id, command, campaign_id
    ),
    d as (insert into command_deliveries (command_row_id) select id from u),
    m as (
      update campaign_vehicles set phase = 'command_delivered', updated_at = now()
      where vin = ${vin} and phase = 'queued' and campaign_id in (select campaign_id from u where command = 'StartCampaign')
    )
    select v.vin as touched_vin, k.has_key, u.command_id, u.command, u.campaign_id
    from (select 1) one left join v on true left join k on true left join u on true`,
);

/**
 * API_6 (C_36), the fleet's heartbeat, in one statement: marks the vehicle seen, takes its
 * oldest open command (pending, or delivered but not yet acknowledged: at-least-once),
 * records the delivery and moves a queued campaign membership to command_delivered.
 * A StartCampaign waits (stays pending, hiding nothing behind it) while its campaign is not
 * offered to the vehicle (offer-rule.ts: not deployed, outside its window, its wave not
 * released, the vehicle blocked by the preconditions or finished with it). One not acknowledged within its timeout counts a
 * redelivery; past its limit it is no longer handed out, and the sweep marks it (and the
 * vehicle in that campaign) failed with START_TIMEOUT.
 */
export async function deliverNextCommand(db: Queryable, id: VehicleIdentity): Promise<NextCommand> {
  const vin = id.vin;
  const rows = await pollAsVehicle<Row>(db, id, nextCommandStatement);
  const row = rows[0]!;
  if (row.command === null) return { vin, commandId: 0, command: 'None', campaignId: 0 };
  return { vin, commandId: Number(row.command_id), command: row.command, campaignId: Number(row.campaign_id ?? 0) };
}
