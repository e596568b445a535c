import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '@/db/client';
import { actionIds, type ActionId } from '@/db/schema';
import { touchVehicleSql, unknownVehicle } from '../vehicles/require-vehicle';

export type Action = { actionId: ActionId; value: number };

/**
 * API_2 (C_03) in one statement: marks the vehicle seen and reads each action's value, the
 * vehicle's override winning over the fleet default (0 when neither is set).
 */
export async function actionsFor(db: Queryable, vin: string, primaryId: string): Promise<Action[]> {
  const touch = touchVehicleSql(vin, primaryId);
  const rows = await queryRows<{ vin: string; action_id: string | null; value: number | null }>(
    db,
    sql`with v as (${touch})
      select v.vin, d.action_id, coalesce(o.value, d.value) as value
      from v
      left join action_defaults d on true
      left join vehicle_action_overrides o on o.vin = v.vin and o.action_id = d.action_id`,
  );
  if (!rows.length) throw unknownVehicle(vin);
  const values = new Map(rows.map((r) => [r.action_id, r.value]));
  return actionIds.map((actionId) => ({ actionId, value: Number(values.get(actionId) ?? 0) }));
}
