import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { FixedStatement, queryRows, type Tx } from './client';
import { hotTransaction, type CommitTail } from './hot-transaction';
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

  describe('the commit tail (writes sent with COMMIT)', () => {
    const setRegion = new FixedStatement(['vin', 'region'], (p) => sql`update vehicles set region = ${p.region} where vin = ${p.vin}`);
    const stampTx = new FixedStatement(['vin'], (p) => sql`update vehicles set model = txid_current()::text where vin = ${p.vin}`);
    const failing = new FixedStatement(['vin'], (p) => sql`update vehicles set region = 'X' where vin = ${p.vin} and 1 / (length(vin) - length(vin)) = 0`);
    // PGlite's driver wraps the database's error ("Failed query: …", its cause).
    const databaseError = (running: Promise<unknown>) => running.then(() => 'no error', (e: { cause?: unknown }) => String(e.cause ?? e));
    /** More failing transactions than the pool has connections (each must give its own back): each one's error, and the vehicles they tried to store. */
    const failingRounds = async (work: (tx: Tx, tail: CommitTail, fresh: string) => Promise<void>) => {
      const db = await getDb();
      const attempted: string[] = [];
      const errors: string[] = [];
      for (let i = 0; i < 12; i++) {
        const fresh = vin();
        attempted.push(fresh);
        errors.push(
          await databaseError(
            hotTransaction(db, async (tx, tail) => {
              await tx.insert(vehicles).values({ vin: fresh });
              await work(tx, tail, fresh);
            }),
          ),
        );
      }
      return { attempted, errors };
    };
    const regionOf = async (v: string) => (await (await getDb()).select({ region: vehicles.region, model: vehicles.model }).from(vehicles).where(inArray(vehicles.vin, [v])))[0];

    it('writes after the work, in the order added, inside the same transaction', async () => {
      const db = await getDb();
      const a = vin();
      const txid = await hotTransaction(db, async (tx, tail) => {
        await tx.insert(vehicles).values({ vin: a, region: 'EU' });
        tail.add(setRegion, { vin: a, region: 'US' });
        tail.add(stampTx, { vin: a });
        tail.add(setRegion, { vin: a, region: 'JP' });
        const [row] = await queryRows<{ txid: string }>(tx, sql`select txid_current()::text as txid`);
        // Not written yet: the tail goes out with COMMIT.
        const [seen] = await queryRows<{ region: string }>(tx, sql`select region from vehicles where vin = ${a}`);
        expect(seen!.region).toBe('EU');
        return row!.txid;
      });
      expect(await regionOf(a)).toEqual({ region: 'JP', model: txid });
    });

    it('stores nothing when a tail write fails, throws its error, and gives the connection back', async () => {
      const db = await getDb();
      const taken = vin();
      await db.insert(vehicles).values({ vin: taken, region: 'EU' });
      const { attempted, errors } = await failingRounds(async (tx, tail, fresh) => {
        tail.add(setRegion, { vin: taken, region: 'US' });
        tail.add(failing, { vin: fresh });
      });
      for (const error of errors) expect(error).toMatch(/division by zero/);
      expect(await stored(attempted)).toEqual([]);
      expect((await regionOf(taken))!.region).toBe('EU');
      const after = vin();
      await hotTransaction(db, async (tx, tail) => tail.add(stampTx, { vin: after }));
      await hotTransaction(db, (tx) => tx.insert(vehicles).values({ vin: after }));
      expect(await stored([after])).toEqual([after]);
    });

    it('sends an early write before the statements after it, which read what it wrote', async () => {
      const db = await getDb();
      const a = vin();
      await db.insert(vehicles).values({ vin: a, region: 'EU' });
      const seen = await hotTransaction(db, async (tx, tail) => {
        await tail.early(tx, setRegion, { vin: a, region: 'US' });
        const [row] = await queryRows<{ region: string }>(tx, sql`select region from vehicles where vin = ${a}`);
        tail.add(setRegion, { vin: a, region: 'JP' });
        return row!.region;
      });
      expect(seen).toBe('US');
      expect((await regionOf(a))!.region).toBe('JP');
    });

    it('stores nothing when an early write fails, and throws its error rather than the aborted statement after it', async () => {
      const db = await getDb();
      const { attempted, errors } = await failingRounds(async (tx, tail, fresh) => {
        await tail.early(tx, failing, { vin: fresh });
        await queryRows(tx, sql`select 1`);
      });
      for (const error of errors) expect(error).toMatch(/division by zero/);
      // Also when nothing follows it but the COMMIT (which PostgreSQL then answers with a rollback).
      const last = vin();
      attempted.push(last);
      const error = await databaseError(
        hotTransaction(db, async (tx, tail) => {
          await tx.insert(vehicles).values({ vin: last });
          await tail.early(tx, failing, { vin: last });
        }),
      );
      expect(error).toMatch(/division by zero/);
      expect(await stored(attempted)).toEqual([]);
      const after = vin();
      await hotTransaction(db, (tx) => tx.insert(vehicles).values({ vin: after }));
      expect(await stored([after])).toEqual([after]);
    });
  });
});
