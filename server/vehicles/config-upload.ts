import { and, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { attempts, campaignVehicles, configSnapshots, vehicleEcus, vehicles } from '@/db/schema';
import { advanceTo, type Phase } from '../campaigns/vehicle-phase';
import { applicableCampaigns, campaignFiles, selectCampaign, type CampaignFile } from '../campaigns/offer';
import { contentHash } from '../vehicle-protocol/canonical-json';
import { readEcuManifest } from '../vehicle-protocol/ecu-manifest';
import type { ConfigUploadRequest } from '../vehicle-protocol/messages';
import { acknowledgeStartCampaign } from '../commands/acknowledge';
import { identityOf, touchVehicle, type VehicleIdentity } from './require-vehicle';

export type Offer = { applicable: number[]; selected: number | null; files: CampaignFile[] };

/**
 * API_4 (C_05): stores the configuration snapshot (a replayed upload is stored once), the
 * ECUs' installed software and the digest (both the vehicle's current state, replay or not);
 * selects the campaign to run and opens or resumes the attempt `(vin, attemptId)` for it;
 * acknowledges the StartCampaign the vehicle acts on (the selected or preferred campaign's).
 * One transaction.
 */
export async function acceptConfigUpload(db: Db, request: ConfigUploadRequest): Promise<Offer> {
  const s = request.signed;
  const m = s.augmentedManifest;
  return db.transaction(async (tx) => {
    await touchVehicle(tx, identityOf(request));
    const applicable = await applicableCampaigns(tx, s.vin);
    const selected = selectCampaign(applicable, m.preferredCampaignId);

    await tx
      .insert(configSnapshots)
      .values({
        vin: s.vin,
        contentHash: contentHash(request.signed),
        clientDigest: s.clientDigest ?? null,
        rxswin: m.rxswin ?? null,
        storageUsedMb: m.packageStorage?.used ?? null,
        storageAvailableMb: m.packageStorage?.available ?? null,
        locale: m.locale ?? null,
        uploadReason: m.uploadReason ?? null,
        lastUpdateCampaignId: m.lastUpdateCampaignId ?? null,
        preferredCampaignId: m.preferredCampaignId ?? null,
        attemptId: m.attemptId ?? null,
        isNewAttempt: m.isNewAttempt ?? null,
        selectedCampaignId: selected,
        ecuVersionManifests: s.ecuVersionManifests,
        raw: request,
      })
      .onConflictDoNothing({ target: [configSnapshots.vin, configSnapshots.contentHash] });
    await recordEcus(tx, s.vin, s.ecuVersionManifests);
    await tx
      .update(vehicles)
      .set({ primaryId: s.primaryId, configDigest: s.clientDigest ?? null, lastConfigAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(vehicles.vin, s.vin));
    if (selected !== null) await startAttempt(tx, s.vin, selected, m.attemptId, m.isNewAttempt ?? true);
    const actedOn = [...new Set([selected, m.preferredCampaignId].filter((c): c is number => !!c))];
    if (actedOn.length) await acknowledgeStartCampaign(tx, s.vin, actedOn);
    return { applicable, selected, files: selected === null ? [] : await campaignFiles(tx, selected) };
  });
}

async function recordEcus(db: Queryable, vin: string, manifests: unknown[]): Promise<void> {
  const ecus = new Map<string, { software: NonNullable<ReturnType<typeof readEcuManifest>>; manifest: unknown }>();
  for (const manifest of manifests) {
    const software = readEcuManifest(manifest);
    if (software) ecus.set(software.ecuId, { software, manifest });
  }
  if (!ecus.size) return;
  await db
    .insert(vehicleEcus)
    .values([...ecus.values()].map(({ software, manifest }) => ({ vin, ...software, manifest })))
    .onConflictDoUpdate({
      target: [vehicleEcus.vin, vehicleEcus.ecuId],
      set: {
        hardwareId: sql`excluded.hardware_id`,
        softwareId: sql`excluded.software_id`,
        softwareVersion: sql`excluded.software_version`,
        manifest: sql`excluded.manifest`,
        reportedAt: sql`now()`,
      },
    });
}

/** Opens (or resumes) the attempt and moves the membership to config_uploaded. */
async function startAttempt(db: Queryable, vin: string, campaignId: number, attemptId: string | undefined, isNew: boolean): Promise<void> {
  if (attemptId) {
    await db
      .insert(attempts)
      .values({ vin, attemptId, campaignId })
      .onConflictDoUpdate({
        target: [attempts.vin, attempts.attemptId],
        set: isNew ? { campaignId, resumedAt: sql`now()` } : { resumedAt: sql`now()` },
      });
  }
  const [membership] = await db
    .select()
    .from(campaignVehicles)
    .where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin)))
    .for('update');
  if (membership) {
    const next = advanceTo({ phase: membership.phase as Phase, progress: membership.progress, lastErrorCode: membership.lastErrorCode }, 'config_uploaded');
    if (next.phase !== membership.phase) {
      await db
        .update(campaignVehicles)
        .set({ phase: next.phase, lastEventAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(campaignVehicles.campaignId, campaignId), eq(campaignVehicles.vin, vin)));
    }
  }
}


/** API_3 (C_04): the same offer as C_05 when the digest is the stored one, without storing anything. */
export async function offerForDigest(db: Db, id: VehicleIdentity, clientDigest: string): Promise<Offer | null> {
  const vin = id.vin;
  const vehicle = await touchVehicle(db, id);
  if (vehicle.configDigest === null || vehicle.configDigest !== clientDigest) return null;
  const [last] = await db
    .select({ preferred: configSnapshots.preferredCampaignId })
    .from(configSnapshots)
    .where(eq(configSnapshots.vin, vin))
    .orderBy(sql`${configSnapshots.receivedAt} desc, ${configSnapshots.id} desc`)
    .limit(1);
  const applicable = await applicableCampaigns(db, vin);
  const selected = selectCampaign(applicable, last?.preferred ?? undefined);
  return { applicable, selected, files: selected === null ? [] : await campaignFiles(db, selected) };
}
