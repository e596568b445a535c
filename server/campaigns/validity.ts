import { and, eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles } from '@/db/schema';
import { touchVehicle, type VehicleIdentity } from '../vehicles/require-vehicle';

export type Validity = 'Deployed' | 'Suspended' | 'Cancelled' | 'Completed' | 'NotTargeted' | 'NotFound';

/**
 * API_5 (C_18): whether the vehicle should go on with the campaign. A draft is not published
 * yet (NotFound); a vehicle cancelled out of a running campaign gets Cancelled.
 */
export async function campaignValidity(db: Queryable, id: VehicleIdentity, campaignId: number): Promise<Validity> {
  const vin = id.vin;
  await touchVehicle(db, id);
  const [row] = await db
    .select({ status: campaigns.status, phase: campaignVehicles.phase })
    .from(campaigns)
    .leftJoin(campaignVehicles, and(eq(campaignVehicles.campaignId, campaigns.id), eq(campaignVehicles.vin, vin)))
    .where(eq(campaigns.id, campaignId));
  if (!row || row.status === 'Draft') return 'NotFound';
  if (row.phase === null) return 'NotTargeted';
  if (row.phase === 'cancelled') return 'Cancelled';
  return row.status as Validity;
}
