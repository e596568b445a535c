import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { commands, type Phase } from '@/db/schema';

/** The vehicle acted on StartCampaign for these campaigns: it is not delivered again. */
export async function acknowledgeStartCampaign(db: Queryable, vin: string, campaignIds: number[]): Promise<void> {
  await db
    .update(commands)
    .set({ status: 'acknowledged', acknowledgedAt: sql`now()` })
    .where(and(eq(commands.vin, vin), inArray(commands.campaignId, campaignIds), eq(commands.command, 'StartCampaign'), inArray(commands.status, ['pending', 'delivered'])));
}

/**
 * Phases a membership reaches only through an event that acknowledged its StartCampaign in the
 * same transaction (ingest-notification.ts): a vehicle's later events need not acknowledge it
 * again (each was an UPDATE round trip per event that changed nothing). An operator's retry
 * puts the vehicle back to `queued` with a new command, which its next first event acknowledges.
 */
export const acknowledgedPhases: readonly Phase[] = ['downloading', 'downloaded', 'installing', 'activating', 'completed'];
