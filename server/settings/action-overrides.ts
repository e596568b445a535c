import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { actionDefaults, actionIds, vehicleActionOverrides, vehicles, type ActionId } from '@/db/schema';
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

/** Sets this vehicle's value of one action; returns the value it replaced (null: none). Run it in the audit's transaction. */
export async function setActionOverride(db: Queryable, input: { vin: string; actionId: ActionId; value: number }): Promise<{ previous: number | null }> {
  await requireVehicle(db, input.vin);
  const value = actionValueSchema.parse(input.value);
  const [before] = await db
    .select({ value: vehicleActionOverrides.value })
    .from(vehicleActionOverrides)
    .where(and(eq(vehicleActionOverrides.vin, input.vin), eq(vehicleActionOverrides.actionId, input.actionId)))
    .for('update');
  await db
    .insert(vehicleActionOverrides)
    .values({ vin: input.vin, actionId: input.actionId, value })
    .onConflictDoUpdate({ target: [vehicleActionOverrides.vin, vehicleActionOverrides.actionId], set: { value, updatedAt: sql`now()` } });
  return { previous: before?.value ?? null };
}

/** Removes this vehicle's override, so the fleet default applies again; returns the removed value (null: there was none). */
export async function clearActionOverride(db: Queryable, input: { vin: string; actionId: ActionId }): Promise<{ previous: number | null }> {
  await requireVehicle(db, input.vin);
  const [removed] = await db
    .delete(vehicleActionOverrides)
    .where(and(eq(vehicleActionOverrides.vin, input.vin), eq(vehicleActionOverrides.actionId, input.actionId)))
    .returning({ value: vehicleActionOverrides.value });
  return { previous: removed?.value ?? null };
}
