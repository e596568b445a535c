import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, campaignStatuses, campaignVehicles, softwarePackages, vehiclePackageItems, vehiclePackages, type CampaignStatus } from '@/db/schema';
import { notFound } from '../errors';
import { countAttention } from './attention';
import { describeErrorCode } from './error-codes';
import { completion, phaseCountsByCampaign } from './progress';

/** Campaigns newest first (optionally of one status), each with its vehicle package and phase counts. */
export async function listCampaigns(db: Queryable, input: { status?: CampaignStatus; page: number; pageSize: number }) {
  const where = input.status ? eq(campaigns.status, input.status) : undefined;
  const [total] = await db.select({ n: count() }).from(campaigns).where(where);
  const rows = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
      priority: campaigns.priority,
      startsAt: campaigns.startsAt,
      endsAt: campaigns.endsAt,
      createdAt: campaigns.createdAt,
      vehiclePackage: { id: vehiclePackages.id, name: vehiclePackages.name, version: vehiclePackages.version },
    })
    .from(campaigns)
    .innerJoin(vehiclePackages, eq(vehiclePackages.id, campaigns.vehiclePackageId))
    .where(where)
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(input.pageSize)
    .offset(input.page * input.pageSize);
  const counts = await phaseCountsByCampaign(db, rows.map((r) => r.id));
  return {
    total: total?.n ?? 0,
    rows: rows.map((r) => {
      const c = counts.get(r.id)!;
      return { ...r, vehicleCount: c.total, completed: c.completed, failed: c.failed, completedPercent: completion(c) };
    }),
  };
}

/** How many campaigns there are of each status (the list's filter shows them). */
export async function countCampaignsByStatus(db: Queryable) {
  const rows = await db.select({ status: campaigns.status, n: count() }).from(campaigns).groupBy(campaigns.status);
  return Object.fromEntries(campaignStatuses.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0])) as Record<CampaignStatus, number>;
}

/** One campaign with its vehicle package (and its software packages), the vehicles' phase counts and how many are blocked or stalled. */
export async function getCampaign(db: Queryable, campaignId: number) {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw notFound(`campaign ${campaignId}`);
  const [vehiclePackage] = await db
    .select({ id: vehiclePackages.id, name: vehiclePackages.name, version: vehiclePackages.version })
    .from(vehiclePackages)
    .where(eq(vehiclePackages.id, campaign.vehiclePackageId));
  const files = await db
    .select({ id: softwarePackages.id, name: softwarePackages.name, version: softwarePackages.version, targetEcu: softwarePackages.targetEcu, fileName: softwarePackages.fileName, length: softwarePackages.length })
    .from(vehiclePackageItems)
    .innerJoin(softwarePackages, eq(softwarePackages.id, vehiclePackageItems.softwarePackageId))
    .where(eq(vehiclePackageItems.vehiclePackageId, campaign.vehiclePackageId))
    .orderBy(asc(vehiclePackageItems.position), asc(softwarePackages.id));
  const counts = (await phaseCountsByCampaign(db, [campaignId])).get(campaignId)!;
  const attention = await countAttention(db, campaignId);
  const hmiTexts = Object.entries(campaign.hmiTexts).map(([locale, t]) => ({ locale, title: t.title, body: t.body }));
  return { ...campaign, hmiTexts, vehiclePackage: { ...vehiclePackage!, softwarePackages: files }, counts, attention, completedPercent: completion(counts) };
}

/** Failed and declined vehicles of a campaign grouped by their last error code, most frequent first. */
export async function failuresByCode(db: Queryable, campaignId: number) {
  const rows = await db
    .select({ code: campaignVehicles.lastErrorCode, phase: campaignVehicles.phase, count: count() })
    .from(campaignVehicles)
    .where(and(eq(campaignVehicles.campaignId, campaignId), inArray(campaignVehicles.phase, ['failed', 'declined'])))
    .groupBy(campaignVehicles.lastErrorCode, campaignVehicles.phase)
    .orderBy(desc(count()), sql`${campaignVehicles.lastErrorCode} nulls last`);
  return rows.map((r) => ({ ...r, phase: r.phase as 'failed' | 'declined', description: describeErrorCode(r.code) }));
}
