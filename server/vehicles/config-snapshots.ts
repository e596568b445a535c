import { and, count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { configSnapshots } from '@/db/schema';
import { notFound } from '../errors';
import { diffSnapshots, type SnapshotFacts } from './snapshot-diff';

export const SNAPSHOT_LIMIT = 50;

export const snapshotChangeSchema = z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() });

export const snapshotListSchema = z.object({
  snapshots: z.array(
    z.object({
      id: z.number(),
      receivedAt: z.date(),
      uploadReason: z.string().nullable(),
      clientDigest: z.string().nullable(),
      attemptId: z.string().nullable(),
      preferredCampaignId: z.number().nullable(),
      selectedCampaignId: z.number().nullable(),
      /** Null for the vehicle's first snapshot: there is nothing to compare it with. */
      changes: z.array(snapshotChangeSchema).nullable(),
    }),
  ),
  total: z.number(),
});
export type SnapshotList = z.infer<typeof snapshotListSchema>;

/** What an upload says about the vehicle's state, beside its ECU manifests (the profile shows the latest). */
export const snapshotStateColumns = {
  rxswin: configSnapshots.rxswin,
  storageUsedMb: configSnapshots.storageUsedMb,
  storageAvailableMb: configSnapshots.storageAvailableMb,
  locale: configSnapshots.locale,
};

/** A vehicle's configuration uploads, newest first: its `where` and `orderBy`. */
export const snapshotsOfVehicle = (vin: string) => ({ where: eq(configSnapshots.vin, vin), newestFirst: [desc(configSnapshots.receivedAt), desc(configSnapshots.id)] });

/** The vehicle's latest configuration uploads, newest first, each with what changed since the one before. */
export async function listConfigSnapshots(db: Queryable, input: { vin: string; limit?: number }): Promise<SnapshotList> {
  const limit = input.limit ?? SNAPSHOT_LIMIT;
  const ofVehicle = snapshotsOfVehicle(input.vin);
  const rows = await db
    .select({
      id: configSnapshots.id,
      receivedAt: configSnapshots.receivedAt,
      uploadReason: configSnapshots.uploadReason,
      clientDigest: configSnapshots.clientDigest,
      attemptId: configSnapshots.attemptId,
      preferredCampaignId: configSnapshots.preferredCampaignId,
      selectedCampaignId: configSnapshots.selectedCampaignId,
      ecuVersionManifests: configSnapshots.ecuVersionManifests,
      ...snapshotStateColumns,
    })
    .from(configSnapshots)
    .where(ofVehicle.where)
    .orderBy(...ofVehicle.newestFirst)
    // One more than shown: the oldest shown one is compared with it.
    .limit(limit + 1);
  const [totals] = await db.select({ n: count() }).from(configSnapshots).where(ofVehicle.where);
  const snapshots = rows.slice(0, limit).map((row, i) => {
    const previous = rows[i + 1];
    const { ecuVersionManifests: _m, rxswin: _r, storageUsedMb: _u, storageAvailableMb: _a, locale: _l, ...listed } = row;
    return { ...listed, changes: previous ? diffSnapshots(previous as SnapshotFacts, row as SnapshotFacts) : null };
  });
  return { snapshots, total: totals?.n ?? 0 };
}

/** The upload exactly as the vehicle sent it (for "show raw JSON"). */
export async function getConfigSnapshotRaw(db: Queryable, input: { vin: string; id: number }): Promise<unknown> {
  const [row] = await db
    .select({ raw: configSnapshots.raw })
    .from(configSnapshots)
    .where(and(eq(configSnapshots.id, input.id), eq(configSnapshots.vin, input.vin)));
  if (!row) throw notFound(`configuration snapshot ${input.id} of vehicle ${input.vin}`);
  return row.raw;
}
