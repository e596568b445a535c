import { and, eq, inArray, sql } from 'drizzle-orm';
import { FixedQuery, FixedStatement, type Db, type Queryable } from '@/db/client';
import { hotTransaction, type CommitTail } from '@/db/hot-transaction';
import { attempts, campaigns, campaignVehicles, configSnapshots, vehicleEcus } from '@/db/schema';
import { checkMembers } from '../rollout/engine';
import { advanceTo } from '../campaigns/vehicle-phase';
import { applicableCampaigns, campaignFiles, selectCampaign, type CampaignFile } from '../campaigns/offer';
import { contentHash } from '../vehicle-protocol/canonical-json';
import { readEcuManifest } from '../vehicle-protocol/ecu-manifest';
import type { ConfigUploadRequest } from '../vehicle-protocol/messages';
import { acknowledgeStart, acknowledgement } from '../commands/acknowledge';
import { confirmConfiguration } from '../register/after-update';
import { touchVehicle, type VehicleIdentity } from './require-vehicle';

export type Offer = { applicable: number[]; selected: number | null; files: CampaignFile[] };

/**
 * API_4 (C_05): stores the configuration snapshot (a replayed upload is stored once), the
 * ECUs' installed software and the digest (both the vehicle's current state, replay or not);
 * selects the campaign to run and opens or resumes the attempt `(vin, attemptId)` for it;
 * acknowledges the StartCampaign the vehicle acts on (the selected or preferred campaign's).
 * One transaction; the writes nothing in it reads again go out with its COMMIT (`tail`).
 */
export async function acceptConfigUpload(db: Db, id: VehicleIdentity, request: ConfigUploadRequest): Promise<Offer> {
  const s = request.signed;
  const m = s.augmentedManifest;
  return hotTransaction(db, async (tx, tail) => {
    await touchVehicle(tx, id);
    // Sent together, one wait (statements on one connection run in the order they were sent):
    // the snapshot and the ECUs are stored before anything after this reads them.
    const [[stored], , , candidates] = await Promise.all([
      tx
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
          ecuVersionManifests: s.ecuVersionManifests,
          raw: request,
        })
        .onConflictDoNothing({ target: [configSnapshots.vin, configSnapshots.contentHash] })
        .returning({ id: configSnapshots.id }),
      recordEcus(tx, s.vin, s.ecuVersionManifests),
      // After a completed update: does the vehicle run what the update should have left it with?
      confirmConfiguration(tx, tail, s.vin, s.ecuVersionManifests, m.rxswin ?? null),
      // UN R156: the configuration just uploaded is checked against each campaign before it is offered (below).
      applicableCampaigns(tx, s.vin, { includeBlocked: true }),
    ]);
    tail.add(recordUpload, { vin: s.vin, primaryId: s.primaryId, configDigest: s.clientDigest ?? null });
    const applicable = await meetingPreconditions(tx, s.vin, candidates, m.packageStorage?.available ?? null);
    const selected = selectCampaign(applicable, m.preferredCampaignId);
    if (stored && selected !== null) tail.add(markSelected, { id: stored.id, campaignId: selected });
    if (selected !== null) {
      const snapshotId = stored?.id ?? (await snapshotIdOf(tx, s.vin, contentHash(request.signed)));
      // The vehicle acts on the StartCampaign of the campaign it is given.
      tail.add(acknowledgeStart, acknowledgement(s.vin, [selected]));
      const [files] = await Promise.all([campaignFiles(tx, selected), startAttempt(tx, tail, s.vin, selected, m.attemptId, m.isNewAttempt ?? true, snapshotId)]);
      return { applicable, selected, files };
    }
    return { applicable, selected, files: [] };
  });
}

/** The upload on the vehicle's row: its primary, its digest (C_04 compares against it), when. */
const recordUpload = new FixedStatement(
  ['vin', 'primaryId', 'configDigest'],
  (p) => sql`update vehicles set primary_id = ${p.primaryId}, config_digest = ${p.configDigest}, last_config_at = now(), updated_at = now() where vin = ${p.vin}`,
);

/** The campaign this upload was given. */
const markSelected = new FixedStatement(['id', 'campaignId'], (p) => sql`update config_snapshots set selected_campaign_id = ${p.campaignId} where id = ${p.id}`);

/** A membership offered again after a decline starts over; any other moves on to config_uploaded (`phase`). */
const restartDeclined = new FixedStatement(
  ['campaignId', 'vin'],
  (p) => sql`update campaign_vehicles set phase = 'config_uploaded', declined_at = null, last_error_code = null, last_event_at = now(), updated_at = now()
    where campaign_id = ${p.campaignId} and vin = ${p.vin}`,
);
const advanceMembership = new FixedStatement(
  ['campaignId', 'vin', 'phase'],
  (p) => sql`update campaign_vehicles set phase = ${p.phase}, last_event_at = now(), updated_at = now() where campaign_id = ${p.campaignId} and vin = ${p.vin}`,
);

/** The candidates whose preconditions this vehicle's (just recorded) configuration meets; the others get their reason. */
async function meetingPreconditions(db: Queryable, vin: string, candidates: number[], availableMb: number | null): Promise<number[]> {
  if (!candidates.length) return [];
  const rows = await db.select().from(campaigns).where(inArray(campaigns.id, candidates));
  const ok = new Set<number>();
  for (const campaign of rows) {
    const verdict = (await checkMembers(db, campaign, [vin], { availableMb })).get(vin);
    if (verdict?.status === 'ok') ok.add(campaign.id);
  }
  return candidates.filter((id) => ok.has(id));
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
        source: 'configuration',
        reportedAt: sql`now()`,
      },
    });
}

async function snapshotIdOf(db: Queryable, vin: string, hash: string): Promise<number | null> {
  const [row] = await db.select({ id: configSnapshots.id }).from(configSnapshots).where(and(eq(configSnapshots.vin, vin), eq(configSnapshots.contentHash, hash)));
  return row?.id ?? null;
}

/**
 * An attemptId that names an existing campaign other than `campaignId` (the seed's "attemptId =
 * campaign id"): it is never tied to a different campaign, e.g. when C_05 selects another
 * campaign than the preferred one.
 */
async function namesOtherCampaign(db: Queryable, attemptId: string, campaignId: number): Promise<boolean> {
  if (!/^\d{1,9}$/.test(attemptId) || Number(attemptId) === campaignId) return false;
  const [row] = await campaignExists.run(db, { id: Number(attemptId) });
  return !!row;
}

const campaignExists = new FixedQuery(['id'], (db, p) => db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, p.id as number)));
const campaignOfAttempt = new FixedQuery(['vin', 'attemptId'], (db, p) =>
  db
    .select({ campaignId: attempts.campaignId })
    .from(attempts)
    .where(and(eq(attempts.vin, p.vin as string), eq(attempts.attemptId, p.attemptId as string))),
);
const lockedMembership = new FixedQuery(['campaignId', 'vin'], (db, p) =>
  db
    .select()
    .from(campaignVehicles)
    .where(and(eq(campaignVehicles.campaignId, p.campaignId as number), eq(campaignVehicles.vin, p.vin as string)))
    .for('update'),
);

/**
 * Opens (or resumes) the attempt — recording the configuration upload whose compatibility check
 * issued the campaign, for the register — and moves the membership to config_uploaded (with the COMMIT).
 */
async function startAttempt(db: Queryable, tail: CommitTail, vin: string, campaignId: number, attemptId: string | undefined, isNew: boolean, snapshotId: number | null): Promise<void> {
  if (attemptId && !(await namesOtherCampaign(db, attemptId, campaignId))) {
    const checked = { configSnapshotId: snapshotId, compatibility: { status: 'ok', reason: null, checkedAt: new Date().toISOString() } };
    const [existing] = await campaignOfAttempt.run(db, { vin, attemptId });
    await db
      .insert(attempts)
      .values({ vin, attemptId, campaignId, ...checked })
      .onConflictDoUpdate({
        target: [attempts.vin, attempts.attemptId],
        set: isNew || existing?.campaignId === campaignId ? { campaignId, resumedAt: sql`now()`, ...checked } : { resumedAt: sql`now()` },
      });
  }
  const [membership] = await lockedMembership.run(db, { campaignId, vin });
  if (membership?.phase === 'declined') {
    // Offered again after the campaign's re-offer delay: the vehicle starts over.
    tail.add(restartDeclined, { campaignId, vin });
  } else if (membership) {
    const next = advanceTo({ phase: membership.phase, progress: membership.progress, lastErrorCode: membership.lastErrorCode }, 'config_uploaded');
    if (next.phase !== membership.phase) tail.add(advanceMembership, { campaignId, vin, phase: next.phase });
  }
}


/** API_3 (C_04): the same offer as C_05 when the digest is the stored one, without storing anything. */
export async function offerForDigest(db: Db, id: VehicleIdentity, clientDigest: string): Promise<Offer | null> {
  // Its reads on one connection: one wait for the pool, not one per read.
  return hotTransaction(db, (tx) => offerForDigestIn(tx, id, clientDigest));
}

async function offerForDigestIn(db: Queryable, id: VehicleIdentity, clientDigest: string): Promise<Offer | null> {
  const vin = id.vin;
  const vehicle = await touchVehicle(db, id);
  if (vehicle.configDigest === null || vehicle.configDigest !== clientDigest) return null;
  // The upload that set this digest (a replay of an older upload stores no new row).
  const [last] = await db
    .select({ preferred: configSnapshots.preferredCampaignId })
    .from(configSnapshots)
    .where(and(eq(configSnapshots.vin, vin), eq(configSnapshots.clientDigest, clientDigest)))
    .orderBy(sql`${configSnapshots.receivedAt} desc, ${configSnapshots.id} desc`)
    .limit(1);
  const applicable = await applicableCampaigns(db, vin);
  const selected = selectCampaign(applicable, last?.preferred ?? undefined);
  return { applicable, selected, files: selected === null ? [] : await campaignFiles(db, selected) };
}
