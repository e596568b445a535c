import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { commands } from '@/db/schema';

/** The vehicle acted on StartCampaign for these campaigns: it is not delivered again. */
export async function acknowledgeStartCampaign(db: Queryable, vin: string, campaignIds: number[]): Promise<void> {
  await db
    .update(commands)
    .set({ status: 'acknowledged', acknowledgedAt: sql`now()` })
    .where(and(eq(commands.vin, vin), inArray(commands.campaignId, campaignIds), eq(commands.command, 'StartCampaign'), inArray(commands.status, ['pending', 'delivered'])));
}
