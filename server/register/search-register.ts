import { and, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { likeEscape, type Queryable } from '@/db/client';
import { softwareRegister } from '@/db/schema';
import { csvCell } from '../csv/csv-stream';

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-01-31')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'Not a calendar date');

/** What the Compliance page and its export search by; dates are UTC days, `to` included. */
export const registerFilterSchema = z.object({
  /** Part of a VIN, any case. */
  vin: z.string().trim().max(64).optional(),
  campaignId: z.number().int().positive().optional(),
  /** Part of an RXSWIN, before or after the update, any case. */
  rxswin: z.string().trim().max(100).optional(),
  from: day.optional(),
  to: day.optional(),
  outcome: z.enum(['completed', 'failed', 'declined', 'cancelled']).optional(),
});
export type RegisterFilter = z.infer<typeof registerFilterSchema>;

export const registerRowSchema = z.object({
  id: z.number(),
  vin: z.string(),
  campaignId: z.number(),
  campaignName: z.string(),
  attemptId: z.string().nullable(),
  vehiclePackage: z.object({ id: z.number(), name: z.string(), version: z.string(), sha256: z.string(), rxswin: z.string().nullable().optional() }),
  softwarePackages: z.array(z.object({ id: z.number(), name: z.string(), version: z.string(), targetEcu: z.string(), fileName: z.string(), sha256: z.string(), length: z.number() })),
  ecus: z.array(z.object({ ecuId: z.string(), before: z.string().nullable(), after: z.string().nullable(), updateStatus: z.string().nullable(), errorCodes: z.array(z.string()) })),
  rxswinBefore: z.array(z.string()),
  rxswinAfter: z.array(z.string()),
  compatibility: z.object({
    status: z.string(),
    reason: z.string().nullable(),
    checkedAt: z.string().nullable(),
    snapshot: z
      .object({ id: z.number(), receivedAt: z.string(), ecus: z.array(z.object({ ecuId: z.string(), version: z.string().nullable() })), rxswin: z.array(z.unknown()).nullable(), availableMb: z.number().nullable(), locale: z.string().nullable() })
      .nullable(),
  }),
  consent: z.object({
    required: z.boolean(),
    askedAt: z.string().nullable(),
    answeredAt: z.string().nullable(),
    answer: z.enum(['accepted', 'rejected']).nullable(),
    locale: z.string().nullable(),
    hmiTextVersion: z.string().nullable(),
    hmiTitle: z.string().nullable(),
  }),
  startedAt: z.date().nullable(),
  endedAt: z.date(),
  outcome: z.string(),
  errorCodes: z.array(z.string()),
  finalEventId: z.number().nullable(),
  recordedAt: z.date(),
});
export type RegisterRow = z.infer<typeof registerRowSchema>;

export const registerPageSchema = z.object({ rows: z.array(registerRowSchema), total: z.number(), page: z.number(), pageSize: z.number() });

export function registerWhere(filter: RegisterFilter): SQL | undefined {
  const r = softwareRegister;
  const where: SQL[] = [];
  if (filter.vin) where.push(ilike(r.vin, `%${likeEscape(filter.vin)}%`));
  if (filter.campaignId) where.push(eq(r.campaignId, filter.campaignId));
  if (filter.rxswin) {
    const pattern = `%${likeEscape(filter.rxswin)}%`;
    where.push(or(sql`${r.rxswinBefore}::text ilike ${pattern}`, sql`${r.rxswinAfter}::text ilike ${pattern}`)!);
  }
  if (filter.from) where.push(gte(r.endedAt, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) where.push(lt(r.endedAt, new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000)));
  if (filter.outcome) where.push(eq(r.outcome, filter.outcome));
  return where.length ? and(...where) : undefined;
}

/** Register rows matching the filter, newest first, a page at a time. */
export async function searchRegister(db: Queryable, input: { filter: RegisterFilter; page: number; pageSize: number }) {
  const where = registerWhere(input.filter);
  const [totals] = await db.select({ n: count() }).from(softwareRegister).where(where);
  const rows = await db
    .select()
    .from(softwareRegister)
    .where(where)
    .orderBy(desc(softwareRegister.endedAt), desc(softwareRegister.id))
    .limit(input.pageSize)
    .offset(input.page * input.pageSize);
  return { rows: rows as RegisterRow[], total: totals?.n ?? 0, page: input.page, pageSize: input.pageSize };
}

/** A vehicle's register rows (exact VIN), newest first: the vehicle page's "Software register". */
export async function vehicleRegister(db: Queryable, input: { vin: string }): Promise<RegisterRow[]> {
  const rows = await db.select().from(softwareRegister).where(eq(softwareRegister.vin, input.vin)).orderBy(desc(softwareRegister.endedAt), desc(softwareRegister.id)).limit(200);
  return rows as RegisterRow[];
}

/** The export's columns, in order: one line per register row (see docs/compliance.md). */
export const registerCsvHeader = [
  'register_id',
  'vin',
  'campaign_id',
  'campaign_name',
  'attempt_id',
  'outcome',
  'started_at',
  'ended_at',
  'error_codes',
  'vehicle_package',
  'vehicle_package_sha256',
  'software_packages',
  'ecu_versions',
  'rxswin_before',
  'rxswin_after',
  'compatibility_status',
  'compatibility_reason',
  'compatibility_checked_at',
  'config_snapshot_id',
  'config_snapshot_received_at',
  'config_snapshot_ecus',
  'consent_required',
  'consent_asked_at',
  'consent_answered_at',
  'consent_answer',
  'hmi_locale',
  'hmi_text_version',
  'final_event_id',
  'recorded_at',
] as const;

/** One CSV line's values, lists joined with "; " (ECU versions as "1: 1.0.0 -> 1.1.0 (success)"). */
export function registerCsvValues(r: RegisterRow): (string | number | boolean | Date | null)[] {
  return [
    r.id,
    r.vin,
    r.campaignId,
    r.campaignName,
    r.attemptId,
    r.outcome,
    r.startedAt,
    r.endedAt,
    r.errorCodes.join('; '),
    `${r.vehiclePackage.name} ${r.vehiclePackage.version}`,
    r.vehiclePackage.sha256,
    r.softwarePackages.map((p) => `ECU ${p.targetEcu}: ${p.name} ${p.version} ${p.fileName} sha256=${p.sha256}`).join('; '),
    r.ecus.map((e) => `${e.ecuId}: ${e.before ?? '?'} -> ${e.after ?? '?'}${e.updateStatus ? ` (${e.updateStatus}${e.errorCodes.length ? ` ${e.errorCodes.join(',')}` : ''})` : ''}`).join('; '),
    r.rxswinBefore.join('; '),
    r.rxswinAfter.join('; '),
    r.compatibility.status,
    r.compatibility.reason,
    r.compatibility.checkedAt,
    r.compatibility.snapshot?.id ?? null,
    r.compatibility.snapshot?.receivedAt ?? null,
    r.compatibility.snapshot?.ecus.map((e) => `${e.ecuId}: ${e.version ?? '?'}`).join('; ') ?? null,
    r.consent.required,
    r.consent.askedAt,
    r.consent.answeredAt,
    r.consent.answer,
    r.consent.locale,
    r.consent.hmiTextVersion,
    r.finalEventId,
    r.recordedAt,
  ];
}

/**
 * The filtered register as CSV or JSON (an array), read in batches by id as the consumer
 * pulls, so a large register is never held in memory at once. Newest recorded first.
 */
export function streamRegister(db: Queryable, filter: RegisterFilter, format: 'csv' | 'json', batchSize = 500): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = registerWhere(filter);
  let before: number | null = null;
  let started = false;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(format === 'csv' ? `${registerCsvHeader.join(',')}\r\n` : '['));
        return;
      }
      const rows = (await db
        .select()
        .from(softwareRegister)
        .where(and(where, before === null ? undefined : lt(softwareRegister.id, before)))
        .orderBy(desc(softwareRegister.id))
        .limit(batchSize)) as RegisterRow[];
      if (rows.length) {
        before = rows[rows.length - 1]!.id;
        if (format === 'csv') controller.enqueue(encoder.encode(`${rows.map((r) => registerCsvValues(r).map(csvCell).join(',')).join('\r\n')}\r\n`));
        else {
          controller.enqueue(encoder.encode(rows.map((r, i) => `${first && i === 0 ? '' : ','}\n${JSON.stringify(r)}`).join('')));
          first = false;
        }
      }
      if (rows.length < batchSize) {
        if (format === 'json') controller.enqueue(encoder.encode('\n]\n'));
        controller.close();
      }
    },
  });
}
