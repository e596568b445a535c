import { and, eq, ne } from 'drizzle-orm';
import { FixedQuery, type Queryable } from '@/db/client';
import { campaigns, vehicles, type HmiText } from '@/db/schema';
import { vinSchema } from '../vehicle-protocol/messages';
import { unknownVehicle } from '../vehicles/require-vehicle';
import { DomainError, notFound } from '../errors';
import { applicableCampaigns, campaignFiles, targetsMetadata, vehiclePackageOfCampaign, vehiclePackagePath } from '../campaigns/offer';
import { fileDownloadUrl } from '../storage/file-urls';

const published = new FixedQuery(['campaignId'], (db, p) =>
  db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, p.campaignId as number), ne(campaigns.status, 'Draft'))),
);
const vehicleExists = new FixedQuery(['vin'], (db, p) => db.select({ vin: vehicles.vin }).from(vehicles).where(eq(vehicles.vin, p.vin as string)));

/** A campaign that vehicles may see: any but a draft. */
async function publishedCampaign(db: Queryable, campaignId: number) {
  const [campaign] = await published.run(db, { campaignId });
  if (!campaign) throw notFound(`campaign ${campaignId}`);
  return campaign;
}

/** C_06: how the vehicle should carry the campaign out (consent, retries, transports, storage). */
export async function reproPolicyOf(db: Queryable, campaignId: number) {
  const c = await publishedCampaign(db, campaignId);
  return { campaignId: c.id, requiresConsent: c.requiresConsent, priority: c.priority, reproPolicy: c.reproPolicy };
}

/**
 * C_07 (`?vin=`): the vehicle package and each file to download, with sizes, hashes and signed
 * URLs — only for a vehicle the campaign is offered to right now (deployed, inside its window,
 * its wave released, its configuration meeting the preconditions, not finished), the same rule
 * as C_05: signed URLs reach nobody the campaign does not target.
 */
export async function downloadMetadataOf(db: Queryable, campaignId: number, vin: string | null, origin: string, ttlSeconds: number) {
  if (!vin || !vinSchema.safeParse(vin).success) {
    throw new DomainError('INVALID_REQUEST', 'say which vehicle asks: add ?vin=<the VIN> to the URL', [{ path: 'vin', message: 'required, 1 to 64 of A-Z, a-z, 0-9, _ or -' }]);
  }
  // The reads do not depend on each other: sent together, one wait instead of five. Only the
  // campaign's read throws, so the answer's precedence stays: no campaign, then no vehicle,
  // then not offered, then no package.
  const [c, [vehicle], applicable, vp, files] = await Promise.all([
    publishedCampaign(db, campaignId),
    vehicleExists.run(db, { vin }),
    applicableCampaigns(db, vin),
    vehiclePackageOfCampaign(db, campaignId),
    campaignFiles(db, campaignId),
  ]);
  if (!vehicle) throw unknownVehicle(vin);
  if (!applicable.includes(campaignId)) {
    throw new DomainError('NOT_FOUND', `campaign ${campaignId} (${c.status}) has nothing for vehicle ${vin} to download now: it is not targeted, not released to it yet, blocked by its preconditions, finished, or outside its window`);
  }
  if (!vp) throw notFound(`vehicle package ${c.vehiclePackageId}`);
  return {
    campaignId: c.id,
    vehiclePackage: {
      vehiclePackageId: vp.id,
      name: vp.name,
      version: vp.version,
      length: vp.length,
      hashes: { sha256: vp.sha256 },
      fileDownloadUrl: await fileDownloadUrl({ storageKey: vp.storageKey, cdnPath: vehiclePackagePath(vp.id) }, origin, ttlSeconds),
      /** The RXSWIN of the updated ECUs after this package, or null when it does not change. */
      rxswin: vp.rxswin,
    },
    totalLength: files.reduce((sum, f) => sum + f.length, 0),
    targetsMetadata: await targetsMetadata(files, origin, ttlSeconds),
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
