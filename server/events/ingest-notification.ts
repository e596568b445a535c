import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { campaigns, campaignVehicles, events, vehicles } from '@/db/schema';
import { applyEvent, isFinalPhase, mayEndRun, type VehiclePhaseState } from '../campaigns/vehicle-phase';
import { evaluateRollout } from '../rollout/engine';
import { DomainError, issuesToDetails, type ErrorDetail } from '../errors';
import { contentHash } from '../vehicle-protocol/canonical-json';
import { classifyEvent } from '../vehicle-protocol/classify';
import { downloadFigures, errorCodesOf, rmStateOf } from '../vehicle-protocol/event-fields';
import { eventSchema, type VehicleEvent } from '../vehicle-protocol/messages';
import { acknowledgeStartCampaign } from '../commands/acknowledge';
import { touchVehicle, type VehicleIdentity } from '../vehicles/require-vehicle';
import { openAttemptOf, resolveAttemptCampaigns } from './attempt-campaigns';
import { activationOutcome, activationPercentOf, ecuResultsOf, installPercentOf, trackingResultOf, type EcuResult } from './activation-result';
import { recordRegisterEntry, type RegisterOutcome } from '../register/record-entry';
import { applyActivation, expectConfiguration } from '../register/after-update';

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
  return db.transaction(async (tx) => {
    await touchVehicle(tx, id);
    const attemptIds = [...new Set(prepared.map((p) => p.event.attemptId).filter((a): a is string => !!a))];
    const campaignOf = await resolveAttemptCampaigns(tx, id.vin, attemptIds);
    // A C_28 without attemptId (the seed's shape) belongs to the vehicle's open attempt, if it has one.
    const open = prepared.some((p) => p.code === 'C_28' && !p.event.attemptId) ? await openAttemptOf(tx, id.vin) : null;
    const attemptOf = (p: Prepared) => p.event.attemptId ?? (p.code === 'C_28' && open ? open.attemptId : null);

    const unique = new Map<string, Prepared>();
    for (const p of prepared) if (!unique.has(p.hash)) unique.set(p.hash, p);
    const rows = [...unique.values()].map((p) => {
      const figures = downloadFigures(p.event);
      return {
        vin: id.vin,
        code: p.code,
        classified: p.code !== null,
        eventsUuid: p.event.eventsUuid,
        eventsType: p.event.eventsType,
        status: p.event.status,
        attemptId: attemptOf(p),
        reportId: p.event.reportId ?? null,
        campaignId: p.event.attemptId ? (campaignOf.get(p.event.attemptId) ?? null) : attemptOf(p) && open ? open.campaignId : null,
        eventTime: p.event.currentTime.time,
        bytesDownloaded: figures.bytesDownloaded,
        downloadSize: figures.downloadSize,
        errorCodes: errorCodesOf(p.event),
        contentHash: p.hash,
        uuidReused: p.reusedInBatch
          ? sql`true`
          : sql`exists (select 1 from ${events} e where e.vin = ${id.vin} and e.events_uuid = ${p.event.eventsUuid})`,
        raw: p.raw,
      };
    });
    const inserted = await tx
      .insert(events)
      .values(rows)
      .onConflictDoNothing({ target: [events.vin, events.contentHash] })
      .returning({ hash: events.contentHash, id: events.id });
    const fresh = new Map(inserted.map((r) => [r.hash, r.id]));
    const accepted = rows.filter((r) => fresh.has(r.contentHash)).map((r) => ({ ...r, eventId: fresh.get(r.contentHash)!, ...readExtras(unique.get(r.contentHash)!) }));

    await applyToCampaigns(tx, id.vin, accepted);
    await applyRmState(tx, id.vin, prepared.filter((p) => p.code === 'C_01' && fresh.has(p.hash)));

    const answered = new Set<string>();
    return prepared.map((p) => {
      const first = fresh.has(p.hash) && !answered.has(p.hash);
      answered.add(p.hash);
      return { eventsUuid: p.event.eventsUuid, result: first ? 'accepted' : 'duplicate' };
    });
  });
}

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

/**
 * Folds the new events into each campaign membership they belong to, acknowledges
 * StartCampaign, and — when a vehicle's run ended — lets the campaign's thresholds act.
 */
async function applyToCampaigns(tx: Tx, vin: string, accepted: AcceptedRow[]): Promise<void> {
  const campaignIds = [...new Set(accepted.map((r) => r.campaignId).filter((c): c is number => c !== null))];
  if (!campaignIds.length) return;
  const ending = [...new Set(accepted.filter((r) => r.campaignId !== null && mayEndRun(r)).map((r) => r.campaignId!))].sort((a, b) => a - b);
  // Campaign rows before membership rows, the order operators' actions lock them in; "no key"
  // so that it does not wait on the key-share locks other vehicles' event inserts hold.
  if (ending.length) await tx.select({ id: campaigns.id }).from(campaigns).where(inArray(campaigns.id, ending)).orderBy(campaigns.id).for('no key update');
  const ended: number[] = [];
  const memberships = await tx
    .select()
    .from(campaignVehicles)
    .where(and(eq(campaignVehicles.vin, vin), inArray(campaignVehicles.campaignId, campaignIds)))
    .for('update');
  for (const m of memberships) {
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
      if (r.code === 'C_24' && r.effectiveStatus !== 'failure' && !isFinalPhase(state.phase)) await applyActivation(tx, vin, m.campaignId, r.ecuResults);
      // An attempt that ends — or whose end changes (C_35 success after a failure) — gets a register row.
      if (isFinalPhase(state.phase) && state.phase !== before) finalEvent = r;
    }
    const declinedNow = state.phase === 'declined' && m.phase !== 'declined';
    await tx
      .update(campaignVehicles)
      .set({
        phase: state.phase,
        progress: state.progress,
        installProgress,
        activationProgress,
        lastErrorCode: state.lastErrorCode,
        lastEventAt: sql`now()`,
        updatedAt: sql`now()`,
        ...(declinedNow ? { declinedAt: sql`now()` } : {}),
      })
      .where(and(eq(campaignVehicles.campaignId, m.campaignId), eq(campaignVehicles.vin, vin)));
    if (isFinalPhase(state.phase) && state.phase !== m.phase) ended.push(m.campaignId);
    if (finalEvent) {
      // UN R156 register: written now, with the event that ended the attempt, never recomputed.
      const effect = await recordRegisterEntry(tx, {
        vin,
        campaignId: m.campaignId,
        attemptId: finalEvent.attemptId,
        outcome: state.phase as RegisterOutcome,
        lastErrorCode: state.lastErrorCode,
        endedAt: finalEvent.eventTime,
        finalEventId: finalEvent.eventId,
      });
      if (effect && state.phase === 'completed') await expectConfiguration(tx, vin, m.campaignId, finalEvent.attemptId, effect);
    }
  }
  await acknowledgeStartCampaign(tx, vin, campaignIds);
  for (const campaignId of ended) await evaluateRollout(tx, campaignId);
}

async function applyRmState(tx: Tx, vin: string, rmEvents: Prepared[]): Promise<void> {
  const latest = rmEvents
    .map((p) => ({ state: rmStateOf(p.event), at: p.event.currentTime.time }))
    .filter((r): r is { state: string; at: Date } => r.state !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (!latest) return;
  // A late C_01 older than the state already known does not overwrite it.
  await tx
    .update(vehicles)
    .set({ rmState: latest.state, rmStateAt: latest.at, updatedAt: sql`now()` })
    .where(and(eq(vehicles.vin, vin), or(isNull(vehicles.rmStateAt), lte(vehicles.rmStateAt, latest.at))));
}
