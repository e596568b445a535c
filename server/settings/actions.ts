import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { actionIds, type ActionId } from '@/db/schema';
import { offeredSql } from '../campaigns/offer-rule';
import { hasKeySql, pollAsVehicle, pollStatement, type PollRow, type VehicleIdentity } from '../vehicles/require-vehicle';

export type Action = { actionId: ActionId; value: number };

const actionsStatement = pollStatement(
  (touch, vin) => sql`with ${touch},
    k as (select ${hasKeySql(vin)} as has_key, last_config_at, config_upload_requested_at from vehicles where vin = ${vin}),
    a as (
      select
        bool_or(true) as active,
        bool_or(campaigns.requires_consent and campaign_vehicles.phase in ('queued', 'command_delivered', 'config_uploaded')) as need_consent
      from campaign_vehicles
      join campaigns on campaigns.id = campaign_vehicles.campaign_id
      where campaign_vehicles.vin = ${vin} and ${offeredSql()}
    ),
    ids (action_id) as (values ('GetActionCycle'), ('CarConfigInfoUploadNecessity'), ('DispConsentInCarHMI'))
    select v.vin as touched_vin, k.has_key, ids.action_id,
      coalesce(
        o.value,
        case
          when ids.action_id = 'CarConfigInfoUploadNecessity' and a.active and k.last_config_at is null then 1
          when ids.action_id = 'CarConfigInfoUploadNecessity' and k.config_upload_requested_at is not null then 1 -- an update completed since the last upload
          when ids.action_id = 'DispConsentInCarHMI' and a.need_consent then 1
        end,
        d.value,
        0
      ) as value
    from (select 1) one
    left join v on true
    left join k on true
    left join a on true
    left join ids on v.vin is not null
    left join action_defaults d on d.action_id = ids.action_id
    left join vehicle_action_overrides o on o.vin = v.vin and o.action_id = ids.action_id`,
);

/**
 * API_2 (C_03) in one statement (actionsStatement): marks the vehicle seen and reads each action's value. An
 * operator's per-vehicle override wins; then what the campaigns offered to the vehicle now
 * (offer-rule.ts) need — CarConfigInfoUploadNecessity 1 while its configuration is unknown,
 * DispConsentInCarHMI 1 while a campaign that requires consent waits for it; then the fleet
 * default (0 if unset).
 */
export async function actionsFor(db: Queryable, id: VehicleIdentity): Promise<Action[]> {
  const rows = await pollAsVehicle<PollRow & { action_id: string | null; value: number | null }>(db, id, actionsStatement);
  const values = new Map(rows.map((r) => [r.action_id, r.value]));
  return actionIds.map((actionId) => ({ actionId, value: Number(values.get(actionId) ?? 0) }));
}
