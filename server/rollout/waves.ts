import type { RolloutPlan } from '@/db/schema';

/**
 * How many vehicles each wave holds for a campaign of `total` vehicles. Percentages are of the
 * whole campaign, rounded on the running sum so the sizes add up; the last wave takes whoever
 * is left, so every vehicle belongs to a wave.
 */
export function waveSizes(total: number, plan: Pick<RolloutPlan, 'waves'>): number[] {
  const waves = plan.waves.length ? plan.waves : [{ size: 100, unit: 'percent' as const }];
  const sizes: number[] = [];
  let assigned = 0;
  let cumulativePercent = 0;
  for (const wave of waves) {
    let size: number;
    if (wave.unit === 'percent') {
      cumulativePercent += wave.size;
      size = Math.round((Math.min(100, cumulativePercent) / 100) * total) - assigned;
    } else size = wave.size;
    size = Math.max(0, Math.min(size, total - assigned));
    sizes.push(size);
    assigned += size;
  }
  sizes[sizes.length - 1]! += total - assigned;
  return sizes;
}

/** The wave of each vehicle, in the given order (0-based). */
export function assignWaves<T>(members: T[], plan: Pick<RolloutPlan, 'waves'>): { member: T; wave: number }[] {
  const sizes = waveSizes(members.length, plan);
  const out: { member: T; wave: number }[] = [];
  let index = 0;
  sizes.forEach((size, wave) => {
    for (let i = 0; i < size; i++) out.push({ member: members[index++]!, wave });
  });
  return out;
}

export type WaveCounts = {
  /** Vehicles of the current wave that can still take part (not blocked by preconditions, not cancelled). */
  eligible: number;
  completed: number;
  failed: number;
  /** The whole campaign (all waves): vehicles offered it and not finished (on their way, or yet to start). */
  campaignInProgress: number;
  campaignFailed: number;
  /** Not offered it for now: their configuration does not meet the preconditions (they may upload one that does). */
  campaignBlocked: number;
  /** Declined, in a campaign that offers it again after its re-offer delay. */
  campaignReofferDeclined: number;
};

export type WaveDecision =
  | { action: 'none' }
  | { action: 'suspend'; reason: string }
  | { action: 'advance'; reason: string }
  | { action: 'await-operator'; reason: string }
  | { action: 'complete'; reason: string }
  | { action: 'wait'; reason: string };

const pct = (n: number, of: number) => (of ? (100 * n) / of : 0);
const fmt = (n: number) => `${Math.round(n * 10) / 10}%`;

/**
 * What the campaign should do now, from its current wave's counts (pure): suspend itself when
 * failures reach the error threshold; start the next wave once successes reach the success
 * threshold (on its own, or waiting for an operator); complete after the last wave when no
 * vehicle is left on its way, failed, blocked by the preconditions or declined with a re-offer
 * to come. When only those last three are left, it waits and says for whom (`wait`: nothing
 * to do until they move or an operator acts). After a resume only failures beyond the
 * `acknowledgedFailures` the operator saw count toward the error threshold.
 */
export function decideWave(plan: RolloutPlan, currentWave: number, waveCount: number, counts: WaveCounts, acknowledgedFailures = 0): WaveDecision {
  const label = `wave ${currentWave + 1} of ${waveCount}`;
  // Failures an operator acknowledged by resuming do not suspend the campaign again.
  const newFailures = Math.max(0, counts.failed - acknowledgedFailures);
  if (counts.eligible > 0 && newFailures > 0 && pct(newFailures, counts.eligible) >= plan.errorThreshold) {
    const since = acknowledgedFailures ? ` since it was resumed` : '';
    return {
      action: 'suspend',
      reason: `${newFailures} of ${counts.eligible} vehicles in ${label} failed${since} (${fmt(pct(newFailures, counts.eligible))}), reaching the error threshold of ${plan.errorThreshold}%.`,
    };
  }
  const successReached = counts.eligible === 0 || pct(counts.completed, counts.eligible) >= plan.successThreshold;
  if (currentWave + 1 < waveCount) {
    if (!successReached) return { action: 'none' };
    const reason = `${counts.completed} of ${counts.eligible} vehicles in ${label} completed (${fmt(pct(counts.completed, counts.eligible))}), reaching the success threshold of ${plan.successThreshold}%.`;
    return plan.autoAdvance ? { action: 'advance', reason } : { action: 'await-operator', reason: `${reason} Start the next wave when ready.` };
  }
  if (counts.campaignInProgress > 0) return { action: 'none' };
  const waitingFor = [
    counts.campaignFailed && `${vehicles(counts.campaignFailed)} failed (an operator may retry them)`,
    counts.campaignBlocked && `${vehicles(counts.campaignBlocked)} ${counts.campaignBlocked === 1 ? 'is' : 'are'} blocked by the preconditions (each is offered the campaign when it uploads a configuration that meets them)`,
    counts.campaignReofferDeclined && `${vehicles(counts.campaignReofferDeclined)} declined (each is offered the campaign again after the re-offer delay)`,
  ].filter((part): part is string => !!part);
  if (!waitingFor.length) return { action: 'complete', reason: 'every vehicle finished.' };
  return { action: 'wait', reason: `No vehicle is on its way, but ${waitingFor.join('; ')}. The campaign completes when they finish, or when an operator completes it.` };
}

const vehicles = (n: number) => (n === 1 ? '1 vehicle' : `${n} vehicles`);

/**
 * The vehicle counts behind a wave's thresholds (pure): how many must complete before the
 * next wave starts, and how many new failures suspend the campaign.
 */
export function thresholdCounts(plan: Pick<RolloutPlan, 'successThreshold' | 'errorThreshold'>, eligible: number): { successNeeded: number; failuresToSuspend: number } {
  const atLeast = (percent: number) => Math.max(0, Math.ceil((eligible * percent) / 100 - 1e-9));
  return { successNeeded: atLeast(plan.successThreshold), failuresToSuspend: Math.max(1, atLeast(plan.errorThreshold)) };
}
