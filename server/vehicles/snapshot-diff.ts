import { readEcuManifest } from '../vehicle-protocol/ecu-manifest';

/** The parts of a configuration snapshot (C_05) that describe the vehicle, compared between uploads. */
export type SnapshotFacts = {
  ecuVersionManifests: unknown;
  rxswin: unknown;
  storageUsedMb: number | null;
  storageAvailableMb: number | null;
  locale: string | null;
  preferredCampaignId: number | null;
};

export type SnapshotChange = {
  /** What changed, in words: "ECU 1 software version", "Storage used", ... */
  field: string;
  before: string | null;
  after: string | null;
};

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);

/** RXSWIN as readable entries: "R156-DEMO-0001 (ECU 1)"; strings and objects of any shape are understood. */
export function rxswinEntries(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list
    .map((item) => {
      if (typeof item === 'string' || typeof item === 'number') return String(item);
      const r = rec(item);
      const id = text(r.rxswin) ?? text(r.id) ?? text(r.value);
      const ecu = text(r.ecuId) ?? text(r.targetId);
      if (id) return ecu ? `${id} (ECU ${ecu})` : id;
      return JSON.stringify(item);
    })
    .sort();
}

/** ECU id → "version" (with hardware), from the snapshot's ecuVersionManifests. */
export function ecuVersions(manifests: unknown): Map<string, { softwareVersion: string | null; hardwareId: string | null }> {
  const out = new Map<string, { softwareVersion: string | null; hardwareId: string | null }>();
  for (const m of Array.isArray(manifests) ? manifests : []) {
    const ecu = readEcuManifest(m);
    if (ecu) out.set(ecu.ecuId, { softwareVersion: ecu.softwareVersion, hardwareId: ecu.hardwareId });
  }
  return out;
}

const mb = (v: number | null) => (v === null ? null : `${Number.isInteger(v) ? v : v.toFixed(1)} MB`);
const campaignText = (v: number | null) => (v ? `campaign ${v}` : null);

/** What differs from the previous snapshot to the next one, in words; empty when nothing did. */
export function diffSnapshots(before: SnapshotFacts, after: SnapshotFacts): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  const push = (field: string, a: string | null, b: string | null) => {
    if (a !== b) changes.push({ field, before: a, after: b });
  };

  const oldEcus = ecuVersions(before.ecuVersionManifests);
  const newEcus = ecuVersions(after.ecuVersionManifests);
  const ecuIds = [...new Set([...oldEcus.keys(), ...newEcus.keys()])].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  for (const id of ecuIds) {
    const a = oldEcus.get(id);
    const b = newEcus.get(id);
    if (!a) push(`ECU ${id}`, null, `added, software ${b?.softwareVersion ?? 'unknown'}`);
    else if (!b) push(`ECU ${id}`, `software ${a.softwareVersion ?? 'unknown'}`, 'no longer reported');
    else {
      push(`ECU ${id} software version`, a.softwareVersion, b.softwareVersion);
      push(`ECU ${id} hardware`, a.hardwareId, b.hardwareId);
    }
  }

  const oldRx = rxswinEntries(before.rxswin);
  const newRx = rxswinEntries(after.rxswin);
  if (oldRx.join('\n') !== newRx.join('\n')) push('RXSWIN', oldRx.join(', ') || null, newRx.join(', ') || null);

  push('Storage used', mb(before.storageUsedMb), mb(after.storageUsedMb));
  push('Storage available', mb(before.storageAvailableMb), mb(after.storageAvailableMb));
  push('Locale', before.locale, after.locale);
  push('Preferred campaign', campaignText(before.preferredCampaignId), campaignText(after.preferredCampaignId));
  return changes;
}
