import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { getDb } from '../db';
import { makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';

const actionsOf = async (vin: string) => {
  const res = await postJson('/api/ota/v1/action', { signed: { vin, primaryId: '0' } });
  expect(res.status).toBe(200);
  const actions = (await res.json()).signed.body.actions as { actionId: string; value: number }[];
  return Object.fromEntries(actions.map((a) => [a.actionId, a.value]));
};

describe("a vehicle's action overrides", () => {
  it('an operator sets one, C_03 answers it, and clearing it brings back the fleet default', async () => {
    const db = await getDb();
    const [vin] = (await makeVehicles(db, 1)) as [string];
    const operator = await callerAs('operator');
    const before = await operator.vehicles.actionSettings({ vin });
    expect(before.map((a) => a.actionId)).toEqual(['GetActionCycle', 'CarConfigInfoUploadNecessity', 'DispConsentInCarHMI']);
    const cycleDefault = before[0]!.fleetDefault ?? 0;
    expect(before[0]).toMatchObject({ override: null, effective: cycleDefault });

    await operator.vehicles.setOverride({ vin, actionId: 'GetActionCycle', value: 3600 });
    expect((await actionsOf(vin)).GetActionCycle).toBe(3600);
    const set = await operator.vehicles.actionSettings({ vin });
    expect(set[0]).toMatchObject({ override: 3600, effective: 3600, overrideUpdatedAt: expect.any(Date) });

    await operator.vehicles.setOverride({ vin, actionId: 'GetActionCycle', value: 60 });
    expect((await actionsOf(vin)).GetActionCycle).toBe(60);
    // The same value again changes nothing: no audit row for it.
    await operator.vehicles.setOverride({ vin, actionId: 'GetActionCycle', value: 60 });

    expect(await operator.vehicles.clearOverride({ vin, actionId: 'GetActionCycle' })).toEqual({ ok: true, cleared: true });
    expect((await actionsOf(vin)).GetActionCycle).toBe(cycleDefault);
    expect((await operator.vehicles.actionSettings({ vin }))[0]).toMatchObject({ override: null, effective: cycleDefault });

    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityType, 'vehicle'), eq(auditLog.entityId, vin))).orderBy(asc(auditLog.id));
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ['vehicle.override.set', { actionId: 'GetActionCycle', value: 3600, previous: null }],
      ['vehicle.override.set', { actionId: 'GetActionCycle', value: 60, previous: 3600 }],
      ['vehicle.override.clear', { actionId: 'GetActionCycle', previous: 60 }],
    ]);
  });

  it('refuses values C_03 cannot carry and vehicles that do not exist, in words', async () => {
    const operator = await callerAs('operator');
    const [vin] = (await makeVehicles(await getDb(), 1)) as [string];
    await expect(operator.vehicles.setOverride({ vin, actionId: 'GetActionCycle', value: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(operator.vehicles.setOverride({ vin: 'NOSUCHVIN', actionId: 'GetActionCycle', value: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'vehicle NOSUCHVIN does not exist' });
    await expect((await callerAs('support')).vehicles.setOverride({ vin, actionId: 'GetActionCycle', value: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
