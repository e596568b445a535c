import { describe, expect, it } from 'vitest';
import { applyEvent, initialPhaseState, type PhaseEvent, type VehiclePhaseState } from './vehicle-phase';

const run = (events: PhaseEvent[], from: VehiclePhaseState = initialPhaseState) => events.reduce(applyEvent, from);
const ev = (code: PhaseEvent['code'], status: string, extra: Partial<PhaseEvent> = {}): PhaseEvent => ({ code, status, ...extra });

const happyPath: PhaseEvent[] = [
  ev('C_01', 'success'),
  ev('C_10', 'accepted'),
  ev('C_12', 'accepted'),
  ev('C_13', 'started'),
  ev('C_15', 'inProgress', { bytesDownloaded: 50, downloadSize: 200 }),
  ev('C_15', 'inProgress', { bytesDownloaded: 150, downloadSize: 200 }),
  ev('C_16', 'success'),
  ev('C_09', 'success'),
  ev('C_19', 'accepted'),
  ev('C_20', 'inProgress'),
  ev('C_22', 'accepted'),
  ev('C_23', 'inProgress'),
  ev('C_24', 'success'),
  ev('C_25', 'accepted'),
  ev('C_35', 'success'),
];

describe('vehicle phase in a campaign', () => {
  it('walks the happy path to completed', () => {
    const phasesSeen = happyPath.map((_, i) => run(happyPath.slice(0, i + 1)).phase);
    expect(phasesSeen).toEqual([
      'queued', 'consented', 'downloading', 'downloading', 'downloading', 'downloading', 'downloaded', 'downloaded',
      'installing', 'installing', 'activating', 'activating', 'activating', 'activating', 'completed',
    ]);
    expect(run(happyPath)).toEqual({ phase: 'completed', progress: 100, lastErrorCode: null });
  });

  it('never moves download progress backwards on a late C_15', () => {
    const state = run([ev('C_15', 'inProgress', { bytesDownloaded: 150, downloadSize: 200 }), ev('C_15', 'inProgress', { bytesDownloaded: 20, downloadSize: 200 })]);
    expect(state.progress).toBe(75);
    const afterDownload = run([ev('C_16', 'success'), ev('C_15', 'inProgress', { bytesDownloaded: 20, downloadSize: 200 })]);
    expect(afterDownload).toMatchObject({ phase: 'downloaded', progress: 100 });
  });

  it('completes on a C_35 that arrives before C_24, and a late C_24 does not undo it', () => {
    expect(run([ev('C_22', 'accepted'), ev('C_35', 'success'), ev('C_24', 'success')]).phase).toBe('completed');
  });

  it('is unchanged by a repeated event', () => {
    const once = run(happyPath.slice(0, 7));
    expect(run([happyPath[6]!], once)).toEqual(once);
  });

  it.each([
    ['C_16', 'failure', ['2001'], 'failed', '2001'],
    ['C_16', 'failure', [], 'failed', 'C_16_FAILURE'],
    ['C_24', 'failure', ['1112'], 'failed', '1112'],
    ['C_28', 'failure', ['1112'], 'failed', '1112'],
    ['C_10', 'rejected', [], 'declined', 'C_10_REJECTED'],
    ['C_12', 'rejected', [], 'declined', 'C_12_REJECTED'],
    ['C_19', 'rejected', [], 'declined', 'C_19_REJECTED'],
    ['C_22', 'rejected', [], 'declined', 'C_22_REJECTED'],
  ] as const)('records %s %s as %s with its code', (code, status, errorCodes, phase, lastErrorCode) => {
    expect(run([ev('C_13', 'started'), ev(code, status, { errorCodes: [...errorCodes] })])).toMatchObject({ phase, lastErrorCode });
  });

  it('keeps a failed vehicle failed when late progress arrives', () => {
    expect(run([ev('C_16', 'failure'), ev('C_15', 'inProgress', { bytesDownloaded: 1, downloadSize: 2 }), ev('C_19', 'accepted')]).phase).toBe('failed');
  });

  it('does not move on state, tracking, acknowledgement or unclassified events', () => {
    expect(run([ev('C_01', 'success'), ev('C_09', 'success'), ev('C_25', 'accepted'), ev(null, 'whatever')])).toEqual(initialPhaseState);
  });
});
