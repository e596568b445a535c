import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { FixedQuery } from './client';
import { hotTransaction } from './hot-transaction';
import { vehicles } from './schema';

const vin = () => `FIXQ${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
const byVin = new FixedQuery(['vin'], (db, p) => db.select({ vin: vehicles.vin, lastSeenAt: vehicles.lastSeenAt }).from(vehicles).where(eq(vehicles.vin, p.vin as string)));
const rename = new FixedQuery(['vin', 'primaryId'], (db, p) =>
  db
    .update(vehicles)
    .set({ primaryId: sql`${p.primaryId}` })
    .where(eq(vehicles.vin, p.vin as string))
    .returning({ vin: vehicles.vin, primaryId: vehicles.primaryId }),
);

describe('FixedQuery (a drizzle query built once, run with each call’s values)', () => {
  it('answers each call with its own values and drizzle’s row mapping, on the pool and in a transaction', async () => {
    const db = await getDb();
    const [a, b] = [vin(), vin()];
    await db.insert(vehicles).values([{ vin: a, lastSeenAt: new Date('2026-01-02T03:04:05Z') }, { vin: b }]);
    expect(await byVin.run(db, { vin: a })).toEqual([{ vin: a, lastSeenAt: new Date('2026-01-02T03:04:05Z') }]);
    expect(await byVin.run(db, { vin: b })).toEqual([{ vin: b, lastSeenAt: null }]);
    expect(await byVin.run(db, { vin: 'NOSUCHVIN' })).toEqual([]);

    // In a transaction it runs on the transaction's connection: a rollback undoes what it wrote.
    await expect(
      hotTransaction(db, async (tx) => {
        expect(await rename.run(tx, { vin: a, primaryId: 'P-1' })).toEqual([{ vin: a, primaryId: 'P-1' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [after] = await db.select({ primaryId: vehicles.primaryId }).from(vehicles).where(eq(vehicles.vin, a));
    expect(after!.primaryId).not.toBe('P-1');
    expect(await hotTransaction(db, (tx) => rename.run(tx, { vin: b, primaryId: 'P-2' }))).toEqual([{ vin: b, primaryId: 'P-2' }]);
    const [committed] = await db.select({ primaryId: vehicles.primaryId }).from(vehicles).where(eq(vehicles.vin, b));
    expect(committed!.primaryId).toBe('P-2');
  });
});
