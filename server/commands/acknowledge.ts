import { sql } from 'drizzle-orm';
import { FixedStatement } from '@/db/client';
import type { Phase } from '@/db/schema';

/**
 * The vehicle acted on StartCampaign for these campaigns: it is not delivered again. A fixed
 * statement (`campaignIds` a PostgreSQL int[] literal, see `acknowledgement`), so that a
 * notification can send it with its COMMIT (hot-transaction.ts).
 */
export const acknowledgeStart = new FixedStatement(
  ['vin', 'campaignIds'],
  (p) => sql`update commands set status = 'acknowledged', acknowledged_at = now()
    where vin = ${p.vin} and campaign_id = any(${p.campaignIds}::int[]) and command = 'StartCampaign' and status in ('pending', 'delivered')`,
);

/** acknowledgeStart's values. */
export const acknowledgement = (vin: string, campaignIds: number[]) => ({ vin, campaignIds: `{${campaignIds.map((id) => Math.trunc(id)).join(',')}}` });

/**
 * Phases a membership reaches only through an event that acknowledged its StartCampaign in the
 * same transaction (ingest-notification.ts): a vehicle's later events need not acknowledge it
 * again (each was an UPDATE round trip per event that changed nothing). An operator's retry
 * puts the vehicle back to `queued` with a new command, which its next first event acknowledges.
 */
export const acknowledgedPhases: readonly Phase[] = ['downloading', 'downloaded', 'installing', 'activating', 'completed'];
