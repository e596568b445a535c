import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, vehicles } from '@/db/schema';
import { actorName, userActor } from '../auth/actor';
import { getDb } from '../db';
import { makeVehicles, uniqueVin } from '../testing/factories';
import { importVehiclesCsv } from '../vehicles/import-vehicles';

// The REST API (server/rest/) calls the same services as tRPC, with no router around them: the service
// alone must commit the change with an audit row naming who acted, or neither.
describe('a service called directly, as the REST API does', () => {
  const actor = userActor({ id: 0, email: `rest-${randomUUID().slice(0, 8)}@test.example` });

  it('commits the change with its audit row, naming the actor', async () => {
    const db = await getDb();
    const [a, b] = [uniqueVin('S'), uniqueVin('S')];
    const result = await importVehiclesCsv(db, actor, { csv: `vin,model,region\n${a},Aurora EV,JP\n${b},Aurora EV,EU\n`, fileName: 'direct.csv' });
    expect(result).toEqual({ imported: 2, vins: [a, b] });
    expect(await db.select({ vin: vehicles.vin }).from(vehicles).where(inArray(vehicles.vin, [a, b]))).toHaveLength(2);
    const rows = await db.select().from(auditLog).where(eq(auditLog.actorEmail, actorName(actor)));
    expect(rows).toEqual([
      expect.objectContaining({ action: 'vehicle.import', entityType: 'vehicle', entityId: null, details: { fileName: 'direct.csv', imported: 2, firstVins: [a, b] } }),
    ]);
  });

  it('leaves neither the change nor an audit row when it refuses', async () => {
    const db = await getDb();
    const other = userActor({ id: 0, email: `rest-${randomUUID().slice(0, 8)}@test.example` });
    const [registered] = await makeVehicles(db, 1);
    const fresh = uniqueVin('S');
    await expect(importVehiclesCsv(db, other, { csv: `vin,model,region\n${fresh},Aurora EV,JP\n${registered},Aurora EV,EU\n` })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await db.select().from(vehicles).where(eq(vehicles.vin, fresh))).toEqual([]);
    expect(await db.select().from(auditLog).where(eq(auditLog.actorEmail, actorName(other)))).toEqual([]);
  });
});
