import { describe, expect, it } from 'vitest';
import type { RolloutPlan } from '@/db/schema';
import { assignWaves, decideWave, thresholdCounts, waveSizes } from './waves';

const plan = (over: Partial<RolloutPlan> = {}): RolloutPlan => ({
  waves: [{ size: 25, unit: 'percent' }, { size: 25, unit: 'percent' }, { size: 25, unit: 'percent' }, { size: 25, unit: 'percent' }],
  successThreshold: 80,
  errorThreshold: 20,
  autoAdvance: true,
  ...over,
});

describe('waves', () => {
  it('splits by percentage with sizes that add up', () => {
    expect(waveSizes(200, plan())).toEqual([50, 50, 50, 50]);
    expect(waveSizes(10, { waves: [{ size: 33, unit: 'percent' }, { size: 33, unit: 'percent' }, { size: 34, unit: 'percent' }] })).toEqual([3, 4, 3]);
  });

  it('splits by count, the last wave taking whoever is left', () => {
    expect(waveSizes(200, { waves: [{ size: 10, unit: 'count' }, { size: 50, unit: 'count' }] })).toEqual([10, 190]);
    expect(waveSizes(5, { waves: [{ size: 10, unit: 'count' }, { size: 50, unit: 'count' }] })).toEqual([5, 0]);
    expect(waveSizes(3, { waves: [] })).toEqual([3]);
  });

  it('assigns every member to one wave in order', () => {
    const assigned = assignWaves(['a', 'b', 'c', 'd', 'e'], { waves: [{ size: 2, unit: 'count' }, { size: 100, unit: 'percent' }] });
    expect(assigned).toEqual([
      { member: 'a', wave: 0 },
      { member: 'b', wave: 0 },
      { member: 'c', wave: 1 },
      { member: 'd', wave: 1 },
      { member: 'e', wave: 1 },
    ]);
  });
});

describe('the decision after each change in the current wave', () => {
  it('waits while the wave is on its way', () => {
    expect(decideWave(plan(), 0, 4, { eligible: 50, completed: 30, failed: 5, campaignInProgress: 15, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 })).toEqual({ action: 'none' });
  });

  it('suspends at the error threshold and says why', () => {
    const d = decideWave(plan(), 1, 4, { eligible: 50, completed: 20, failed: 10, campaignInProgress: 20, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 });
    expect(d).toEqual({ action: 'suspend', reason: expect.stringContaining('10 of 50 vehicles in wave 2 of 4 failed (20%), reaching the error threshold of 20%') });
  });

  it('counts only failures after an operator resumed', () => {
    expect(decideWave(plan(), 1, 4, { eligible: 50, completed: 20, failed: 10, campaignInProgress: 20, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 }, 10)).toEqual({ action: 'none' });
    expect(decideWave(plan(), 1, 4, { eligible: 50, completed: 20, failed: 20, campaignInProgress: 10, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 }, 10)).toEqual({
      action: 'suspend',
      reason: expect.stringContaining('10 of 50 vehicles in wave 2 of 4 failed since it was resumed'),
    });
  });

  it('starts the next wave at the success threshold, or waits for an operator', () => {
    expect(decideWave(plan(), 0, 4, { eligible: 50, completed: 40, failed: 2, campaignInProgress: 8, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 }).action).toBe('advance');
    expect(decideWave(plan({ autoAdvance: false }), 0, 4, { eligible: 50, completed: 40, failed: 2, campaignInProgress: 8, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 })).toEqual({
      action: 'await-operator',
      reason: expect.stringContaining('Start the next wave when ready'),
    });
  });

  it('completes after the last wave only when nobody is left on the way, failed, blocked or to be asked again', () => {
    expect(decideWave(plan(), 3, 4, { eligible: 50, completed: 49, failed: 0, campaignInProgress: 1, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 }).action).toBe('none');
    expect(decideWave(plan(), 3, 4, { eligible: 50, completed: 49, failed: 0, campaignInProgress: 1, campaignFailed: 0, campaignBlocked: 3, campaignReofferDeclined: 0 }).action).toBe('none');
    expect(decideWave(plan(), 3, 4, { eligible: 50, completed: 48, failed: 2, campaignInProgress: 0, campaignFailed: 2, campaignBlocked: 0, campaignReofferDeclined: 0 })).toEqual({
      action: 'wait',
      reason: 'No vehicle is on its way, but 2 vehicles failed (an operator may retry them). The campaign completes when they finish, or when an operator completes it.',
    });
    expect(decideWave(plan({ errorThreshold: 100 }), 3, 4, { eligible: 50, completed: 50, failed: 0, campaignInProgress: 0, campaignFailed: 3, campaignBlocked: 0, campaignReofferDeclined: 0 }).action).toBe('wait');
    expect(decideWave(plan(), 3, 4, { eligible: 48, completed: 48, failed: 0, campaignInProgress: 0, campaignFailed: 0, campaignBlocked: 1, campaignReofferDeclined: 2 })).toEqual({
      action: 'wait',
      reason:
        'No vehicle is on its way, but 1 vehicle is blocked by the preconditions (each is offered the campaign when it uploads a configuration that meets them); 2 vehicles declined (each is offered the campaign again after the re-offer delay). The campaign completes when they finish, or when an operator completes it.',
    });
    expect(decideWave(plan(), 3, 4, { eligible: 50, completed: 50, failed: 0, campaignInProgress: 0, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 }).action).toBe('complete');
  });

  it('moves past a wave whose vehicles are all blocked', () => {
    expect(decideWave(plan(), 0, 4, { eligible: 0, completed: 0, failed: 0, campaignInProgress: 0, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 }).action).toBe('advance');
  });
});

describe('the counts behind the thresholds', () => {
  it('turns percentages of a wave into numbers of vehicles', () => {
    expect(thresholdCounts({ successThreshold: 80, errorThreshold: 20 }, 50)).toEqual({ successNeeded: 40, failuresToSuspend: 10 });
    expect(thresholdCounts({ successThreshold: 90, errorThreshold: 10 }, 7)).toEqual({ successNeeded: 7, failuresToSuspend: 1 });
    expect(thresholdCounts({ successThreshold: 100, errorThreshold: 1 }, 0)).toEqual({ successNeeded: 0, failuresToSuspend: 1 });
  });

  it('agrees with the decision: the needed numbers are exactly where it acts', () => {
    const p = plan();
    for (const eligible of [1, 3, 7, 10, 50, 333]) {
      const { successNeeded, failuresToSuspend } = thresholdCounts(p, eligible);
      const at = (completed: number, failed: number) => decideWave(p, 0, 4, { eligible, completed, failed, campaignInProgress: 0, campaignFailed: 0, campaignBlocked: 0, campaignReofferDeclined: 0 }).action;
      expect(at(successNeeded, 0)).toBe('advance');
      if (successNeeded > 0) expect(at(successNeeded - 1, 0)).toBe('none');
      expect(at(0, failuresToSuspend)).toBe('suspend');
      if (failuresToSuspend > 1) expect(at(0, failuresToSuspend - 1)).not.toBe('suspend');
    }
  });
});
