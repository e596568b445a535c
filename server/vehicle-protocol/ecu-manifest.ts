type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const str = (...values: unknown[]): string | null => {
  for (const v of values) if ((typeof v === 'string' && v) || typeof v === 'number') return String(v);
  return null;
};

export type EcuSoftware = { ecuId: string; hardwareId: string | null; softwareId: string | null; softwareVersion: string | null };

/**
 * Reads one entry of ecuVersionManifests. Both the Uptane form
 * (`{signed: {ecuIdentifier, installedImage: {filepath}}}`) and a flat form
 * (`{ecuId | targetId, hardwareId, softwareId, softwareVersion | version}`) are understood;
 * an entry without an ECU id is kept only in the raw snapshot.
 */
export function readEcuManifest(manifest: unknown): EcuSoftware | null {
  const outer = rec(manifest);
  const m = Object.keys(rec(outer.signed)).length ? rec(outer.signed) : outer;
  const ecuId = str(m.ecuIdentifier, m.ecuId, m.ecuSerial, m.targetId);
  if (!ecuId) return null;
  const image = rec(m.installedImage);
  const custom = rec(rec(image.fileinfo).custom);
  return {
    ecuId,
    hardwareId: str(m.hardwareId, m.hardwareIdentifier, custom.hardwareId),
    softwareId: str(m.softwareId, m.ecuSoftwareId, image.filepath),
    softwareVersion: str(m.softwareVersion, m.version, custom.version, image.filepath),
  };
}
