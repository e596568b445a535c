import { describe, expect, it } from 'vitest';
import { checkCompatibility } from './compatibility';

const needs = { packageBytes: 50 * 1024 * 1024, reproMinFreeMb: 1 };
const config = (ecus: Record<string, string | null>, availableMb: number | null) => ({ ecus: new Map(Object.entries(ecus)), availableMb });

describe('compatibility before issue', () => {
  const pre = { ecus: [{ ecuId: '1', versions: ['1.0.0', '1.0.1'] }, { ecuId: 'BMS', versions: [] }], minFreeStorageMb: 10 };

  it('accepts a vehicle that meets every precondition', () => {
    expect(checkCompatibility(pre, needs, config({ '1': '1.0.1', BMS: '7' }, 100))).toEqual({ status: 'ok' });
  });

  it('names each reason a vehicle is refused', () => {
    const result = checkCompatibility(pre, needs, config({ '1': '0.9.0' }, 20));
    expect(result).toEqual({
      status: 'blocked',
      reason: 'ECU 1 runs 0.9.0, not 1.0.0 or 1.0.1; ECU BMS is missing; only 20 MB free storage, 60 MB needed',
    });
  });

  it('asks for the configuration when it is unknown', () => {
    expect(checkCompatibility(pre, needs, null).status).toBe('unknown');
  });

  it('needs at least the package size even without preconditions', () => {
    expect(checkCompatibility({ ecus: [], minFreeStorageMb: 0 }, needs, config({}, 49)).status).toBe('blocked');
    expect(checkCompatibility({ ecus: [], minFreeStorageMb: 0 }, needs, config({}, 50)).status).toBe('ok');
  });
});
