import { and, desc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { attempts, campaignVehicles } from '@/db/schema';

export type AttemptRow = { attemptId: string; campaignId: number };

/** An attemptId that, unknown, opens an attempt when it names a campaign the vehicle is in. */
export const mayOpenAttempt = (attemptId: string) => /^\d{1,9}$/.test(attemptId);

/**
 * Which campaign each attemptId of this vehicle belongs to. An attempt opened by C_05 is
 * looked up; an unknown numeric attemptId that names a campaign the vehicle is in and has
 * started (the seed suggests attemptId = campaignId) opens that attempt. `known`: the vehicle's attempts
 * among `attemptIds`, when the caller already read them (ingest-notification.ts).
 */
export async function resolveAttemptCampaigns(db: Queryable, vin: string, attemptIds: string[], known?: AttemptRow[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (!attemptIds.length) return found;
  const rows =
    known ??
    (await db
      .select({ attemptId: attempts.attemptId, campaignId: attempts.campaignId })
      .from(attempts)
      .where(and(eq(attempts.vin, vin), inArray(attempts.attemptId, attemptIds))));
  for (const r of rows) found.set(r.attemptId, r.campaignId);

  const guessable = attemptIds.filter((a) => !found.has(a) && mayOpenAttempt(a));
  if (!guessable.length) return found;
  const members = await db
    .select({ campaignId: campaignVehicles.campaignId })
    .from(campaignVehicles)
    // Only a campaign the vehicle has started (plausibility.ts): a guessed id never opens an attempt for a run the vehicle was not offered.
    .where(and(eq(campaignVehicles.vin, vin), inArray(campaignVehicles.campaignId, guessable.map(Number)), ne(campaignVehicles.phase, 'queued')));
  const memberOf = new Set(members.map((m) => m.campaignId));
  const opened = guessable.filter((a) => memberOf.has(Number(a)));
  if (opened.length) {
    await db
      .insert(attempts)
      .values(opened.map((a) => ({ vin, attemptId: a, campaignId: Number(a) })))
      .onConflictDoNothing({ target: [attempts.vin, attempts.attemptId] });
    for (const a of opened) found.set(a, Number(a));
  }
  return found;
}

/**
 * The vehicle's open attempt: the most recently opened or resumed one whose campaign membership
 * has not ended. Null when it has none (an error then stays the vehicle's, not an update's).
 */
export async function openAttemptOf(db: Queryable, vin: string): Promise<{ attemptId: string; campaignId: number } | null> {
  const [row] = await db
    .select({ attemptId: attempts.attemptId, campaignId: attempts.campaignId })
    .from(attempts)
    .innerJoin(campaignVehicles, and(eq(campaignVehicles.campaignId, attempts.campaignId), eq(campaignVehicles.vin, attempts.vin)))
    .where(and(eq(attempts.vin, vin), notInArray(campaignVehicles.phase, ['completed', 'failed', 'declined', 'cancelled'])))
    .orderBy(sql`coalesce(${attempts.resumedAt}, ${attempts.openedAt}) desc`, desc(attempts.id))
    .limit(1);
  return row ?? null;
}
