import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { FixedStatement, textArrayLiteral, type Db, type Tx } from '@/db/client';
import { hotTransaction, type CommitTail } from '@/db/hot-transaction';
import { campaignVehicles } from '@/db/schema';
import { applyEvent, isFinalPhase, type VehiclePhaseState } from '../campaigns/vehicle-phase';
import { evaluateRolloutIfFree } from '../rollout/engine';
import { evaluateAfterCommit } from '../rollout/evaluate-after-commit';
import { DomainError, issuesToDetails, type ErrorDetail } from '../errors';
import { contentHash } from '../vehicle-protocol/canonical-json';
import { classifyEvent } from '../vehicle-protocol/classify';
import { downloadFigures, errorCodesOf, rmStateOf } from '../vehicle-protocol/event-fields';
import { eventSchema, type VehicleEvent } from '../vehicle-protocol/messages';
import { acknowledgedPhases, acknowledgeStart, acknowledgement } from '../commands/acknowledge';
import { proveVehicle, seenVehicleCtes, touchVehicle, type VehicleIdentity } from '../vehicles/require-vehicle';
import { getConfig } from '../config';
import { endsUnopenedAttempt, flagImplausible, hasStarted, type ImplausibleReason } from './plausibility';
import { mayOpenAttempt, openAttemptOf, resolveAttemptCampaigns, type AttemptRow } from './attempt-campaigns';
import { activationOutcome, activationPercentOf, ecuResultsOf, installPercentOf, trackingResultOf, type EcuResult } from './activation-result';
import { recordRegisterEntry, type RegisterOutcome } from '../register/record-entry';
import { applyActivation, expectConfiguration } from '../register/after-update';
import { webhookDeliveries, webhookValues } from '../webhooks/outbox';
import { metrics } from '../metrics/registry';

export type EventResult = { eventsUuid: string; result: 'accepted' | 'duplicate' };

type Prepared = {
  event: VehicleEvent;
  raw: unknown;
  hash: string;
  code: ReturnType<typeof classifyEvent>;
  reusedInBatch: boolean;
};

/** Validates the whole batch first: one bad event rejects the request and nothing is stored. */
export function prepareEvents(rawEvents: unknown[]): Prepared[] {
  const problems: ErrorDetail[] = [];
  const prepared: Prepared[] = [];
  const hashByUuid = new Map<string, string>();
  rawEvents.forEach((raw, index) => {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...issuesToDetails(parsed.error, ['signed', 'events', index]));
      return;
    }
    const event = parsed.data;
    const hash = contentHash(raw);
    const seen = hashByUuid.get(event.eventsUuid);
    hashByUuid.set(event.eventsUuid, seen ?? hash);
    prepared.push({ event, raw, hash, code: classifyEvent(event.eventsType, event.status), reusedInBatch: seen !== undefined && seen !== hash });
  });
  if (problems.length) throw new DomainError('INVALID_REQUEST', `${problems.length} problem(s) in the events; nothing was stored`, problems);
  return prepared;
}

/**
 * API_1: stores a batch of events in one transaction. An identical event already stored is a
 * duplicate and changes nothing; each new event moves its vehicle's campaign phase, C_01
 * updates the vehicle's rmState, and any event of a campaign's attempt acknowledges its StartCampaign.
 */
export async function ingestNotification(db: Db, id: VehicleIdentity, rawEvents: unknown[]): Promise<EventResult[]> {
  const prepared = prepareEvents(rawEvents);
  const unique = new Map<string, Prepared>();
  for (const p of prepared) if (!unique.has(p.hash)) unique.set(p.hash, p);
  const attemptIds = [...new Set(prepared.map((p) => p.event.attemptId).filter((a): a is string => !!a))];
  // A numeric attemptId may open an attempt (attempt-campaigns.ts): that needs a look first.
  const guessing = attemptIds.some(mayOpenAttempt);
  const needsOpenAttempt = prepared.some((p) => p.code === 'C_28' && !p.event.attemptId);
  const slowPath = guessing || needsOpenAttempt;
  let busyCampaigns: number[] = [];
  const rows = eventRows(unique);
  const results = await hotTransaction(db, async (tx, tail) => {
    // VEHICLE_AUTH first: a refused vehicle stores nothing (no query for an unsigned request under `open`).
    const proven = await proveVehicle(tx, id);
    // The common case in one statement: the vehicle touched (proven, or without a key), its events stored.
    const [first] = await touchAndInsert.rows<{ touched_vin: string | null; attempts: AttemptRow[]; inserted: { hash: string; id: number }[]; memberships: Membership[] }>(tx, {
      vin: id.vin,
      proven,
      precision: getConfig().LAST_SEEN_PRECISION_SECONDS,
      attemptIds: textArrayLiteral(attemptIds),
      batch: eventBatchJson(rows), // campaigns from the attempts, in SQL
      insertNow: !slowPath,
    });
    let campaignOf = new Map((first?.attempts ?? []).map((a) => [a.attemptId, a.campaignId]));
    let open: { attemptId: string; campaignId: number } | null = null;
    let inserted = first?.inserted ?? [];
    let memberships: Membership[] | null = first?.memberships ?? null;
    if (!first?.touched_vin || slowPath) {
      memberships = null;
      // A vehicle with a key (its signature checked first), one not registered yet, an attempt
      // to open, or a C_28 without attemptId (the seed's shape), which belongs to the vehicle's open attempt.
      if (!first?.touched_vin) await touchVehicle(tx, id, proven);
      campaignOf = await resolveAttemptCampaigns(tx, id.vin, attemptIds, first?.attempts ?? []);
      if (needsOpenAttempt) open = await openAttemptOf(tx, id.vin);
      inserted = await insertEvents.rows<{ hash: string; id: number }>(tx, { vin: id.vin, batch: eventBatchJson(withCampaigns(rows, campaignOf, open)) });
    }
    const fresh = new Map(inserted.map((r) => [r.hash, Number(r.id)]));
    const accepted = withCampaigns(rows, campaignOf, open)
      .filter((r) => fresh.has(r.contentHash))
      .map((r) => ({ ...r, eventId: fresh.get(r.contentHash)!, ...readExtras(r.prepared) }));

    busyCampaigns = await applyToCampaigns(tx, tail, id.vin, accepted, memberships);
    applyRmState(tail, id.vin, prepared.filter((p) => p.code === 'C_01' && fresh.has(p.hash)));

    const answered = new Set<string>();
    return prepared.map((p) => {
      const first = fresh.has(p.hash) && !answered.has(p.hash);
      answered.add(p.hash);
      return { eventsUuid: p.event.eventsUuid, result: first ? 'accepted' : 'duplicate' } as EventResult;
    });
  });
  // Committed: thresholds that could not be looked at in the transaction are looked at now.
  await evaluateAfterCommit(db, busyCampaigns);
  const counter = metrics().eventsIngested;
  results.forEach((r, i) => r.result === 'accepted' && counter.inc({ code: prepared[i]!.code ?? 'unclassified' }));
  return results;
}

/** The rows to store: one per distinct event (its attempt and campaign: withCampaigns). */
function eventRows(unique: Map<string, Prepared>): EventRow[] {
  return [...unique.values()].map((p) => {
    const figures = downloadFigures(p.event);
    return {
      code: p.code,
      attemptId: p.event.attemptId ?? null,
      campaignId: null,
      eventTime: p.event.currentTime.time,
      bytesDownloaded: figures.bytesDownloaded,
      downloadSize: figures.downloadSize,
      errorCodes: errorCodesOf(p.event),
      contentHash: p.hash,
      status: p.event.status,
      prepared: p,
    };
  });
}

/** The rows with their campaign from `campaignOf` (else the attempt's, looked up in SQL); a C_28 without attemptId joins the `open` attempt. */
function withCampaigns(rows: EventRow[], campaignOf: Map<string, number>, open: { attemptId: string; campaignId: number } | null): EventRow[] {
  return rows.map((r) => {
    if (r.attemptId) return campaignOf.has(r.attemptId) ? { ...r, campaignId: campaignOf.get(r.attemptId)! } : r;
    return r.code === 'C_28' && open ? { ...r, attemptId: open.attemptId, campaignId: open.campaignId } : r;
  });
}

/**
 * The notification's first statement: marks the vehicle seen (when last_seen_at is older than
 * LAST_SEEN_PRECISION_SECONDS) when it proved itself or has no usable key (`touched_vin` null otherwise: touchVehicle then refuses or registers it), reads the vehicle's
 * attempts among `attemptIds` and, when it touched the vehicle and `insertNow`, stores the
 * events (`inserted`: the content hashes of the new rows) and locks the vehicle's memberships in
 * those attempts' campaigns (`memberships`, for applyToCampaigns: no second round trip to read
 * them). Fixed text, prepared once per connection.
 */
const touchAndInsert = new FixedStatement(
  ['vin', 'proven', 'precision', 'attemptIds', 'batch', 'insertNow'],
  (p) => sql`with ${seenVehicleCtes(p, false)},
    att as (select attempt_id, campaign_id from attempts where vin = ${p.vin} and attempt_id = any(${p.attemptIds}::text[])),
    ins as (${insertEventsSql(p.vin, p.batch, sql`exists (select 1 from v) and ${p.insertNow}::boolean`)}),
    members as (select cv.campaign_id, cv.phase, cv.progress, cv.last_error_code, cv.install_progress, cv.activation_progress
      from campaign_vehicles cv
      where cv.vin = ${p.vin} and exists (select 1 from v) and ${p.insertNow}::boolean and cv.campaign_id in (select campaign_id from att)
      for update of cv)
    select (select vin from v) as touched_vin,
      (select coalesce(json_agg(json_build_object('attemptId', attempt_id, 'campaignId', campaign_id)), '[]'::json) from att) as attempts,
      (select coalesce(json_agg(json_build_object('hash', hash, 'id', id)), '[]'::json) from ins) as inserted,
      (select coalesce(json_agg(json_build_object('campaignId', campaign_id, 'phase', phase, 'progress', progress, 'lastErrorCode', last_error_code,
        'installProgress', install_progress, 'activationProgress', activation_progress)), '[]'::json) from members) as memberships`,
);

/** The batch's events stored on their own (the slow path, once their attempts are resolved). */
const insertEvents = new FixedStatement(['vin', 'batch'], (p) => insertEventsSql(p.vin, p.batch));

type EventRow = {
  code: Prepared['code'];
  attemptId: string | null;
  campaignId: number | null;
  eventTime: Date;
  bytesDownloaded: number | null;
  downloadSize: number | null;
  errorCodes: string[];
  contentHash: string;
  status: string;
  prepared: Prepared;
};

/** The rows to store as the JSON text of one jsonb parameter (insertEventsSql's `batch`). */
function eventBatchJson(rows: EventRow[]): string {
  const batch = rows.map((r) => ({
    code: r.code,
    classified: r.code !== null,
    events_uuid: r.prepared.event.eventsUuid,
    events_type: r.prepared.event.eventsType,
    status: r.prepared.event.status,
    attempt_id: r.attemptId,
    report_id: r.prepared.event.reportId ?? null,
    campaign_id: r.campaignId,
    event_time: r.eventTime.toISOString(),
    bytes_downloaded: r.bytesDownloaded,
    download_size: r.downloadSize,
    error_codes: r.errorCodes,
    content_hash: r.contentHash,
    reused_in_batch: r.prepared.reusedInBatch,
    raw: r.prepared.raw,
  }));
  return JSON.stringify(batch);
}

/**
 * One insert for the whole batch (eventBatchJson), its rows as ONE jsonb parameter (the text
 * never varies with the batch's size, so it stays prepared). An event already stored (same
 * vehicle, same content hash) is skipped. A row without a campaign takes its attempt's, if the
 * vehicle has that attempt. The new rows' content hashes and ids come back. The eventsUuid
 * check is a lateral lookup per row (events_vin_uuid_hash_uq): as an EXISTS, the planner, expecting
 * 100 rows from jsonb_to_recordset, hashed ALL the vehicle's events for every notification.
 */
function insertEventsSql(vin: unknown, batch: unknown, when: SQL = sql`true`): SQL {
  return sql`insert into events (vin, code, classified, events_uuid, events_type, status, attempt_id, report_id, campaign_id,
      event_time, bytes_downloaded, download_size, error_codes, content_hash, uuid_reused, raw)
    select ${vin}::text, r.code, r.classified, r.events_uuid, r.events_type, r.status, r.attempt_id, r.report_id,
      coalesce(r.campaign_id, (select a.campaign_id from attempts a where a.vin = ${vin}::text and a.attempt_id = r.attempt_id)),
      r.event_time, r.bytes_downloaded, r.download_size, r.error_codes, r.content_hash,
      r.reused_in_batch or u.used is not null, r.raw
    from jsonb_to_recordset(${batch}::jsonb) as r(code text, classified boolean, events_uuid text, events_type text,
      status text, attempt_id text, report_id text, campaign_id integer, event_time timestamptz, bytes_downloaded bigint,
      download_size bigint, error_codes jsonb, content_hash text, reused_in_batch boolean, raw jsonb)
    left join lateral (select true as used from events e where e.vin = ${vin}::text and e.events_uuid = r.events_uuid limit 1) u on true
    where ${when}
    on conflict (vin, events_uuid, content_hash) do nothing
    returning content_hash as hash, id`;
}


/** What applyToCampaigns reads of a vehicle's membership in a campaign (locked for update). */
type Membership = Pick<typeof campaignVehicles.$inferSelect, 'campaignId' | 'phase' | 'progress' | 'lastErrorCode' | 'installProgress' | 'activationProgress'>;

type AcceptedRow = {
  eventId: number;
  campaignId: number | null;
  attemptId: string | null;
  code: Prepared['code'];
  status: string;
  bytesDownloaded: number | null;
  downloadSize: number | null;
  errorCodes: string[];
  eventTime: Date;
  prepared: Prepared;
} & ReturnType<typeof readExtras>;

/**
 * What the extras add to an event's effect: a C_24 whose ECU reports failure is a failure (its
 * codes first) even when its own status says success; C_20/C_23 progress; a C_09 result.
 */
function readExtras(p: Prepared) {
  const loose = p.raw as Record<string, unknown>;
  const activation = p.code === 'C_24' ? activationOutcome({ ...loose, status: p.event.status }) : null;
  const tracking = p.code === 'C_09' ? trackingResultOf(loose) : null;
  return {
    effectiveStatus: activation?.failed ? 'failure' : p.event.status,
    leadingCodes: activation?.errorCodes ?? [],
    ecuResults: p.code === 'C_24' ? ecuResultsOf(loose) : ([] as EcuResult[]),
    installPercent: p.code === 'C_20' ? installPercentOf(loose) : null,
    activationPercent: p.code === 'C_23' ? activationPercentOf(loose) : p.code === 'C_24' && !activation?.failed ? 100 : null,
    trackingFailed: tracking !== null && tracking !== 'success',
  };
}

/** A membership's new state (applyToCampaigns); `declinedNow` stamps declined_at. */
const updateMembership = new FixedStatement(
  ['campaignId', 'vin', 'phase', 'progress', 'installProgress', 'activationProgress', 'lastErrorCode', 'declinedNow'],
  (p) => sql`update campaign_vehicles set phase = ${p.phase}, progress = ${p.progress}, install_progress = ${p.installProgress},
      activation_progress = ${p.activationProgress}, last_error_code = ${p.lastErrorCode}, last_event_at = now(), updated_at = now(),
      declined_at = case when ${p.declinedNow}::boolean then now() else declined_at end
    where campaign_id = ${p.campaignId} and vin = ${p.vin}`,
);

/**
 * Folds the new events into each campaign membership they belong to, acknowledges
 * StartCampaign, and — when a vehicle's run ended — lets the campaign's thresholds act.
 * While no run ends (nearly every event), the new phases and the acknowledgement go out with
 * the COMMIT (`tail`): nothing in the transaction reads them. A run's end is sent at once
 * (`tail.early`, no wait: it goes out with the next statement), since the thresholds after it
 * read the counters it moves; its webhook and register row go with the COMMIT.
 * Returns the campaigns whose thresholds must be looked at after the commit (their row was busy).
 */
async function applyToCampaigns(tx: Tx, tail: CommitTail, vin: string, accepted: AcceptedRow[], locked: Membership[] | null): Promise<number[]> {
  const flags: { eventId: number; reason: ImplausibleReason }[] = accepted.filter(endsUnopenedAttempt).map((r) => ({ eventId: r.eventId, reason: 'attempt-not-opened' }));
  const campaignIds = [...new Set(accepted.map((r) => r.campaignId).filter((c): c is number => c !== null))];
  if (!campaignIds.length) {
    await flagImplausible(tx, flags);
    return [];
  }
  const ended: number[] = [];
  const stillRunning: Parameters<typeof updateMembership.rows>[1][] = [];
  const memberships: Membership[] = locked
    ? locked.filter((m) => campaignIds.includes(m.campaignId))
    : await tx
        .select({
          campaignId: campaignVehicles.campaignId,
          phase: campaignVehicles.phase,
          progress: campaignVehicles.progress,
          lastErrorCode: campaignVehicles.lastErrorCode,
          installProgress: campaignVehicles.installProgress,
          activationProgress: campaignVehicles.activationProgress,
        })
        .from(campaignVehicles)
        .where(and(eq(campaignVehicles.vin, vin), inArray(campaignVehicles.campaignId, campaignIds)))
        .for('update');
  // Plausibility (plausibility.ts): only a target that has started the campaign moves in it.
  const started = memberships.filter((m) => hasStarted(m.phase));
  for (const r of accepted) {
    if (r.campaignId === null || started.some((m) => m.campaignId === r.campaignId)) continue;
    flags.push({ eventId: r.eventId, reason: memberships.some((m) => m.campaignId === r.campaignId) ? 'not-started' : 'not-a-target' });
  }
  await flagImplausible(tx, flags);
  for (const m of started) {
    let state: VehiclePhaseState = { phase: m.phase, progress: m.progress, lastErrorCode: m.lastErrorCode };
    let installProgress = m.installProgress;
    let activationProgress = m.activationProgress;
    const mine = accepted.filter((r) => r.campaignId === m.campaignId).sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
    let finalEvent: AcceptedRow | null = null;
    for (const r of mine) {
      const before = state.phase;
      state = applyEvent(state, { ...r, status: r.effectiveStatus, errorCodes: [...r.leadingCodes, ...r.errorCodes] });
      // A download the vehicle tracked as failed (C_09) is remembered as the reason, should the run fail without a code.
      if (r.trackingFailed && !isFinalPhase(state.phase)) state = { ...state, lastErrorCode: state.lastErrorCode ?? r.errorCodes[0] ?? 'C_09_FAILURE' };
      if (!isFinalPhase(state.phase)) {
        if (r.installPercent !== null) installProgress = Math.max(installProgress, r.installPercent);
        if (r.activationPercent !== null) activationProgress = Math.max(activationProgress, r.activationPercent);
      }
      if (r.code === 'C_24' && r.effectiveStatus !== 'failure' && !isFinalPhase(state.phase)) await applyActivation(tx, tail, vin, m.campaignId, r.ecuResults);
      // An attempt that ends — or whose end changes (C_35 success after a failure) — gets a register row.
      if (isFinalPhase(state.phase) && state.phase !== before) finalEvent = r;
    }
    const declinedNow = state.phase === 'declined' && m.phase !== 'declined';
    const update = { campaignId: m.campaignId, vin, phase: state.phase, progress: state.progress, installProgress, activationProgress, lastErrorCode: state.lastErrorCode, declinedNow };
    const ends = isFinalPhase(state.phase) && state.phase !== m.phase;
    if (!ends && !finalEvent) {
      stillRunning.push(update);
      continue;
    }
    // Sent now, not waited for: the thresholds below read the counters it moves.
    await tail.early(tx, updateMembership, update);
    if (ends) ended.push(m.campaignId);
    if ((state.phase === 'completed' || state.phase === 'failed') && state.phase !== m.phase) {
      // The run's end, to the webhooks (rare: once per vehicle and run), in this transaction.
      const last = finalEvent ?? mine[mine.length - 1]!;
      const common = { vin, campaignId: m.campaignId, attemptId: last.attemptId, eventId: last.prepared.event.eventsUuid, at: last.eventTime.toISOString() };
      if (state.phase === 'completed') tail.add(webhookDeliveries, webhookValues('vehicle.update_completed', common));
      else {
        const errorCodes = [...new Set([...(state.lastErrorCode ? [state.lastErrorCode] : []), ...last.leadingCodes, ...last.errorCodes])];
        tail.add(webhookDeliveries, webhookValues('vehicle.update_failed', { ...common, errorCode: state.lastErrorCode, errorCodes }));
      }
    }
    if (finalEvent) {
      // UN R156 register: written now, with the event that ended the attempt, never recomputed.
      const effect = await recordRegisterEntry(tx, tail, {
        vin,
        campaignId: m.campaignId,
        attemptId: finalEvent.attemptId,
        outcome: state.phase as RegisterOutcome,
        lastErrorCode: state.lastErrorCode,
        endedAt: finalEvent.eventTime,
        finalEventId: finalEvent.eventId,
      });
      if (effect && state.phase === 'completed') expectConfiguration(tail, vin, m.campaignId, finalEvent.attemptId, effect);
    }
  }
  // Once a run ended, the thresholds below read the counters these writes move: written now.
  const write = async <K extends string>(statement: FixedStatement<K>, values: Record<K, unknown>) => {
    if (ended.length) await tail.early(tx, statement, values);
    else tail.add(statement, values);
  };
  for (const update of stillRunning) await write(updateMembership, update);
  const unacknowledged = started.filter((m) => !acknowledgedPhases.includes(m.phase));
  if (unacknowledged.length) await write(acknowledgeStart, acknowledgement(vin, unacknowledged.map((m) => m.campaignId)));
  // The thresholds last, and without waiting for a campaign row another transaction holds (no
  // lock is waited for while this vehicle's membership row is held, so this cannot deadlock
  // with an operator's action, which locks the campaign first): those are evaluated after the commit.
  const busy: number[] = [];
  for (const campaignId of ended.sort((a, b) => a - b)) if (!(await evaluateRolloutIfFree(tx, campaignId, tail))) busy.push(campaignId);
  return busy;
}

/** C_01: the vehicle's rmState; a late C_01 older than the state already known does not overwrite it. */
const updateRmState = new FixedStatement(
  ['vin', 'state', 'at'],
  (p) => sql`update vehicles set rm_state = ${p.state}, rm_state_at = ${p.at}::timestamptz, updated_at = now()
    where vin = ${p.vin} and (rm_state_at is null or rm_state_at <= ${p.at}::timestamptz)`,
);

/** The newest rmState of the batch's new C_01 events, written with the COMMIT (nothing reads it before). */
function applyRmState(tail: CommitTail, vin: string, rmEvents: Prepared[]): void {
  const latest = rmEvents
    .map((p) => ({ state: rmStateOf(p.event), at: p.event.currentTime.time }))
    .filter((r): r is { state: string; at: Date } => r.state !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (latest) tail.add(updateRmState, { vin, state: latest.state, at: latest.at.toISOString() });
}
