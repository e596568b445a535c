/**
 * What the extras of C_09, C_16, C_20, C_23 and C_24 say, read leniently (the seed's shapes;
 * numbers may come as strings). Pure: ingestion, the register, the timeline and the tests use it.
 */
type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

/** A code list entry: `{code}`, a number or a string; 0 means "no error". */
function codesOf(value: unknown): string[] {
  const out: string[] = [];
  for (const e of list(value)) {
    const c = text(rec(e)?.code ?? e);
    if (c !== null && c !== '0') out.push(c);
  }
  return out;
}

export type EcuResult = { targetId: string; ecuSoftwareId: string | null; updateStatus: string | null; errorCodes: string[] };

/** C_24 activationExtras.ecuInfo[]: one entry per ECU with its own status and codes. */
export function ecuResultsOf(event: Loose): EcuResult[] {
  const out: EcuResult[] = [];
  for (const item of list(rec(event.activationExtras)?.ecuInfo)) {
    const r = rec(item);
    const targetId = text(r?.targetId);
    if (!r || targetId === null) continue;
    out.push({ targetId, ecuSoftwareId: text(r.ecuSoftwareId), updateStatus: text(r.updateStatus), errorCodes: codesOf(r.errorCodes) });
  }
  return out;
}

const failedStatus = (s: string | null) => s === 'failure' || s === 'failed';

/**
 * The outcome a C_24 really reports: `failure` when the event says so, and also when any ECU
 * inside a `success` event (or activationExtras.updateStatus) reports failure — then the
 * failing ECUs' codes come first.
 */
export function activationOutcome(event: Loose & { status: string }): { failed: boolean; failedEcus: EcuResult[]; errorCodes: string[] } {
  const ecus = ecuResultsOf(event);
  const failedEcus = ecus.filter((e) => failedStatus(e.updateStatus));
  const overall = text(rec(event.activationExtras)?.updateStatus);
  const failed = failedStatus(event.status) || failedStatus(overall) || failedEcus.length > 0;
  return { failed, failedEcus, errorCodes: [...new Set(failedEcus.flatMap((e) => e.errorCodes))] };
}

export type OemError = { phaseCode: string | null; siteCode: string | null; oemCode: string; targetId: string | null };

/** oemErrors[] (C_16 downloadExtras, C_24 activationExtras) and errorExtras[] (C_28); oemCode 0 is "no error". */
export function oemErrorsOf(event: Loose): OemError[] {
  const sources = [rec(event.downloadExtras)?.oemErrors, rec(event.activationExtras)?.oemErrors, event.errorExtras];
  const out: OemError[] = [];
  for (const source of sources) {
    for (const item of list(source)) {
      const r = rec(item);
      const oemCode = text(r?.oemCode);
      if (!r || oemCode === null || oemCode === '0') continue;
      out.push({ phaseCode: text(r.phaseCode), siteCode: text(r.siteCode), oemCode, targetId: text(r.targetId) });
    }
  }
  return out;
}

const percentOf = (done: number | null, total: number | null) => (done !== null && total !== null && total > 0 ? Math.max(0, Math.min(100, Math.floor((done / total) * 100))) : null);

/** C_20 installProgressExtras: bytes processed over all ECUs, else completed ECUs over ECUs. */
export function installPercentOf(event: Loose): number | null {
  const extras = rec(event.installProgressExtras);
  if (!extras) return null;
  const ecus = list(extras.ecuProgress).map(rec).filter((e): e is Loose => !!e);
  const total = ecus.reduce((sum, e) => sum + (num(e.totalBytes) ?? 0), 0);
  if (total > 0) return percentOf(ecus.reduce((sum, e) => sum + (num(e.bytesProcessed) ?? 0), 0), total);
  return percentOf(num(extras.completeEcus), num(extras.numEcus));
}

/** C_23 activateProgressExtras: completed activations over activations. */
export function activationPercentOf(event: Loose): number | null {
  const extras = rec(event.activateProgressExtras);
  return extras ? percentOf(num(extras.completeActivation), num(extras.totalActivation)) : null;
}

/** C_09 trackingExtras.result ("success", "failure", ...). */
export function trackingResultOf(event: Loose): string | null {
  return text(rec(event.trackingExtras)?.result);
}

/** One line for the timeline: what the event's extras say beyond its code and status. */
export function describeExtras(code: string | null, event: Loose): string | null {
  const parts: string[] = [];
  if (code === 'C_09') {
    const result = trackingResultOf(event);
    const fileId = text(rec(event.trackingExtras)?.fileId);
    if (result) parts.push(`result ${result}${fileId ? ` (file ${fileId})` : ''}`);
  }
  if (code === 'C_20') {
    const p = installPercentOf(event);
    const extras = rec(event.installProgressExtras);
    if (p !== null) parts.push(`installed ${p}%${extras ? ` (${num(extras.completeEcus) ?? 0}/${num(extras.numEcus) ?? '?'} ECUs done)` : ''}`);
  }
  if (code === 'C_23') {
    const p = activationPercentOf(event);
    if (p !== null) parts.push(`activated ${p}%`);
  }
  if (code === 'C_24') {
    for (const e of ecuResultsOf(event)) {
      parts.push(`ECU ${e.targetId}: ${e.updateStatus ?? 'no status'}${e.errorCodes.length ? ` (codes ${e.errorCodes.join(', ')})` : ''}`);
    }
  }
  for (const e of oemErrorsOf(event)) {
    const where = [e.targetId !== null ? `ECU ${e.targetId}` : null, e.phaseCode !== null ? `phase ${e.phaseCode}` : null, e.siteCode !== null ? `site ${e.siteCode}` : null].filter(Boolean);
    parts.push(`OEM error ${e.oemCode}${where.length ? ` (${where.join(', ')})` : ''}`);
  }
  return parts.length ? parts.join('; ') : null;
}
