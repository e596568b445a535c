import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionDefaults, auditLog, vehicleActionOverrides } from '@/db/schema';
import { getDb } from '../db';
import { makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';
import { actionsFor } from './actions';
import { userActor } from '../auth/actor';
import { setActionDefault } from './action-defaults';

async function pollActions(vin: string) {
  const res = await postJson('/api/ota/v1/action', { signed: { vin, primaryId: '0' } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { signed: { body: { actions: { actionId: string; value: number }[] } } };
  return Object.fromEntries(body.signed.body.actions.map((a) => [a.actionId, a.value]));
}

describe('fleet action defaults (C_03)', () => {
  let admin: Awaited<ReturnType<typeof callerAs>>;
  let vin: string;
  let overridden: string;
  let original: { actionId: string; value: number }[];

  beforeAll(async () => {
    const db = await getDb();
    admin = await callerAs('admin');
    [vin, overridden] = (await makeVehicles(db, 2)) as [string, string];
    await db.insert(vehicleActionOverrides).values({ vin: overridden, actionId: 'GetActionCycle', value: 60 });
    original = await db.select({ actionId: actionDefaults.actionId, value: actionDefaults.value }).from(actionDefaults);
  });

  // Fleet defaults are shared by every vehicle: put them back (on PostgreSQL test files run one after another).
  afterAll(async () => {
    const db = await getDb();
    await db.delete(actionDefaults);
    if (original.length) await db.insert(actionDefaults).values(original as (typeof actionDefaults.$inferInsert)[]);
  });

  it('lists the three actions in protocol order, with the vehicles that override each', async () => {
    const list = await (await callerAs('support')).settings.actionDefaults();
    expect(list.map((a) => a.actionId)).toEqual(['GetActionCycle', 'CarConfigInfoUploadNecessity', 'DispConsentInCarHMI']);
    expect(list[0]!.overrides).toBeGreaterThanOrEqual(1);
    for (const a of list) expect(a.value).toBeGreaterThanOrEqual(0);
  });

  it('an admin changes a default: C_03 answers it from the next poll on, an override still wins, and the change is audited', async () => {
    const before = await pollActions(vin);
    const changed = await admin.settings.setActionDefault({ actionId: 'GetActionCycle', value: 3600 });
    expect(changed).toMatchObject({ actionId: 'GetActionCycle', value: 3600, isSet: true, updatedAt: expect.any(Date) });
    await admin.settings.setActionDefault({ actionId: 'DispConsentInCarHMI', value: 1 });

    expect(await pollActions(vin)).toEqual({ GetActionCycle: 3600, CarConfigInfoUploadNecessity: before.CarConfigInfoUploadNecessity, DispConsentInCarHMI: 1 });
    expect(await pollActions(overridden)).toMatchObject({ GetActionCycle: 60, DispConsentInCarHMI: 1 });

    const { entries } = await admin.audit.list({ limit: 2 });
    expect(entries.map((e) => [e.action, e.entityType, e.entityId, e.details])).toEqual([
      ['action_default.update', 'action_default', 'DispConsentInCarHMI', { value: { from: before.DispConsentInCarHMI ?? null, to: 1 } }],
      ['action_default.update', 'action_default', 'GetActionCycle', { value: { from: before.GetActionCycle ?? null, to: 3600 } }],
    ]);
    expect(entries[0]!.actorEmail).toMatch(/^admin-/);
  });

  it('creates the default when the database has none yet (vehicles got 0 until then)', async () => {
    const db = await getDb();
    await db.delete(actionDefaults).where(eq(actionDefaults.actionId, 'CarConfigInfoUploadNecessity'));
    const unset = (await admin.settings.actionDefaults()).find((a) => a.actionId === 'CarConfigInfoUploadNecessity');
    expect(unset).toMatchObject({ value: 0, isSet: false, updatedAt: null });
    expect((await pollActions(vin)).CarConfigInfoUploadNecessity).toBe(0);
    await admin.settings.setActionDefault({ actionId: 'CarConfigInfoUploadNecessity', value: 1 });
    expect((await pollActions(vin)).CarConfigInfoUploadNecessity).toBe(1);
  });

  it('the change is what C_03 reads within the same transaction, and a rollback leaves nothing', async () => {
    const db = await getDb();
    const rollback = new Error('rollback');
    await expect(
      db.transaction(async (tx) => {
        const current = await actionsFor(tx, { vin, primaryId: '0', proof: { signed: { vin, primaryId: '0' } } });
        const next = (current.find((a) => a.actionId === 'GetActionCycle')!.value + 1) % 100_000;
        await setActionDefault(tx, userActor({ id: 0, email: 'test@example.com' }), { actionId: 'GetActionCycle', value: next });
        const answered = await actionsFor(tx, { vin, primaryId: '0', proof: { signed: { vin, primaryId: '0' } } });
        expect(answered.find((a) => a.actionId === 'GetActionCycle')!.value).toBe(next);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('setting the value a default has already changes nothing and writes no audit row', async () => {
    const db = await getDb();
    const rollback = new Error('rollback');
    await expect(
      db.transaction(async (tx) => {
        const [current] = await tx.select().from(actionDefaults).where(eq(actionDefaults.actionId, 'DispConsentInCarHMI'));
        const value = current?.value ?? 0;
        await setActionDefault(tx, userActor({ id: 0, email: 'same@example.com' }), { actionId: 'DispConsentInCarHMI', value });
        const first = await setActionDefault(tx, userActor({ id: 0, email: 'same@example.com' }), { actionId: 'DispConsentInCarHMI', value });
        expect(first.value).toBe(value);
        const [{ n } = { n: -1 }] = await tx.select({ n: count() }).from(auditLog).where(eq(auditLog.actorEmail, 'same@example.com'));
        expect(n).toBe(current ? 0 : 1);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it.each([
    ['a negative value', -1, 'The value cannot be negative'],
    ['a fraction', 1.5, 'Enter a whole number'],
    ['a value beyond the column', 2 ** 31, 'The value can be at most 2147483647'],
  ])('refuses %s with a readable message', async (_, value, message) => {
    const error = await admin.settings.setActionDefault({ actionId: 'GetActionCycle', value }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect((error as TRPCError).message).toContain(message);
  });

  it('lets only admins change a default', async () => {
    for (const role of ['support', 'operator'] as const) {
      const error = await (await callerAs(role)).settings.setActionDefault({ actionId: 'GetActionCycle', value: 5 }).catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe('FORBIDDEN');
    }
  });
});
