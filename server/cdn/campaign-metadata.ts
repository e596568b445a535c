import { and, eq, ne } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { campaigns, vehiclePackages, type HmiText } from '@/db/schema';
import { DomainError, notFound } from '../errors';
import { campaignFiles, targetsMetadata, vehiclePackagePath } from '../campaigns/offer';
import { signUrl } from '../storage/signed-url';

/** A campaign that vehicles may see: any but a draft. */
async function publishedCampaign(db: Queryable, campaignId: number) {
  const [campaign] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), ne(campaigns.status, 'Draft')));
  if (!campaign) throw notFound(`campaign ${campaignId}`);
  return campaign;
}

/** C_06: how the vehicle should carry the campaign out (consent, retries, transports, storage). */
export async function reproPolicyOf(db: Queryable, campaignId: number) {
  const c = await publishedCampaign(db, campaignId);
  return { campaignId: c.id, requiresConsent: c.requiresConsent, priority: c.priority, reproPolicy: c.reproPolicy };
}

/**
 * C_07: the vehicle package and each file to download, with sizes, hashes and signed URLs.
 * Only while the campaign is deployed: a suspended, cancelled or completed one hands out no URLs.
 */
export async function downloadMetadataOf(db: Queryable, campaignId: number, origin: string, ttlSeconds: number) {
  const c = await publishedCampaign(db, campaignId);
  if (c.status !== 'Deployed') throw new DomainError('NOT_FOUND', `campaign ${campaignId} is ${c.status}: it has nothing to download now`);
  const now = new Date();
  if ((c.startsAt && c.startsAt > now) || (c.endsAt && c.endsAt <= now)) {
    throw new DomainError('NOT_FOUND', `campaign ${campaignId} runs from ${c.startsAt?.toISOString() ?? 'now'} to ${c.endsAt?.toISOString() ?? 'open end'}: nothing to download outside that window`);
  }
  const [vp] = await db.select().from(vehiclePackages).where(eq(vehiclePackages.id, c.vehiclePackageId));
  if (!vp) throw notFound(`vehicle package ${c.vehiclePackageId}`);
  const files = await campaignFiles(db, campaignId);
  return {
    campaignId: c.id,
    vehiclePackage: {
      vehiclePackageId: vp.id,
      name: vp.name,
      version: vp.version,
      length: vp.length,
      hashes: { sha256: vp.sha256 },
      fileDownloadUrl: signUrl(origin, 'GET', vehiclePackagePath(vp.id), ttlSeconds),
    },
    totalLength: files.reduce((sum, f) => sum + f.length, 0),
    targetsMetadata: targetsMetadata(files, origin, ttlSeconds),
  };
}

/** The best HMI text for a locale: exact (ja-JP), then language (ja), then the campaign's default. */
export function pickHmiText(texts: Record<string, HmiText>, requested: string | null, fallback: string): { locale: string; text: HmiText } | null {
  const candidates = requested ? [requested, requested.split(/[-_]/)[0]!, fallback] : [fallback];
  for (const locale of candidates) {
    const exact = Object.keys(texts).find((k) => k.toLowerCase() === locale.toLowerCase());
    if (exact) return { locale: exact, text: texts[exact]! };
  }
  const first = Object.keys(texts)[0];
  return first ? { locale: first, text: texts[first]! } : null;
}

/** C_08: the texts the car shows its driver, in the requested locale or the nearest one. */
export async function hmiDataOf(db: Queryable, campaignId: number, locale: string | null) {
  const c = await publishedCampaign(db, campaignId);
  const picked = pickHmiText(c.hmiTexts, locale, c.defaultLocale);
  return {
    campaignId: c.id,
    requestedLocale: locale,
    locale: picked?.locale ?? c.defaultLocale,
    title: picked?.text.title ?? c.name,
    body: picked?.text.body ?? c.description,
    requiresConsent: c.requiresConsent,
  };
}
