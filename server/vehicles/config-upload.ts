import { and, eq, sql } from 'drizzle-orm';
import { FixedQuery, FixedStatement, type Db, type Queryable } from '@/db/client';
import { hotTransaction, type CommitTail } from '@/db/hot-transaction';
import { campaigns, campaignVehicles, configSnapshots, vehicleEcus } from '@/db/schema';
import { needsOf, recordVerdicts, verdictsOf } from '../rollout/engine';
import { installedEcus } from '../rollout/vehicle-configs';
import type { KnownConfig } from '../rollout/compatibility';
import { advanceTo } from '../campaigns/vehicle-phase';
import { applicableCampaigns, campaignFiles, candidateCampaigns, selectCampaign, type CampaignFile } from '../campaigns/offer';
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
    const [[stored], , , candidates, ecusBefore] = await Promise.all([
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
      candidateCampaigns(tx, s.vin),
      // Whether read before or after this upload's ECUs are written, the same once they are laid over it.
      installedEcus(tx, s.vin),
    ]);
    tail.add(recordUpload, { vin: s.vin, primaryId: s.primaryId, configDigest: s.clientDigest ?? null });
    // The configuration being answered: its ECUs over the ones known before, the storage it reports.
    const uploaded = new Map([...uploadedEcus(s.ecuVersionManifests).values()].map(({ software }) => [software.ecuId, software.softwareVersion]));
    const config: KnownConfig = { ecus: new Map([...ecusBefore, ...uploaded]), availableMb: m.packageStorage?.available ?? null };
    const applicable = await meetingPreconditions(tx, tail, s.vin, candidates, config);
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

/** The candidates whose preconditions the configuration just uploaded meets; the others get their reason. */
async function meetingPreconditions(db: Queryable, tail: CommitTail, vin: string, candidates: Awaited<ReturnType<typeof candidateCampaigns>>, config: KnownConfig): Promise<number[]> {
  const ok: number[] = [];
  for (const { campaign, packageBytes } of candidates) {
    const verdicts = await recordVerdicts(db, campaign, verdictsOf(campaign, needsOf(campaign, packageBytes), new Map([[vin, config]]), [vin]), tail);
    if (verdicts.get(vin)?.status === 'ok') ok.push(campaign.id);
  }
  return ok;
}

/** The ECUs an upload reports (the last manifest of an ECU counts). */
function uploadedEcus(manifests: unknown[]): Map<string, { software: NonNullable<ReturnType<typeof readEcuManifest>>; manifest: unknown }> {
  const ecus = new Map<string, { software: NonNullable<ReturnType<typeof readEcuManifest>>; manifest: unknown }>();
  for (const manifest of manifests) {
    const software = readEcuManifest(manifest);
    if (software) ecus.set(software.ecuId, { software, manifest });
  }
  return ecus;
}

async function recordEcus(db: Queryable, vin: string, manifests: unknown[]): Promise<void> {
  const ecus = uploadedEcus(manifests);
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
/**
 * Opens the attempt `(vin, attemptId)` for the campaign, or resumes it. A resumed attempt is
 * tied to the campaign (with this upload and its verdict) when it is new by the vehicle's word
 * or already the campaign's; else only its resumption is recorded.
 */
const openAttempt = new FixedStatement(
  ['vin', 'attemptId', 'campaignId', 'snapshotId', 'compatibility', 'isNew'],
  (p) => sql`insert into attempts as a (vin, attempt_id, campaign_id, config_snapshot_id, compatibility)
    values (${p.vin}::text, ${p.attemptId}::text, ${p.campaignId}::int, ${p.snapshotId}::bigint, ${p.compatibility}::jsonb)
    on conflict (vin, attempt_id) do update set resumed_at = now(),
      campaign_id = case when ${p.isNew}::boolean or a.campaign_id = excluded.campaign_id then excluded.campaign_id else a.campaign_id end,
      config_snapshot_id = case when ${p.isNew}::boolean or a.campaign_id = excluded.campaign_id then excluded.config_snapshot_id else a.config_snapshot_id end,
      compatibility = case when ${p.isNew}::boolean or a.campaign_id = excluded.campaign_id then excluded.compatibility else a.compatibility end`,
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
  const opening = attemptId && !(await namesOtherCampaign(db, attemptId, campaignId));
  const compatibility = JSON.stringify({ status: 'ok', reason: null, checkedAt: new Date().toISOString() });
  // Sent together: the attempt's write and the membership's read (one wait).
  const [, [membership]] = await Promise.all([
    opening ? openAttempt.rows(db, { vin, attemptId, campaignId, snapshotId, compatibility, isNew }) : null,
    lockedMembership.run(db, { campaignId, vin }),
  ]);
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
