import { describe, expect, it } from 'vitest';
import { classifyEvent } from '../vehicle-protocol/classify';
import { downloadFigures, errorCodesOf } from '../vehicle-protocol/event-fields';
import { loadSeedExamples } from '../vehicle-protocol/fixtures/seed-examples';
import { parseLenientJson } from '../vehicle-protocol/lenient-json';
import { eventSchema } from '../vehicle-protocol/messages';
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

describe('every event of the seed protocol', () => {
  // From a vehicle that has just uploaded its configuration, each seed example lands here.
  const expected: Record<string, string> = {
    C_01: 'config_uploaded',
    C_09: 'config_uploaded',
    C_10: 'consented',
    C_12: 'downloading',
    C_13: 'downloading',
    C_15: 'downloading',
    C_16: 'downloaded',
    C_19: 'installing',
    C_20: 'installing',
    C_22: 'activating',
    C_23: 'activating',
    C_24: 'activating',
    C_25: 'config_uploaded',
    C_28: 'failed',
    C_35: 'completed',
  };
  const notifications = loadSeedExamples().filter((e) => e.request.includes('"events"'));

  it.each(notifications.map((e) => [e.code, e] as const))('%s moves the phase as the protocol means it', (code, example) => {
    const request = parseLenientJson(example.request) as { signed: { events: Record<string, unknown>[] } };
    for (const raw of request.signed.events) {
      const event = eventSchema.parse(raw);
      const phaseEvent = { code: classifyEvent(event.eventsType, event.status), status: event.status, ...downloadFigures(event), errorCodes: errorCodesOf(event) };
      expect(phaseEvent.code).toBe(code);
      const state = applyEvent({ phase: 'config_uploaded', progress: 0, lastErrorCode: null }, phaseEvent);
      expect(state.phase).toBe(expected[code]);
      if (code === 'C_28') expect(state.lastErrorCode).toBe('1112');
      if (code === 'C_15') expect(state.progress).toBe(50);
    }
  });
});
