import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { actionIds, type ActionId } from '@/db/schema';
import { pollAsVehicle, type PollRow, type VehicleIdentity } from '../vehicles/require-vehicle';

export type Action = { actionId: ActionId; value: number };

/**
 * API_2 (C_03) in one statement: marks the vehicle seen and reads each action's value, the
 * vehicle's override winning over the fleet default (0 when neither is set).
 */
export async function actionsFor(db: Queryable, id: VehicleIdentity): Promise<Action[]> {
  const rows = await pollAsVehicle<PollRow & { action_id: string | null; value: number | null }>(
    db,
    id,
    (touch) => sql`with v as (${touch}),
      k as (select public_key from vehicles where vin = ${id.vin})
      select v.vin as touched_vin, k.public_key, d.action_id, coalesce(o.value, d.value) as value
      from (select 1) one
      left join v on true
      left join k on true
      left join action_defaults d on v.vin is not null
      left join vehicle_action_overrides o on o.vin = v.vin and o.action_id = d.action_id`,
  );
  const values = new Map(rows.map((r) => [r.action_id, r.value]));
  return actionIds.map((actionId) => ({ actionId, value: Number(values.get(actionId) ?? 0) }));
}
