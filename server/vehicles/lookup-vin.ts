import { asc, count, ilike, sql } from 'drizzle-orm';
import { z } from 'zod';
import { likeEscape, type Queryable } from '@/db/client';
import { vehicles } from '@/db/schema';

export const LOOKUP_LIMIT = 50;

export const lookupResultSchema = z.object({
  query: z.string(),
  /** The one VIN the query names exactly (any case): the page goes straight to it. */
  exact: z.string().nullable(),
  matches: z.array(z.object({ vin: z.string(), model: z.string().nullable(), region: z.string().nullable(), rmState: z.string().nullable(), lastSeenAt: z.date().nullable() })),
  /** How many VINs contain the query; at most LOOKUP_LIMIT of them are listed. */
  total: z.number(),
});
export type LookupResult = z.infer<typeof lookupResultSchema>;

/** What a support person typed into the VIN box: one exact VIN, or the VINs that contain it. */
export async function lookupVin(db: Queryable, input: { q: string }): Promise<LookupResult> {
  const query = input.q.trim();
  if (!query) return { query, exact: null, matches: [], total: 0 };
  const exactMatches = await db
    .select({ vin: vehicles.vin })
    .from(vehicles)
    .where(sql`lower(${vehicles.vin}) = lower(${query})`)
    .limit(2);
  // Two VINs differing only in case are both listed rather than guessed between.
  const exact = exactMatches.length === 1 ? exactMatches[0]!.vin : exactMatches.find((v) => v.vin === query)?.vin ?? null;
  const pattern = `%${likeEscape(query)}%`;
  const [totals] = await db.select({ n: count() }).from(vehicles).where(ilike(vehicles.vin, pattern));
  const matches = await db
    .select({ vin: vehicles.vin, model: vehicles.model, region: vehicles.region, rmState: vehicles.rmState, lastSeenAt: vehicles.lastSeenAt })
    .from(vehicles)
    .where(ilike(vehicles.vin, pattern))
    .orderBy(asc(vehicles.vin))
    .limit(LOOKUP_LIMIT);
  return { query, exact, matches, total: totals?.n ?? 0 };
}
