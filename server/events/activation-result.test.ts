import { describe, expect, it } from 'vitest';
import { activationOutcome, activationPercentOf, describeExtras, installPercentOf } from './activation-result';

const c24 = (status: string, ecuInfo: unknown[]) => ({ status, activationExtras: { updateStatus: 'success', ecuInfo, oemErrors: [] } });

describe('what the extras of C_09, C_16, C_20, C_23 and C_24 say', () => {
  it('a C_24 success with a failing ECU is a failure with that ECU’s codes; the seed’s own C_24 is a success', () => {
    expect(activationOutcome(c24('success', [{ targetId: '1', ecuSoftwareId: '1', updateStatus: 'success', errorCodes: [] }]))).toEqual({ failed: false, failedEcus: [], errorCodes: [] });
    const bad = activationOutcome(c24('success', [{ targetId: '1', updateStatus: 'success', errorCodes: [] }, { targetId: '2', updateStatus: 'failure', errorCodes: [{ code: 7301 }, 0] }]));
    expect(bad).toMatchObject({ failed: true, errorCodes: ['7301'], failedEcus: [{ targetId: '2' }] });
  });

  it('reads install and activation progress as the seed sends it', () => {
    expect(installPercentOf({ installProgressExtras: { numEcus: 1, completeEcus: 0, ecuProgress: [{ totalBytes: 200, targetId: '1', bytesProcessed: 100 }] } })).toBe(50);
    expect(installPercentOf({ installProgressExtras: { numEcus: '4', completeEcus: '1' } })).toBe(25);
    expect(activationPercentOf({ activateProgressExtras: { totalActivation: 1, completeActivation: 1 } })).toBe(100);
    expect(activationPercentOf({})).toBeNull();
  });

  it('describes C_09’s result, OEM errors (0 is no error) and each ECU for the timeline', () => {
    expect(describeExtras('C_09', { trackingExtras: { fileId: '1', result: 'failure' } })).toBe('result failure (file 1)');
    expect(describeExtras('C_16', { downloadExtras: { oemErrors: [{ phaseCode: 0, siteCode: 0, oemCode: 0, targetId: '1' }] } })).toBeNull();
    expect(describeExtras('C_16', { downloadExtras: { oemErrors: [{ phaseCode: 1, siteCode: 2, oemCode: 2001, targetId: '1' }] } })).toBe('OEM error 2001 (ECU 1, phase 1, site 2)');
    expect(describeExtras('C_24', c24('success', [{ targetId: '1', updateStatus: 'failure', errorCodes: [{ code: 9 }] }]))).toBe('ECU 1: failure (codes 9)');
  });
});
