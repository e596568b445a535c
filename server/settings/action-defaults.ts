import { count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '@/db/client';
import { actionDefaults, actionIds, vehicleActionOverrides } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/actor';

/** Largest value the column holds (PostgreSQL integer). */
export const MAX_ACTION_VALUE = 2_147_483_647;

/** One fleet-wide action value as C_03 answers it to vehicles without an override. */
export const actionDefaultSchema = z.object({
  actionId: z.enum(actionIds),
  value: z.number().int(),
  /** False when no row exists yet: vehicles then get 0. */
  isSet: z.boolean(),
  updatedAt: z.date().nullable(),
  /** Vehicles whose own value wins over this default. */
  overrides: z.number().int(),
});
export type ActionDefault = z.infer<typeof actionDefaultSchema>;

export const setActionDefaultSchema = z.object({
  actionId: z.enum(actionIds),
  value: z
    .number({ error: 'Enter a whole number' })
    .int('Enter a whole number')
    .min(0, 'The value cannot be negative')
    .max(MAX_ACTION_VALUE, `The value can be at most ${MAX_ACTION_VALUE}`),
});
export type SetActionDefault = z.infer<typeof setActionDefaultSchema>;

/** The three actions of C_03 in protocol order, each with its fleet default (0 when never set). */
export async function listActionDefaults(db: Queryable): Promise<ActionDefault[]> {
  const rows = await db.select().from(actionDefaults);
  const overrideRows = await db
    .select({ actionId: vehicleActionOverrides.actionId, n: count() })
    .from(vehicleActionOverrides)
    .groupBy(vehicleActionOverrides.actionId);
  const byId = new Map(rows.map((r) => [r.actionId, r]));
  const overrides = new Map(overrideRows.map((r) => [r.actionId, r.n]));
  return actionIds.map((actionId) => {
    const row = byId.get(actionId);
    return { actionId, value: row?.value ?? 0, isSet: !!row, updatedAt: row?.updatedAt ?? null, overrides: overrides.get(actionId) ?? 0 };
  });
}

/**
 * Sets the fleet default of one action; C_03 answers it from the next poll on. The change and
 * its audit row (old and new value) commit together; setting the value it has already changes
 * nothing and writes no audit row.
 */
export async function setActionDefault(db: Db, actor: Actor, input: SetActionDefault): Promise<ActionDefault> {
  const { actionId, value } = setActionDefaultSchema.parse(input);
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(actionDefaults).where(eq(actionDefaults.actionId, actionId)).for('update');
    if (current?.value === value) return;
    await tx
      .insert(actionDefaults)
      .values({ actionId, value })
      .onConflictDoUpdate({ target: actionDefaults.actionId, set: { value, updatedAt: sql`now()` } });
    await recordAudit(tx, actor, 'action_default.update', { type: 'action_default', id: actionId }, { value: { from: current?.value ?? null, to: value } });
  });
  const all = await listActionDefaults(db);
  return all.find((a) => a.actionId === actionId)!;
}
