import { sql } from 'drizzle-orm';
import { queryRows, textArray, type Queryable } from '@/db/client';
import { invalid } from '../errors';

/** Which of these VINs are registered: one query, however many (the list travels as one text[] parameter). */
export async function findRegisteredVins(db: Queryable, vins: readonly string[]): Promise<Set<string>> {
  if (!vins.length) return new Set();
  const rows = await queryRows<{ vin: string }>(db, sql`select vin from vehicles where vin = any(${textArray([...new Set(vins)])})`);
  return new Set(rows.map((r) => r.vin));
}

/** The given VINs that are not registered, each once, in the order given. */
export async function findUnknownVins(db: Queryable, vins: readonly string[]): Promise<string[]> {
  const known = await findRegisteredVins(db, vins);
  return [...new Set(vins)].filter((v) => !known.has(v));
}

/** The builder's check of pasted VINs: those not registered, and how many distinct ones are. */
export async function checkVins(db: Queryable, vins: readonly string[]): Promise<{ unknown: string[]; known: number }> {
  const unknown = await findUnknownVins(db, vins);
  return { unknown, known: new Set(vins).size - unknown.length };
}

/** Refuses (INVALID_REQUEST, naming the first ten) when any of these VINs is not registered. */
export async function requireRegistered(db: Queryable, vins: readonly string[]): Promise<void> {
  const unknown = await findUnknownVins(db, vins);
  if (unknown.length) {
    const shown = unknown.slice(0, 10).join(', ');
    throw invalid(`${unknown.length} VIN(s) are not registered: ${shown}${unknown.length > 10 ? ', …' : ''}`);
  }
}
