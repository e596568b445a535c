import { sql } from 'drizzle-orm';
import { textArray, type Queryable } from '@/db/client';
import type { Phase } from '@/db/schema';
import { mayEndRun, type PhaseEvent } from '../campaigns/vehicle-phase';

/**
 * Which events may move a vehicle's campaign phase (docs/security.md, "Forged events"). A
 * vehicle speaks only for its own runs:
 *
 * - `not-a-target`: the event names a campaign (through its attempt) the vehicle is not a target of;
 * - `not-started`: the vehicle is a target but the campaign was never offered to it — its
 *   membership is still `queued`: no StartCampaign was delivered (C_36) and no configuration
 *   upload selected the campaign (C_05). A failure from such a vehicle would otherwise count
 *   toward its wave's error threshold;
 * - `attempt-not-opened`: an event that ends a run (C_28, C_35, a failure or refusal) names an
 *   attemptId the server never opened (not by C_05, not a campaign id the vehicle has started).
 *
 * Such an event is stored (the evidence) with its reason in `events.implausible_reason`, and
 * changes no phase, no threshold and no command.
 */
export type ImplausibleReason = 'not-a-target' | 'not-started' | 'attempt-not-opened';

/** A membership whose campaign the vehicle has been offered and has started. */
export const hasStarted = (phase: Phase) => phase !== 'queued';

/** A run-ending event whose attemptId the server never opened (so no campaign was found for it). */
export const endsUnopenedAttempt = (e: Pick<PhaseEvent, 'code' | 'status'> & { attemptId: string | null; campaignId: number | null }) =>
  e.attemptId !== null && e.campaignId === null && mayEndRun(e);

/** Records why each event moved nothing: one statement, only when some event was implausible. */
export async function flagImplausible(db: Queryable, flags: { eventId: number; reason: ImplausibleReason }[]): Promise<void> {
  if (!flags.length) return;
  await db.execute(sql`update events e set implausible_reason = f.reason
    from unnest(${textArray(flags.map((f) => String(f.eventId)))}, ${textArray(flags.map((f) => f.reason))}) as f(id, reason)
    where e.id = f.id::bigint`);
}
