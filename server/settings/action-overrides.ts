import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '@/db/client';
import { actionDefaults, actionIds, vehicleActionOverrides, vehicles } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/actor';
import { notFound } from '../errors';

/** What an action value may be: a whole number a PostgreSQL integer holds, not negative. */
export const actionValueSchema = z.number().int('the value must be a whole number').min(0, 'the value must be 0 or more').max(2_147_483_647, 'the value must be at most 2147483647');

export const actionSettingSchema = z.object({
  actionId: z.enum(actionIds),
  /** The fleet default; null when none is set (C_03 then answers 0). */
  fleetDefault: z.number().nullable(),
  /** This vehicle's override, winning over the default; null when there is none. */
  override: z.number().nullable(),
  overrideUpdatedAt: z.date().nullable(),
  /** What C_03 answers this vehicle. */
  effective: z.number(),
});
export type ActionSetting = z.infer<typeof actionSettingSchema>;

/** One vehicle's value of one C_03 action. */
export const actionOverrideSchema = z.object({ vin: z.string().trim().min(1, 'Enter a VIN').max(64), actionId: z.enum(actionIds) });
export type ActionOverride = z.infer<typeof actionOverrideSchema>;
export const setActionOverrideSchema = actionOverrideSchema.extend({ value: actionValueSchema });
export type SetActionOverride = z.infer<typeof setActionOverrideSchema>;

async function requireVehicle(db: Queryable, vin: string): Promise<void> {
  const [vehicle] = await db.select({ vin: vehicles.vin }).from(vehicles).where(eq(vehicles.vin, vin));
  if (!vehicle) throw notFound(`vehicle ${vin}`);
}

/** The three C_03 actions for one vehicle: fleet default, its override and what it is answered. */
export async function listActionSettings(db: Queryable, input: { vin: string }): Promise<ActionSetting[]> {
  await requireVehicle(db, input.vin);
  const defaults = await db.select().from(actionDefaults);
  const overrides = await db.select().from(vehicleActionOverrides).where(eq(vehicleActionOverrides.vin, input.vin));
  return actionIds.map((actionId) => {
    const fleetDefault = defaults.find((d) => d.actionId === actionId)?.value ?? null;
    const override = overrides.find((o) => o.actionId === actionId);
    return { actionId, fleetDefault, override: override?.value ?? null, overrideUpdatedAt: override?.updatedAt ?? null, effective: override?.value ?? fleetDefault ?? 0 };
  });
}

/**
 * Sets this vehicle's value of one action, with its audit row in the same transaction; returns
 * the value it replaced (null: none). Setting the value it has already writes no audit row.
 */
export async function setActionOverride(db: Db, actor: Actor, input: SetActionOverride): Promise<{ previous: number | null }> {
  return db.transaction(async (tx) => {
    await requireVehicle(tx, input.vin);
    const value = actionValueSchema.parse(input.value);
    const [before] = await tx
      .select({ value: vehicleActionOverrides.value })
      .from(vehicleActionOverrides)
      .where(and(eq(vehicleActionOverrides.vin, input.vin), eq(vehicleActionOverrides.actionId, input.actionId)))
      .for('update');
    await tx
      .insert(vehicleActionOverrides)
      .values({ vin: input.vin, actionId: input.actionId, value })
      .onConflictDoUpdate({ target: [vehicleActionOverrides.vin, vehicleActionOverrides.actionId], set: { value, updatedAt: sql`now()` } });
    const previous = before?.value ?? null;
    if (previous !== value) await recordAudit(tx, actor, 'vehicle.override.set', { type: 'vehicle', id: input.vin }, { actionId: input.actionId, value, previous });
    return { previous };
  });
}

/**
 * Removes this vehicle's override, so the fleet default applies again, with its audit row in the
 * same transaction; returns the removed value (null: there was none, and no audit row is written).
 */
export async function clearActionOverride(db: Db, actor: Actor, input: ActionOverride): Promise<{ previous: number | null }> {
  return db.transaction(async (tx) => {
    await requireVehicle(tx, input.vin);
    const [removed] = await tx
      .delete(vehicleActionOverrides)
      .where(and(eq(vehicleActionOverrides.vin, input.vin), eq(vehicleActionOverrides.actionId, input.actionId)))
      .returning({ value: vehicleActionOverrides.value });
    const previous = removed?.value ?? null;
    if (previous !== null) await recordAudit(tx, actor, 'vehicle.override.clear', { type: 'vehicle', id: input.vin }, { actionId: input.actionId, previous });
    return { previous };
  });
}
