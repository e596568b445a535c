import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { FixedQuery, FixedStatement, type Queryable } from '@/db/client';
import type { CommitTail } from '@/db/hot-transaction';
import {
  attempts,
  campaigns,
  configSnapshots,
  events,
  type RegisterCompatibility,
  type RegisterConsent,
  type RegisterEcu,
  type RegisterPackage,
  type RegisterSoftwarePackage,
} from '@/db/schema';
import { campaignFiles, vehiclePackageOfCampaign } from '../campaigns/offer';
import { pickHmiText } from '../cdn/campaign-metadata';
import { canonicalJson } from '../vehicle-protocol/canonical-json';
import { ecuVersions } from '../vehicles/snapshot-diff';
import { activationOutcome, ecuResultsOf, type EcuResult } from '../events/activation-result';
import { expectedRxswin, rxswinList } from './expected-rxswin';

export type RegisterOutcome = 'completed' | 'failed' | 'declined' | 'cancelled';

export type FinishedAttempt = {
  vin: string;
  campaignId: number;
  /** The attempt the final event named (or was attributed to); null when none is known. */
  attemptId: string | null;
  outcome: RegisterOutcome;
  /** The membership's last error code (the vehicle's, or the event's fallback such as C_16_FAILURE). */
  lastErrorCode: string | null;
  endedAt: Date;
  finalEventId: number | null;
};

/** What an update wrote to the vehicle's ECUs: each package target's version where its ECU did not report failure. */
export type UpdateEffect = { ecus: RegisterEcu[]; rxswinBefore: unknown[] | null; rxswinAfter: unknown[] | null; packageRxswin: string | null };

/**
 * Appends the register row of an attempt that reached a final state, from what is stored now
 * (in the transaction of the event that ended it): the campaign, its vehicle package and
 * software packages with their sha256, each target ECU before and after, RXSWIN before and
 * after, the compatibility verdict and the configuration it read, consent and the HMI text
 * shown, start, end, outcome and error codes. Returns what the update did to the ECUs.
 * The row goes out with the transaction's COMMIT (`tail`): nothing in it reads the register.
 */
export async function recordRegisterEntry(db: Queryable, tail: CommitTail, finished: FinishedAttempt): Promise<UpdateEffect | null> {
  // Independent reads, sent together on the transaction's connection: one wait instead of four.
  const [[campaign], vp, packageFiles, attempt] = await Promise.all([
    campaignById.run(db, { campaignId: finished.campaignId }),
    vehiclePackageOfCampaign(db, finished.campaignId),
    campaignFiles(db, finished.campaignId),
    findAttempt(db, finished),
  ]);
  if (!campaign || !vp) return null;
  const files = packageFiles.map(({ storageKey: _, ...f }) => f);
  const [snapshot, attemptEvents] = await Promise.all([
    findSnapshot(db, finished.vin, attempt),
    eventsOfAttempt(db, finished.vin, finished.campaignId, attempt?.attemptId ?? finished.attemptId),
  ]);

  // Per ECU: before from the configuration the check read; after from the package where the update held.
  const lastActivation = attemptEvents.filter((e) => e.code === 'C_24').at(-1);
  const reported = new Map<string, EcuResult>((lastActivation ? ecuResultsOf(lastActivation.raw as Record<string, unknown>) : []).map((e) => [e.targetId, e]));
  const before = ecuVersions(snapshot?.ecuVersionManifests ?? []);
  const completed = finished.outcome === 'completed';
  const ecus: RegisterEcu[] = [];
  for (const f of files) {
    if (ecus.some((e) => e.ecuId === f.targetEcu)) {
      // Two files for one ECU: the later one is what the ECU ends up running.
      const existing = ecus.find((e) => e.ecuId === f.targetEcu)!;
      if (completed && existing.updateStatus !== 'failure') existing.after = f.version;
      continue;
    }
    const r = reported.get(f.targetEcu);
    const ecuFailed = r?.updateStatus === 'failure' || r?.updateStatus === 'failed';
    const was = before.get(f.targetEcu)?.softwareVersion ?? null;
    ecus.push({ ecuId: f.targetEcu, before: was, after: completed && !ecuFailed ? f.version : was, updateStatus: r?.updateStatus ?? null, errorCodes: r?.errorCodes ?? [] });
  }
  const rxBefore = (snapshot?.rxswin as unknown[] | null) ?? null;
  const updatedEcus = completed ? ecus.filter((e) => e.updateStatus !== 'failure' && e.updateStatus !== 'failed').map((e) => e.ecuId) : [];
  const rxAfter = completed ? expectedRxswin(rxBefore, vp.rxswin, updatedEcus) : rxBefore;

  const compatibility: RegisterCompatibility = {
    status: attempt?.compatibility?.status ?? 'not recorded',
    reason: attempt?.compatibility?.reason ?? (attempt?.compatibility ? null : 'the attempt was not opened by a configuration upload, so no check was recorded for it'),
    checkedAt: attempt?.compatibility?.checkedAt ?? null,
    snapshot: snapshot
      ? {
          id: snapshot.id,
          receivedAt: snapshot.receivedAt.toISOString(),
          ecus: [...before].map(([ecuId, v]) => ({ ecuId, version: v.softwareVersion })),
          rxswin: rxBefore,
          availableMb: snapshot.storageAvailableMb,
          locale: snapshot.locale,
        }
      : null,
  };

  const consentEvent = attemptEvents.filter((e) => e.code === 'C_10').at(-1);
  const hmi = campaign.requiresConsent || consentEvent ? pickHmiText(campaign.hmiTexts, snapshot?.locale ?? null, campaign.defaultLocale) : null;
  const consent: RegisterConsent = {
    required: campaign.requiresConsent,
    askedAt: campaign.requiresConsent ? (attempt?.resumedAt ?? attempt?.openedAt ?? null)?.toISOString() ?? null : null,
    answeredAt: consentEvent?.eventTime.toISOString() ?? null,
    answer: consentEvent ? (consentEvent.status === 'rejected' ? 'rejected' : 'accepted') : null,
    locale: hmi?.locale ?? null,
    hmiTextVersion: hmi ? createHash('sha256').update(canonicalJson({ locale: hmi.locale, title: hmi.text.title, body: hmi.text.body })).digest('hex').slice(0, 16) : null,
    hmiTitle: hmi?.text.title ?? null,
  };

  const errorCodes = new Set<string>();
  for (const e of attemptEvents) {
    if (e.code === 'C_24') for (const c of activationOutcome({ ...(e.raw as Record<string, unknown>), status: e.status }).errorCodes) errorCodes.add(c);
    for (const c of e.errorCodes) errorCodes.add(c);
  }
  if (!completed && finished.lastErrorCode) errorCodes.add(finished.lastErrorCode);

  tail.add(insertRegisterRow, {
    vin: finished.vin,
    campaignId: campaign.id,
    campaignName: campaign.name,
    attemptId: attempt?.attemptId ?? finished.attemptId,
    vehiclePackage: JSON.stringify({ id: vp.id, name: vp.name, version: vp.version, sha256: vp.sha256, rxswin: vp.rxswin } satisfies RegisterPackage),
    softwarePackages: JSON.stringify(files satisfies RegisterSoftwarePackage[]),
    ecus: JSON.stringify(ecus),
    rxswinBefore: JSON.stringify(rxswinList(rxBefore)),
    rxswinAfter: JSON.stringify(rxswinList(rxAfter)),
    compatibility: JSON.stringify(compatibility),
    consent: JSON.stringify(consent),
    startedAt: (attempt?.openedAt ?? attemptEvents[0]?.eventTime ?? null)?.toISOString() ?? null,
    endedAt: finished.endedAt.toISOString(),
    outcome: finished.outcome,
    errorCodes: JSON.stringify([...errorCodes]),
    finalEventId: finished.finalEventId,
  });
  return { ecus, rxswinBefore: rxBefore, rxswinAfter: rxAfter, packageRxswin: vp.rxswin };
}

/** One row of software_register (db/schema/register.ts): json columns as text, times as ISO text. */
const insertRegisterRow = new FixedStatement(
  ['vin', 'campaignId', 'campaignName', 'attemptId', 'vehiclePackage', 'softwarePackages', 'ecus', 'rxswinBefore', 'rxswinAfter', 'compatibility', 'consent', 'startedAt', 'endedAt', 'outcome', 'errorCodes', 'finalEventId'],
  (p) => sql`insert into software_register (vin, campaign_id, campaign_name, attempt_id, vehicle_package, software_packages, ecus,
      rxswin_before, rxswin_after, compatibility, consent, started_at, ended_at, outcome, error_codes, final_event_id)
    values (${p.vin}::text, ${p.campaignId}::int, ${p.campaignName}::text, ${p.attemptId}::text, ${p.vehiclePackage}::jsonb,
      ${p.softwarePackages}::jsonb, ${p.ecus}::jsonb, ${p.rxswinBefore}::jsonb, ${p.rxswinAfter}::jsonb, ${p.compatibility}::jsonb,
      ${p.consent}::jsonb, ${p.startedAt}::timestamptz, ${p.endedAt}::timestamptz, ${p.outcome}::text, ${p.errorCodes}::jsonb, ${p.finalEventId}::bigint)`,
);

const campaignById = new FixedQuery(['campaignId'], (db, p) => db.select().from(campaigns).where(eq(campaigns.id, p.campaignId as number)));
const newestFirst = sql`coalesce(${attempts.resumedAt}, ${attempts.openedAt}) desc`;
const namedAttempt = new FixedQuery(['vin', 'attemptId', 'campaignId'], (db, p) =>
  db
    .select()
    .from(attempts)
    .where(and(eq(attempts.vin, p.vin as string), eq(attempts.attemptId, p.attemptId as string), eq(attempts.campaignId, p.campaignId as number)))
    .orderBy(newestFirst)
    .limit(1),
);

async function findAttempt(db: Queryable, finished: FinishedAttempt) {
  if (finished.attemptId) {
    const [row] = await namedAttempt.run(db, { vin: finished.vin, attemptId: finished.attemptId, campaignId: finished.campaignId });
    return row ?? null;
  }
  const [row] = await db
    .select()
    .from(attempts)
    .where(and(eq(attempts.vin, finished.vin), eq(attempts.campaignId, finished.campaignId)))
    .orderBy(newestFirst)
    .limit(1);
  return row ?? null;
}

const snapshotById = new FixedQuery(['id'], (db, p) => db.select().from(configSnapshots).where(eq(configSnapshots.id, p.id as number)));

/** The configuration the compatibility check read: the attempt's upload, else the last one before the attempt opened (else the last one). */
async function findSnapshot(db: Queryable, vin: string, attempt: Awaited<ReturnType<typeof findAttempt>>) {
  if (attempt?.configSnapshotId) {
    const [row] = await snapshotById.run(db, { id: attempt.configSnapshotId });
    if (row) return row;
  }
  const [row] = await db
    .select()
    .from(configSnapshots)
    .where(and(eq(configSnapshots.vin, vin), attempt ? lte(configSnapshots.receivedAt, attempt.openedAt) : undefined))
    .orderBy(desc(configSnapshots.receivedAt), desc(configSnapshots.id))
    .limit(1);
  return row ?? null;
}

/** The events the register reads of a run: consent, failures, activation, completion. */
const registerCodes = ['C_10', 'C_16', 'C_24', 'C_28', 'C_35', 'C_12', 'C_19', 'C_22'];
const eventsOf = (db: Queryable, vin: unknown, campaignId: unknown, attemptId: unknown) =>
  db
    .select({ code: events.code, status: events.status, eventTime: events.eventTime, errorCodes: events.errorCodes, raw: events.raw })
    .from(events)
    .where(and(eq(events.vin, vin as string), eq(events.campaignId, campaignId as number), attemptId !== null ? eq(events.attemptId, attemptId as string) : undefined, inArray(events.code, registerCodes)))
    .orderBy(asc(events.eventTime), asc(events.id));
const eventsOfNamedAttempt = new FixedQuery(['vin', 'campaignId', 'attemptId'], (db, p) => eventsOf(db, p.vin, p.campaignId, p.attemptId));

async function eventsOfAttempt(db: Queryable, vin: string, campaignId: number, attemptId: string | null) {
  return attemptId !== null ? eventsOfNamedAttempt.run(db, { vin, campaignId, attemptId }) : eventsOf(db, vin, campaignId, null);
}
