import type { Db } from '@/db/client';
import { logger } from '../logging/logger';
import { evaluateRollout } from './engine';

const EVALUATIONS = Symbol.for('ota.rollout-after-commit');
type Chain = { running: Promise<void>; next: Promise<void> | null };
type EvaluationsGlobal = typeof globalThis & { [EVALUATIONS]?: Map<number, Chain> };

/**
 * Looks at the thresholds of campaigns whose row a vehicle's run-ending event found busy in its
 * own transaction (evaluateRolloutIfFree), after that transaction committed and before the
 * vehicle is answered: in a transaction of its own that waits for the campaign row but holds
 * no vehicle's row meanwhile. When it resolves, an evaluation that started after the caller's
 * commit has finished, so it counted the caller's events.
 *
 * Coalesced per campaign in this process: while one evaluation runs, every caller that
 * arrives waits for the single one queued behind it, so however many vehicles finish at once
 * a campaign is evaluated at most twice at a time here. A failure is logged, not raised (the
 * events are committed): the sweep (any instance, every 30 s) evaluates every deployed campaign.
 */
export async function evaluateAfterCommit(db: Db, campaignIds: readonly number[]): Promise<void> {
  for (const id of campaignIds) await evaluationStartingNow(db, id);
}

function evaluationStartingNow(db: Db, campaignId: number): Promise<void> {
  const g = globalThis as EvaluationsGlobal;
  const chains = (g[EVALUATIONS] ??= new Map());
  const chain = chains.get(campaignId);
  if (!chain) {
    const running = evaluate(db, campaignId).finally(() => advance(chains, campaignId));
    chains.set(campaignId, { running, next: null });
    return running;
  }
  // One is running, and may have folded the counters before this caller committed: wait for the next.
  chain.next ??= chain.running.then(() => evaluate(db, campaignId));
  return chain.next;
}

/** The running evaluation ended: the queued one (if any) becomes the running one. */
function advance(chains: Map<number, Chain>, campaignId: number): void {
  const chain = chains.get(campaignId);
  if (!chain?.next) {
    chains.delete(campaignId);
    return;
  }
  const running = chain.next.finally(() => advance(chains, campaignId));
  chains.set(campaignId, { running, next: null });
}

async function evaluate(db: Db, campaignId: number): Promise<void> {
  try {
    await db.transaction((tx) => evaluateRollout(tx, campaignId));
  } catch (error) {
    logger.warn({ err: error, campaignId }, 'rollout evaluation after a notification failed; the sweep will retry');
  }
}
