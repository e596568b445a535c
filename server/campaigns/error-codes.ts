import { eventCodeLabels, type EventCode } from '../vehicle-protocol/classify';

/**
 * What a campaign_vehicles.last_error_code means: the vehicle's own code (e.g. "1112"), or,
 * when it sent none, the event that failed ("C_16_FAILURE", "C_10_REJECTED").
 */
export function describeErrorCode(code: string | null): string {
  if (code === null) return 'No error code reported';
  const fallback = /^(C_\d\d)_([A-Z]+)$/.exec(code);
  if (fallback) {
    const label = eventCodeLabels[fallback[1] as EventCode];
    const outcome = fallback[2]!.toLowerCase();
    return label ? `${label}: ${outcome} (no code sent)` : code;
  }
  return `Vehicle error code ${code}`;
}
