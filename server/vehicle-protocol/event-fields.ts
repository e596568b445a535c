import type { VehicleEvent } from './messages';

type Loose = Record<string, unknown>;
const asRecord = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asNumber = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
/** A byte count for a bigint column: a fraction is floored; negative or beyond 2^53 is not a byte count (null). */
const asBytes = (v: unknown): number | null => {
  const n = asNumber(v);
  return n !== null && n >= 0 && n <= Number.MAX_SAFE_INTEGER ? Math.floor(n) : null;
};

/** Download progress carried by C_12/C_13/C_15/C_16 (downloadExtras) or C_09 (trackingExtras). */
export function downloadFigures(event: VehicleEvent): { bytesDownloaded: number | null; downloadSize: number | null } {
  const extras = asRecord(event.downloadExtras);
  if (extras) return { bytesDownloaded: asBytes(extras.bytesDownloaded), downloadSize: asBytes(extras.downloadSize) };
  const tracking = asRecord(event.trackingExtras);
  if (tracking) return { bytesDownloaded: asBytes(tracking.fileSize), downloadSize: asBytes(tracking.fileSize) };
  return { bytesDownloaded: null, downloadSize: null };
}

/**
 * Every error code an event carries: errorCodes[].code (C_28), errorExtras[] and oemErrors[]
 * oemCode (C_16, C_24, C_28), and ecuInfo[].errorCodes (C_24). Zero means "no error" and is skipped.
 */
export function errorCodesOf(event: VehicleEvent): string[] {
  const codes = new Set<string>();
  const add = (v: unknown) => {
    const n = asNumber(v);
    if (n !== null && n !== 0) codes.add(String(n));
    else if (typeof v === 'string' && v.trim() && v !== '0') codes.add(v.trim());
  };
  for (const e of asArray(event.errorCodes)) add(asRecord(e)?.code ?? e);
  const withOem = [event.errorExtras, asRecord(event.downloadExtras)?.oemErrors, asRecord(event.activationExtras)?.oemErrors];
  for (const list of withOem) for (const e of asArray(list)) add(asRecord(e)?.oemCode);
  for (const ecu of asArray(asRecord(event.activationExtras)?.ecuInfo)) {
    for (const e of asArray(asRecord(ecu)?.errorCodes)) add(asRecord(e)?.code ?? e);
  }
  return [...codes];
}

/** rmVehState of a C_01 event. */
export function rmStateOf(event: VehicleEvent): string | null {
  const state = asRecord(event.rmStateExtras)?.rmVehState;
  return typeof state === 'string' ? state : null;
}
