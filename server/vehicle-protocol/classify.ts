/** The notification codes of API_1, found from an event's eventsType and status. */
export type EventCode =
  | 'C_01' | 'C_09' | 'C_10' | 'C_12' | 'C_13' | 'C_15' | 'C_16'
  | 'C_19' | 'C_20' | 'C_22' | 'C_23' | 'C_24' | 'C_25' | 'C_28' | 'C_35';

const anyStatus: Record<string, EventCode> = {
  rmState: 'C_01',
  tracking: 'C_09',
  ackinstall: 'C_25',
  error: 'C_28',
  updateComplete: 'C_35',
};

const byStatus: Record<string, Record<string, EventCode>> = {
  notification: { accepted: 'C_10', rejected: 'C_10' },
  download: { accepted: 'C_12', rejected: 'C_12', started: 'C_13', inProgress: 'C_15', success: 'C_16', failure: 'C_16' },
  installation: { accepted: 'C_19', rejected: 'C_19', inProgress: 'C_20' },
  activate: { accepted: 'C_22', rejected: 'C_22', inProgress: 'C_23', success: 'C_24', failure: 'C_24' },
};

/** The C-code of an event, or null when the pair is outside the protocol's table (stored as unclassified). */
export function classifyEvent(eventsType: string, status: string): EventCode | null {
  return anyStatus[eventsType] ?? byStatus[eventsType]?.[status] ?? null;
}

/** Plain-language names of the codes, for timelines and logs. */
export const eventCodeLabels: Record<EventCode, string> = {
  C_01: 'Vehicle state changed',
  C_09: 'Download tracked',
  C_10: 'User consent answered',
  C_12: 'Download accepted or rejected',
  C_13: 'Download started',
  C_15: 'Download progress',
  C_16: 'Download finished',
  C_19: 'Installation accepted or rejected',
  C_20: 'Installation progress',
  C_22: 'Activation accepted or rejected',
  C_23: 'Activation progress',
  C_24: 'Activation finished',
  C_25: 'Completion acknowledged',
  C_28: 'Vehicle error',
  C_35: 'Update complete',
};
