import type { Db } from '@/db/client';
import { logger } from '../logging/logger';
import { evaluateRollout } from './engine';

const NUDGE = Symbol.for('ota.rollout-nudge');
type NudgeState = { pending: Set<number>; timer: NodeJS.Timeout | null };
type NudgeGlobal = typeof globalThis & { [NUDGE]?: NudgeState };

/** How soon after a notification's commit the thresholds it could not look at are looked at. */
const NUDGE_DELAY_MS = 200;

/**
 * Campaigns whose thresholds a vehicle's run-ending event could not evaluate in its own
 * transaction, because another transaction held the campaign's row at that moment
 * (evaluateRolloutIfFree): this process evaluates each of them once, shortly after, in a
 * transaction of its own that waits for the row. However many vehicles finish at once, a
 * campaign is evaluated at most once per NUDGE_DELAY_MS here, and no vehicle's request waits
 * for it. A hint only: if the process stops first, the sweep (any instance, every 30 s)
 * evaluates every deployed campaign anyway.
 */
export function nudgeRollout(db: Db, campaignIds: readonly number[]): void {
  if (!campaignIds.length) return;
  const g = globalThis as NudgeGlobal;
  const state = (g[NUDGE] ??= { pending: new Set(), timer: null });
  for (const id of campaignIds) state.pending.add(id);
  if (state.timer) return;
  state.timer = setTimeout(() => {
    const ids = [...state.pending];
    state.pending.clear();
    state.timer = null;
    void evaluateEach(db, ids);
  }, NUDGE_DELAY_MS);
  state.timer.unref();
}

async function evaluateEach(db: Db, campaignIds: number[]): Promise<void> {
  for (const id of campaignIds) {
    try {
      await db.transaction((tx) => evaluateRollout(tx, id));
    } catch (error) {
      logger.warn({ err: error, campaignId: id }, 'rollout evaluation after a notification failed; the sweep will retry');
    }
  }
}
