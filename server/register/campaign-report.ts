import { and, count, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { campaigns, campaignVehicles, softwareRegister, vehiclePackages, vehicles } from '@/db/schema';
import { notFound } from '../errors';

export const campaignReportSchema = z.object({
  campaignId: z.number(),
  name: z.string(),
  status: z.string(),
  vehiclePackage: z.object({ name: z.string(), version: z.string(), sha256: z.string(), rxswin: z.string().nullable() }),
  requiresConsent: z.boolean(),
  /** Vehicles the campaign targets, by phase. */
  targets: z.object({ total: z.number(), byPhase: z.array(z.object({ phase: z.string(), count: z.number() })) }),
  /** Vehicles not offered the campaign because their last known configuration failed the preconditions, by reason. */
  blocked: z.array(z.object({ reason: z.string(), count: z.number() })),
  /** Register rows by outcome. */
  outcomes: z.array(z.object({ outcome: z.string(), count: z.number() })),
  consent: z.object({ accepted: z.number(), rejected: z.number(), unanswered: z.number(), hmiTextVersions: z.array(z.object({ locale: z.string().nullable(), version: z.string(), count: z.number() })) }),
  /** Per ECU, how many attempts went from which version to which (register rows). */
  transitions: z.array(z.object({ ecuId: z.string(), before: z.string().nullable(), after: z.string().nullable(), outcome: z.string(), count: z.number() })),
  rxswin: z.array(z.object({ before: z.string(), after: z.string(), count: z.number() })),
  /** Vehicles whose upload after this campaign's update differed from what was expected. */
  configDiffers: z.number(),
  registerRows: z.number(),
});
export type CampaignReport = z.infer<typeof campaignReportSchema>;

const n = (v: unknown) => Number(v ?? 0);

/**
 * The campaign's report for the type-approval file (UN R156 §7.1.2): targets, compatibility
 * blocks with their reasons, consent, outcomes and the software before and after, from the
 * campaign's memberships and its register rows.
 */
export async function campaignReport(db: Queryable, input: { id: number }): Promise<CampaignReport> {
  const [c] = await db
    .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status, requiresConsent: campaigns.requiresConsent, vp: vehiclePackages })
    .from(campaigns)
    .innerJoin(vehiclePackages, eq(vehiclePackages.id, campaigns.vehiclePackageId))
    .where(eq(campaigns.id, input.id));
  if (!c) throw notFound(`campaign ${input.id}`);
  const mine = eq(campaignVehicles.campaignId, c.id);
  const byPhase = await db.select({ phase: campaignVehicles.phase, count: count() }).from(campaignVehicles).where(mine).groupBy(campaignVehicles.phase).orderBy(desc(count()));
  const blocked = await db
    .select({ reason: sql<string>`${campaignVehicles.blockedReason}`, count: count() })
    .from(campaignVehicles)
    .where(and(mine, isNotNull(campaignVehicles.blockedReason)))
    .groupBy(campaignVehicles.blockedReason)
    .orderBy(desc(count()));
  const reg = eq(softwareRegister.campaignId, c.id);
  const outcomes = await db.select({ outcome: softwareRegister.outcome, count: count() }).from(softwareRegister).where(reg).groupBy(softwareRegister.outcome).orderBy(desc(count()));
  const consentList = await rowsOf<{ answer: string | null; n: number }>(db, sql`select consent->>'answer' as answer, count(*)::int as n from software_register where campaign_id = ${c.id} group by 1`);
  const versions = await rowsOf<{ locale: string | null; version: string; n: number }>(
    db,
    sql`select consent->>'locale' as locale, consent->>'hmiTextVersion' as version, count(*)::int as n from software_register
      where campaign_id = ${c.id} and consent->>'hmiTextVersion' is not null group by 1, 2 order by 3 desc`,
  );
  const transitions = await rowsOf<{ ecu_id: string; before: string | null; after: string | null; outcome: string; n: number }>(
    db,
    sql`select e->>'ecuId' as ecu_id, e->>'before' as before, e->>'after' as after, r.outcome, count(*)::int as n
      from software_register r cross join lateral jsonb_array_elements(r.ecus) e
      where r.campaign_id = ${c.id} group by 1, 2, 3, 4 order by 1, 5 desc`,
  );
  const rxswin = await rowsOf<{ before: string; after: string; n: number }>(
    db,
    sql`select array_to_string(array(select jsonb_array_elements_text(rxswin_before)), ', ') as before,
        array_to_string(array(select jsonb_array_elements_text(rxswin_after)), ', ') as after, count(*)::int as n
      from software_register where campaign_id = ${c.id} group by 1, 2 order by 3 desc`,
  );
  const [differs] = await db
    .select({ n: count() })
    .from(vehicles)
    .where(sql`(${vehicles.configMismatch}->>'campaignId')::int = ${c.id}`);
  const answered = (a: string) => n(consentList.find((r) => r.answer === a)?.n);
  const total = byPhase.reduce((sum, p) => sum + p.count, 0);
  const registerRows = outcomes.reduce((sum, o) => sum + o.count, 0);
  return {
    campaignId: c.id,
    name: c.name,
    status: c.status,
    vehiclePackage: { name: c.vp.name, version: c.vp.version, sha256: c.vp.sha256, rxswin: c.vp.rxswin },
    requiresConsent: c.requiresConsent,
    targets: { total, byPhase },
    blocked,
    outcomes,
    consent: {
      accepted: answered('accepted'),
      rejected: answered('rejected'),
      unanswered: registerRows - answered('accepted') - answered('rejected'),
      hmiTextVersions: versions.map((v) => ({ locale: v.locale, version: v.version, count: n(v.n) })),
    },
    transitions: transitions.map((t) => ({ ecuId: t.ecu_id, before: t.before, after: t.after, outcome: t.outcome, count: n(t.n) })),
    rxswin: rxswin.map((r) => ({ before: r.before, after: r.after, count: n(r.n) })),
    configDiffers: differs?.n ?? 0,
    registerRows,
  };
}

/** Rows of a raw statement, whichever driver answers (PGlite returns {rows}, postgres.js an array). */
async function rowsOf<T>(db: Queryable, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] } | T[];
  return Array.isArray(result) ? result : result.rows;
}
