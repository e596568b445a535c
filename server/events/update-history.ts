import { count, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { attempts, campaigns, campaignVehicles, events, phases, vehicles } from '@/db/schema';
import { notFound } from '../errors';
import { eventCodeLabels, type EventCode } from '../vehicle-protocol/classify';
import { activationPercentOf, describeExtras, installPercentOf } from './activation-result';

/** The most events one history shows (the latest ones); older ones are counted, not listed. */
export const HISTORY_EVENT_LIMIT = 2000;

export const timelineEventSchema = z.object({
  id: z.number(),
  code: z.string().nullable(),
  /** Plain words for the code; "Unclassified" when eventsType/status is outside the protocol's table. */
  label: z.string(),
  eventsType: z.string(),
  status: z.string(),
  /** rmVehState of a C_01 (vehicle state) event. */
  rmState: z.string().nullable(),
  eventTime: z.date(),
  receivedAt: z.date(),
  attemptId: z.string().nullable(),
  reportId: z.string().nullable(),
  eventsUuid: z.string(),
  bytesDownloaded: z.number().nullable(),
  downloadSize: z.number().nullable(),
  /** bytesDownloaded / downloadSize in whole percent, when the event carries both. */
  progressPercent: z.number().nullable(),
  errorCodes: z.array(z.string()),
  /** The vehicle used this eventsUuid before for a different event. */
  uuidReused: z.boolean(),
  /** What the extras say: C_09's result, C_16/C_24/C_28 OEM errors (phase, site, code, ECU), C_24 per-ECU status, C_20/C_23 progress. */
  detail: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const attemptHistorySchema = z.object({
  attemptId: z.string(),
  /** Null when events name an attempt no configuration upload opened. */
  openedAt: z.date().nullable(),
  resumedAt: z.date().nullable(),
  events: z.array(timelineEventSchema),
});

export const campaignHistorySchema = z.object({
  campaignId: z.number(),
  name: z.string(),
  status: z.string(),
  /** The vehicle's place in the campaign; null when it is no longer a member. */
  membership: z.object({ phase: z.enum(phases), progress: z.number(), lastErrorCode: z.string().nullable(), lastEventAt: z.date().nullable() }).nullable(),
  attempts: z.array(attemptHistorySchema),
});
export type CampaignHistory = z.infer<typeof campaignHistorySchema>;

export const updateHistorySchema = z.object({
  campaigns: z.array(campaignHistorySchema),
  /** Events that belong to no campaign attempt (vehicle state, errors without attemptId, unknown attempts). */
  otherEvents: z.array(timelineEventSchema),
  totalEvents: z.number(),
  /** Older events left out beyond HISTORY_EVENT_LIMIT. */
  omittedEvents: z.number(),
});
export type UpdateHistory = z.infer<typeof updateHistorySchema>;

export const labelOf = (code: string | null) => (code && code in eventCodeLabels ? eventCodeLabels[code as EventCode] : 'Unclassified');

const percent = (bytes: number | null, size: number | null) => (bytes !== null && size ? Math.min(100, Math.floor((bytes / size) * 100)) : null);

/** The timeline's columns of an event (everything but the raw JSON). */
export const timelineColumns = {
  id: events.id,
  code: events.code,
  eventsType: events.eventsType,
  status: events.status,
  rmState: sql<string | null>`${events.raw}->'rmStateExtras'->>'rmVehState'`,
  eventTime: events.eventTime,
  receivedAt: events.receivedAt,
  attemptId: events.attemptId,
  reportId: events.reportId,
  eventsUuid: events.eventsUuid,
  campaignId: events.campaignId,
  bytesDownloaded: events.bytesDownloaded,
  downloadSize: events.downloadSize,
  errorCodes: events.errorCodes,
  uuidReused: events.uuidReused,
  /** Only the extras the timeline describes, not the whole raw event. */
  extras: sql<Record<string, unknown>>`jsonb_build_object(
    'trackingExtras', ${events.raw}->'trackingExtras', 'downloadExtras', ${events.raw}->'downloadExtras', 'activationExtras', ${events.raw}->'activationExtras',
    'errorExtras', ${events.raw}->'errorExtras', 'installProgressExtras', ${events.raw}->'installProgressExtras', 'activateProgressExtras', ${events.raw}->'activateProgressExtras')`,
};

type EventRow = Omit<TimelineEvent, 'label' | 'progressPercent' | 'detail'> & { campaignId: number | null; extras: Record<string, unknown> | null };

export function toTimelineEvent({ campaignId: _campaign, extras, ...row }: EventRow): TimelineEvent {
  const loose = extras ?? {};
  const stepPercent = row.code === 'C_20' ? installPercentOf(loose) : row.code === 'C_23' ? activationPercentOf(loose) : null;
  return { ...row, label: labelOf(row.code), progressPercent: percent(row.bytesDownloaded, row.downloadSize) ?? stepPercent, detail: describeExtras(row.code, loose) };
}

/**
 * A vehicle's whole update story: each campaign it is (or was) in with its phase, each attempt
 * at it, and every event of each attempt in time order; events of no attempt apart.
 * Campaigns and attempts newest first.
 */
export async function getUpdateHistory(db: Queryable, input: { vin: string }): Promise<UpdateHistory> {
  const vin = input.vin;
  const [vehicle] = await db.select({ vin: vehicles.vin }).from(vehicles).where(eq(vehicles.vin, vin));
  if (!vehicle) throw notFound(`vehicle ${vin}`);

  const memberships = await db
    .select({
      campaignId: campaignVehicles.campaignId,
      phase: campaignVehicles.phase,
      progress: campaignVehicles.progress,
      lastErrorCode: campaignVehicles.lastErrorCode,
      lastEventAt: campaignVehicles.lastEventAt,
    })
    .from(campaignVehicles)
    .where(eq(campaignVehicles.vin, vin));
  const attemptRows = await db.select().from(attempts).where(eq(attempts.vin, vin));
  const [totals] = await db.select({ n: count() }).from(events).where(eq(events.vin, vin));
  const latest = await db
    .select(timelineColumns)
    .from(events)
    .where(eq(events.vin, vin))
    .orderBy(desc(events.eventTime), desc(events.id))
    .limit(HISTORY_EVENT_LIMIT);
  const rows = latest.reverse();

  const campaignIds = [
    ...new Set([...memberships.map((m) => m.campaignId), ...attemptRows.map((a) => a.campaignId), ...rows.map((r) => r.campaignId).filter((c): c is number => c !== null)]),
  ];
  const campaignRows = campaignIds.length
    ? await db.select({ id: campaigns.id, name: campaigns.name, status: campaigns.status }).from(campaigns).where(inArray(campaigns.id, campaignIds))
    : [];

  type Attempt = z.infer<typeof attemptHistorySchema>;
  const byCampaign = new Map<number, CampaignHistory>();
  const attemptOf = new Map<string, Attempt>();
  const key = (campaignId: number, attemptId: string) => `${campaignId}\u0000${attemptId}`;
  for (const c of campaignRows) {
    const m = memberships.find((x) => x.campaignId === c.id);
    byCampaign.set(c.id, { campaignId: c.id, name: c.name, status: c.status, membership: m ? { phase: m.phase, progress: m.progress, lastErrorCode: m.lastErrorCode, lastEventAt: m.lastEventAt } : null, attempts: [] });
  }
  for (const a of attemptRows) {
    const attempt: Attempt = { attemptId: a.attemptId, openedAt: a.openedAt, resumedAt: a.resumedAt, events: [] };
    attemptOf.set(key(a.campaignId, a.attemptId), attempt);
    byCampaign.get(a.campaignId)?.attempts.push(attempt);
  }
  const otherEvents: TimelineEvent[] = [];
  for (const row of rows) {
    const event = toTimelineEvent(row);
    const campaign = row.campaignId === null ? undefined : byCampaign.get(row.campaignId);
    if (!campaign || !row.attemptId) {
      otherEvents.push(event);
      continue;
    }
    let attempt = attemptOf.get(key(campaign.campaignId, row.attemptId));
    if (!attempt) {
      attempt = { attemptId: row.attemptId, openedAt: null, resumedAt: null, events: [] };
      attemptOf.set(key(campaign.campaignId, row.attemptId), attempt);
      campaign.attempts.push(attempt);
    }
    attempt.events.push(event);
  }

  const startOf = (a: Attempt) => (a.openedAt ?? a.events[0]?.eventTime ?? new Date(0)).getTime();
  const lastActivity = (c: CampaignHistory) =>
    Math.max(c.membership?.lastEventAt?.getTime() ?? 0, ...c.attempts.map((a) => Math.max(startOf(a), a.events.at(-1)?.eventTime.getTime() ?? 0)));
  const list = [...byCampaign.values()];
  for (const c of list) c.attempts.sort((a, b) => startOf(b) - startOf(a));
  list.sort((a, b) => lastActivity(b) - lastActivity(a) || b.campaignId - a.campaignId);
  const total = totals?.n ?? 0;
  return { campaigns: list, otherEvents, totalEvents: total, omittedEvents: Math.max(0, total - rows.length) };
}
