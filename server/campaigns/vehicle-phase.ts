import { activePhases, finalPhases, type Phase } from '@/db/schema/phases';
import type { EventCode } from '../vehicle-protocol/classify';

// The phases themselves (and which of them are final or active) are the schema's vocabulary.
export { activePhases, finalPhases, phases, type FinalPhase, type Phase } from '@/db/schema/phases';

export const phaseLabels: Record<Phase, string> = {
  queued: 'Queued',
  command_delivered: 'Command delivered',
  config_uploaded: 'Configuration uploaded',
  consented: 'Consent given',
  downloading: 'Downloading',
  downloaded: 'Downloaded',
  installing: 'Installing',
  activating: 'Activating',
  completed: 'Completed',
  failed: 'Failed',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

const progressRank: Partial<Record<Phase, number>> = {
  queued: 0,
  command_delivered: 1,
  config_uploaded: 2,
  consented: 3,
  downloading: 4,
  downloaded: 5,
  installing: 6,
  activating: 7,
};

export const isFinalPhase = (phase: Phase): boolean => (finalPhases as readonly Phase[]).includes(phase);
/** On its way: StartCampaign delivered, not finished. */
export const isActivePhase = (phase: Phase): boolean => (activePhases as readonly Phase[]).includes(phase);

export type VehiclePhaseState = { phase: Phase; progress: number; lastErrorCode: string | null };

export type PhaseEvent = {
  code: EventCode | null;
  status: string;
  bytesDownloaded?: number | null;
  downloadSize?: number | null;
  errorCodes?: string[];
};

export const initialPhaseState: VehiclePhaseState = { phase: 'queued', progress: 0, lastErrorCode: null };

/** Moves forward only: a late or repeated event never takes a vehicle back. */
export function advanceTo(state: VehiclePhaseState, target: Phase): VehiclePhaseState {
  if (isFinalPhase(state.phase)) return state;
  const from = progressRank[state.phase] ?? 0;
  const to = progressRank[target];
  if (to === undefined) return { ...state, phase: target };
  return to > from ? { ...state, phase: target } : state;
}

function fail(state: VehiclePhaseState, phase: 'failed' | 'declined', event: PhaseEvent, fallbackCode: string): VehiclePhaseState {
  if (state.phase === 'completed' || state.phase === 'cancelled') return state;
  return { ...state, phase, lastErrorCode: event.errorCodes?.[0] ?? state.lastErrorCode ?? fallbackCode };
}

/** The vehicle's phase after one classified event (pure: the funnel, the vehicle page and C_18 read its result). */
export function applyEvent(state: VehiclePhaseState, event: PhaseEvent): VehiclePhaseState {
  const { code, status } = event;
  const rejected = status === 'rejected';
  const failed = status === 'failure' || status === 'failed';
  switch (code) {
    case 'C_10':
      return rejected ? fail(state, 'declined', event, 'C_10_REJECTED') : advanceTo(state, 'consented');
    case 'C_12':
      return rejected ? fail(state, 'declined', event, 'C_12_REJECTED') : advanceTo(state, 'downloading');
    case 'C_13':
      return advanceTo(state, 'downloading');
    case 'C_15': {
      const next = advanceTo(state, 'downloading');
      if (next.phase !== 'downloading' || !event.downloadSize) return next;
      const percent = Math.min(99, Math.floor(((event.bytesDownloaded ?? 0) / event.downloadSize) * 100));
      return { ...next, progress: Math.max(next.progress, percent) };
    }
    case 'C_16':
      if (failed) return fail(state, 'failed', event, 'C_16_FAILURE');
      return { ...advanceTo(state, 'downloaded'), progress: isFinalPhase(state.phase) ? state.progress : 100 };
    case 'C_19':
      return rejected ? fail(state, 'declined', event, 'C_19_REJECTED') : advanceTo(state, 'installing');
    case 'C_20':
      return advanceTo(state, 'installing');
    case 'C_22':
      return rejected ? fail(state, 'declined', event, 'C_22_REJECTED') : advanceTo(state, 'activating');
    case 'C_23':
      return advanceTo(state, 'activating');
    case 'C_24':
      return failed ? fail(state, 'failed', event, 'C_24_FAILURE') : advanceTo(state, 'activating');
    case 'C_28':
      return fail(state, 'failed', event, 'C_28_ERROR');
    case 'C_35':
      if (failed) return fail(state, 'failed', event, 'C_35_FAILURE');
      // The vehicle says the update is in place: that outranks an earlier error report, not a refusal.
      if (state.phase === 'declined' || state.phase === 'cancelled') return state;
      return { ...state, phase: 'completed', progress: 100 };
    default:
      // C_01 (vehicle state), C_09 (tracking), C_25 (ack) and unclassified events do not move the phase.
      return state;
  }
}

/** Whether an event can end a vehicle's run (so the campaign's thresholds must be looked at). */
export function mayEndRun(event: Pick<PhaseEvent, 'code' | 'status'>): boolean {
  if (event.code === 'C_28' || event.code === 'C_35') return true;
  if (event.status === 'rejected') return event.code === 'C_10' || event.code === 'C_12' || event.code === 'C_19' || event.code === 'C_22';
  return (event.status === 'failure' || event.status === 'failed') && (event.code === 'C_16' || event.code === 'C_24');
}
