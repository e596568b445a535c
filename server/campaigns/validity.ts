import { and, eq } from 'drizzle-orm';
import { FixedQuery, type Db, type Queryable } from '@/db/client';
import { hotTransaction } from '@/db/hot-transaction';
import { campaigns, campaignVehicles } from '@/db/schema';
import { touchVehicle, type VehicleIdentity } from '../vehicles/require-vehicle';
import { offerFactsColumns, offerObstacles } from './offer-rule';

export type Validity = 'Deployed' | 'Suspended' | 'Cancelled' | 'Completed' | 'NotTargeted' | 'NotFound';

/**
 * API_5 (C_18): whether this vehicle should go on with the campaign. `Deployed` exactly when
 * the campaign is offered to it (the rule of offer-rule.ts); otherwise the first that holds:
 * - a draft is not published yet: NotFound; a vehicle not in it: NotTargeted;
 * - the vehicle finished it: Completed; was cancelled out of it: Cancelled;
 * - the campaign is not deployed: its own status;
 * - the window has closed and nothing else stands in the way: Completed;
 * - otherwise (failed or declined without a re-offer due, wave not released, blocked by the
 *   preconditions, window not open yet): Suspended.
 */
export async function campaignValidity(db: Db, id: VehicleIdentity, campaignId: number, now = new Date()): Promise<Validity> {
  // One connection for both statements: taken separately, each waited for the pool again, and
  // under a fleet's load C_18 took twice as long as any other request. Sent together: one wait.
  const row = await hotTransaction(db, async (tx) => {
    const [, facts] = await Promise.all([touchVehicle(tx, id), offerFactsOf(tx, id.vin, campaignId)]);
    return facts[0];
  });
  return validityOf(row, now);
}

const offerFacts = new FixedQuery(['vin', 'campaignId'], (db, p) =>
  db
    .select(offerFactsColumns)
    .from(campaigns)
    .leftJoin(campaignVehicles, and(eq(campaignVehicles.campaignId, campaigns.id), eq(campaignVehicles.vin, p.vin as string)))
    .where(eq(campaigns.id, p.campaignId as number)),
);
const offerFactsOf = (db: Queryable, vin: string, campaignId: number) => offerFacts.run(db, { vin, campaignId });

function validityOf(row: Awaited<ReturnType<typeof offerFactsOf>>[number] | undefined, now: Date): Validity {
  if (!row || row.status === 'Draft') return 'NotFound';
  const { phase, wave } = row;
  if (phase === null || wave === null) return 'NotTargeted';
  // The vehicle's own end comes first: taken out stays Cancelled, finished stays Completed.
  if (phase === 'cancelled') return 'Cancelled';
  if (phase === 'completed') return 'Completed';
  if (row.status !== 'Deployed') return row.status;
  const obstacles = offerObstacles({ ...row, phase, wave }, now);
  if (!obstacles.length) return 'Deployed';
  return obstacles.every((o) => o === 'closed') ? 'Completed' : 'Suspended';
}
