import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '@/db/client';
import { touchVehicleSql, unknownVehicle } from '../vehicles/require-vehicle';

export type NextCommand = { vin: string; commandId: number; command: string; campaignId: number };

/**
 * API_6 (C_36), the fleet's heartbeat, in one statement: marks the vehicle seen, takes its
 * oldest open command (pending, or delivered but not yet acknowledged: at-least-once),
 * records the delivery and moves a queued campaign membership to command_delivered.
 */
export async function deliverNextCommand(db: Queryable, vin: string, primaryId: string): Promise<NextCommand> {
  const touch = touchVehicleSql(vin, primaryId);
  const rows = await queryRows<{ vin: string; command_id: number | null; command: string | null; campaign_id: number | null }>(
    db,
    sql`with v as (${touch}),
      c as (
        select id from commands
        where vin = ${vin} and status in ('pending', 'delivered') and (expires_at is null or expires_at > now())
          and exists (select 1 from v)
        order by created_at, id
        limit 1
        for update skip locked
      ),
      u as (
        update commands set status = 'delivered', delivery_count = delivery_count + 1, last_delivered_at = now()
        where id in (select id from c)
        returning id, command_id, command, campaign_id
      ),
      d as (insert into command_deliveries (command_row_id) select id from u),
      m as (
        update campaign_vehicles set phase = 'command_delivered', updated_at = now()
        where vin = ${vin} and phase = 'queued' and campaign_id in (select campaign_id from u where command = 'StartCampaign')
      )
      select v.vin, u.command_id, u.command, u.campaign_id from v left join u on true`,
  );
  const row = rows[0];
  if (!row) throw unknownVehicle(vin);
  if (row.command === null) return { vin, commandId: 0, command: 'None', campaignId: 0 };
  return { vin, commandId: Number(row.command_id), command: row.command, campaignId: Number(row.campaign_id ?? 0) };
}
