import type { Preconditions } from '@/db/schema';

export type KnownConfig = {
  /** Installed software version by ECU id, from the vehicle's ECU version manifests. */
  ecus: Map<string, string | null>;
  /** packageStorage.available of the latest configuration upload, in MB (null: not reported). */
  availableMb: number | null;
};

export type Compatibility = { status: 'ok' } | { status: 'blocked'; reason: string } | { status: 'unknown'; reason: string };

/**
 * Whether a vehicle's last known configuration meets a campaign's preconditions (UN R156:
 * checked before the update is issued). Storage needed: the package's size plus the
 * campaign's extra margin, at least the repro policy's minimum.
 */
export function checkCompatibility(
  preconditions: Preconditions,
  needs: { packageBytes: number; reproMinFreeMb: number },
  config: KnownConfig | null,
): Compatibility {
  if (!config) return { status: 'unknown', reason: 'the vehicle has not uploaded its configuration yet' };
  const problems: string[] = [];
  for (const required of preconditions.ecus) {
    if (!config.ecus.has(required.ecuId)) {
      problems.push(`ECU ${required.ecuId} is missing`);
      continue;
    }
    const installed = config.ecus.get(required.ecuId) ?? null;
    if (required.versions.length && (installed === null || !required.versions.includes(installed))) {
      problems.push(`ECU ${required.ecuId} runs ${installed ?? 'an unknown version'}, not ${required.versions.join(' or ')}`);
    }
  }
  const neededMb = Math.max(Math.ceil(needs.packageBytes / (1024 * 1024)) + preconditions.minFreeStorageMb, needs.reproMinFreeMb);
  if (neededMb > 0) {
    if (config.availableMb === null) problems.push(`free storage is unknown (${neededMb} MB needed)`);
    else if (config.availableMb < neededMb) problems.push(`only ${config.availableMb} MB free storage, ${neededMb} MB needed`);
  }
  return problems.length ? { status: 'blocked', reason: problems.join('; ') } : { status: 'ok' };
}
