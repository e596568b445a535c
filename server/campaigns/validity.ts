import { and, eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles } from '@/db/schema';
import { touchVehicle, type VehicleIdentity } from '../vehicles/require-vehicle';

export type Validity = 'Deployed' | 'Suspended' | 'Cancelled' | 'Completed' | 'NotTargeted' | 'NotFound';

/**
 * API_5 (C_18): whether this vehicle should go on with the campaign, from the campaign's
 * status and window and the vehicle's own phase in it:
 * - a draft is not published yet: NotFound; a vehicle not in it: NotTargeted;
 * - the vehicle finished it: Completed; was cancelled out of it: Cancelled;
 * - the vehicle failed or declined it (until an operator retries), its wave is not released
 *   yet, its configuration does not meet the preconditions, or the window has not opened
 *   yet: Suspended; the window has closed: Completed;
 * - otherwise the campaign's own status.
 */
export async function campaignValidity(db: Queryable, id: VehicleIdentity, campaignId: number, now = new Date()): Promise<Validity> {
  await touchVehicle(db, id);
  const [row] = await db
    .select({
      status: campaigns.status,
      startsAt: campaigns.startsAt,
      endsAt: campaigns.endsAt,
      currentWave: campaigns.currentWave,
      phase: campaignVehicles.phase,
      wave: campaignVehicles.wave,
      blockedReason: campaignVehicles.blockedReason,
      declinedAt: campaignVehicles.declinedAt,
      reofferAfterHours: campaigns.reofferDeclinedAfterHours,
    })
    .from(campaigns)
    .leftJoin(campaignVehicles, and(eq(campaignVehicles.campaignId, campaigns.id), eq(campaignVehicles.vin, id.vin)))
    .where(eq(campaigns.id, campaignId));
  if (!row || row.status === 'Draft') return 'NotFound';
  if (row.phase === null) return 'NotTargeted';
  // The vehicle's own end comes first: taken out stays Cancelled, finished stays Completed.
  if (row.phase === 'cancelled') return 'Cancelled';
  if (row.phase === 'completed') return 'Completed';
  if (row.status !== 'Deployed') return row.status;
  const reoffered =
    row.phase === 'declined' && row.reofferAfterHours !== null && row.declinedAt !== null && row.declinedAt.getTime() + row.reofferAfterHours * 3_600_000 <= now.getTime();
  if (row.phase === 'failed' || (row.phase === 'declined' && !reoffered)) return 'Suspended';
  if ((row.wave ?? 0) > row.currentWave || row.blockedReason) return 'Suspended';
  if (row.startsAt && row.startsAt > now) return 'Suspended';
  if (row.endsAt && row.endsAt <= now) return 'Completed';
  return 'Deployed';
}
