import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { queryRows } from './client';
import { hotTransaction } from './hot-transaction';
import { vehicles } from './schema';

const vin = () => `HOTTX${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
const stored = async (vins: string[]) => (await (await getDb()).select({ vin: vehicles.vin }).from(vehicles).where(inArray(vehicles.vin, vins))).map((r) => r.vin).sort();

describe('hotTransaction (BEGIN sent with the first statement)', () => {
  it('runs its statements in one transaction and commits them together', async () => {
    const db = await getDb();
    const [a, b] = [vin(), vin()];
    const times = await hotTransaction(db, async (tx) => {
      await tx.insert(vehicles).values({ vin: a });
      const [first] = await queryRows<{ at: string }>(tx, sql`select now()::text as at`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.insert(vehicles).values({ vin: b });
      const [second] = await queryRows<{ at: string }>(tx, sql`select now()::text as at`);
      return [first!.at, second!.at];
    });
    // now() is the transaction's start: the same for both statements only inside one transaction.
    expect(times[0]).toBe(times[1]);
    expect(await stored([a, b])).toEqual([a, b].sort());
  });

  it('stores nothing when the work throws, and passes the error on', async () => {
    const db = await getDb();
    const a = vin();
    await expect(
      hotTransaction(db, async (tx) => {
        await tx.insert(vehicles).values({ vin: a });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await stored([a])).toEqual([]);
  });

  it('stores nothing when a statement fails, and gives its connection back each time', async () => {
    const db = await getDb();
    const taken = vin();
    await db.insert(vehicles).values({ vin: taken });
    const attempted: string[] = [];
    // More failed transactions than the pool has connections: each must release its own.
    for (let i = 0; i < 12; i++) {
      const fresh = vin();
      attempted.push(fresh);
      await expect(
        hotTransaction(db, async (tx) => {
          await tx.insert(vehicles).values({ vin: fresh });
          await tx.insert(vehicles).values({ vin: taken }); // duplicate key
        }),
      ).rejects.toThrow();
    }
    expect(await stored(attempted)).toEqual([]);
    const after = vin();
    await hotTransaction(db, (tx) => tx.insert(vehicles).values({ vin: after }));
    expect(await stored([after])).toEqual([after]);
  });
});
