import { and, asc, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { FixedQuery, type Queryable } from '@/db/client';
import { campaigns, campaignVehicles, softwarePackages, vehiclePackageItems, vehiclePackages } from '@/db/schema';
import { fileDownloadUrl } from '../storage/file-urls';
import { offeredSql } from './offer-rule';

/**
 * Campaigns offered to this vehicle now (the rule of offer-rule.ts), best first: deployed,
 * within their window, its wave released, not finished by it — a decline is offered again once
 * the campaign's re-offer delay has passed.
 */
export async function applicableCampaigns(db: Queryable, vin: string): Promise<number[]> {
  const rows = await offered.run(db, { vin });
  return rows.map((r) => r.id);
}

/** Which of the vehicle's memberships are in campaigns offered to it (`offeredSql`); best first: `bestFirst`. */
const offeredTo = (vin: unknown, ignoreBlock: boolean) => and(eq(campaignVehicles.vin, vin as string), offeredSql({ ignoreBlock }));
const bestFirst = [desc(campaigns.priority), asc(campaigns.id)];

const offered = new FixedQuery(['vin'], (db, p) =>
  db
    .select({ id: campaigns.id })
    .from(campaignVehicles)
    .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
    .where(offeredTo(p.vin, false))
    .orderBy(...bestFirst),
);

/**
 * C_05's candidates: the campaigns offered, and those whose preconditions the vehicle's last
 * checked configuration failed (C_05 checks the configuration it is answering instead), each
 * with its row and the bytes of its vehicle package (the compatibility check's inputs), in one
 * statement.
 */
export async function candidateCampaigns(db: Queryable, vin: string): Promise<{ campaign: typeof campaigns.$inferSelect; packageBytes: number }[]> {
  const rows = await candidates.run(db, { vin });
  return rows.map((r) => ({ campaign: r.campaign, packageBytes: Number(r.packageBytes ?? 0) }));
}

const candidates = new FixedQuery(['vin'], (db, p) =>
  db
    .select({
      campaign: campaigns,
      packageBytes: sql<string | null>`(select sum(sp.length) from vehicle_package_items vpi join software_packages sp on sp.id = vpi.software_package_id
        where vpi.vehicle_package_id = ${campaigns.vehiclePackageId})`,
    })
    .from(campaignVehicles)
    .innerJoin(campaigns, eq(campaigns.id, campaignVehicles.campaignId))
    .where(offeredTo(p.vin, true))
    .orderBy(...bestFirst),
);

/** The vehicle's preferred campaign when it applies, else the first by priority. */
export function selectCampaign(applicable: number[], preferred: number | undefined): number | null {
  if (preferred && applicable.includes(preferred)) return preferred;
  return applicable[0] ?? null;
}

export type CampaignFile = { id: number; name: string; fileName: string; length: number; sha256: string; targetEcu: string; version: string; storageKey: string };

/** The software packages of a campaign's vehicle package, in package order. */
export async function campaignFiles(db: Queryable, campaignId: number): Promise<CampaignFile[]> {
  return filesOf.run(db, { campaignId });
}

const filesOf = new FixedQuery(['campaignId'], (db, p) =>
  db
    .select({
      id: softwarePackages.id,
      name: softwarePackages.name,
      fileName: softwarePackages.fileName,
      length: softwarePackages.length,
      sha256: softwarePackages.sha256,
      targetEcu: softwarePackages.targetEcu,
      version: softwarePackages.version,
      storageKey: softwarePackages.storageKey,
    })
    .from(campaigns)
    .innerJoin(vehiclePackageItems, eq(vehiclePackageItems.vehiclePackageId, campaigns.vehiclePackageId))
    .innerJoin(softwarePackages, eq(softwarePackages.id, vehiclePackageItems.softwarePackageId))
    .where(eq(campaigns.id, p.campaignId as number))
    .orderBy(asc(vehiclePackageItems.position), asc(softwarePackages.id)),
);

/** The campaign's vehicle package (none: the campaign does not exist). */
export async function vehiclePackageOfCampaign(db: Queryable, campaignId: number) {
  const [vp] = await packageOf.run(db, { campaignId });
  return vp;
}

const packageOf = new FixedQuery(['campaignId'], (db, p) =>
  db.select(getTableColumns(vehiclePackages)).from(campaigns).innerJoin(vehiclePackages, eq(vehiclePackages.id, campaigns.vehiclePackageId)).where(eq(campaigns.id, p.campaignId as number)),
);

export const softwarePackagePath = (id: number) => `/cdn/v1/software-packages/${id}`;
export const vehiclePackagePath = (id: number) => `/cdn/v1/vehicle-packages/${id}`;

/** One `targetsMetadata` entry per file, in the seed's shape, each with a signed expiring download URL (see storage/file-urls). */
export async function targetsMetadata(files: CampaignFile[], origin: string, ttlSeconds: number) {
  const urls = await Promise.all(files.map((f) => fileDownloadUrl({ storageKey: f.storageKey, cdnPath: softwarePackagePath(f.id) }, origin, ttlSeconds)));
  return files.map((f, i) => ({
    fileName: f.fileName,
    metadata: {
      signed: {
        body: {
          targets: [
            {
              target: {
                fileName: f.fileName,
                length: f.length,
                hashes: { sha256: f.sha256 },
                fileDownloadUrl: urls[i]!,
              },
              custom: { softwarePackageId: f.id, ecuId: f.targetEcu, version: f.version },
            },
          ],
        },
        type: 'targets',
      },
    },
  }));
}

/** The body of a C_05 (or matching C_04) answer. */
export async function offerBody(input: { applicable: number[]; selected: number | null; files: CampaignFile[]; origin: string; ttlSeconds: number; status?: string }) {
  return {
    targetsMetadata: await targetsMetadata(input.files, input.origin, input.ttlSeconds),
    augmentedMetadata: {
      signed: {
        body: {
          campaigns: input.applicable.map((campaignId) => ({ campaignId })),
          status: input.status ?? (input.selected === null ? 'NoCampaign' : ''),
          selectedCampaign: { campaignId: input.selected ?? 0 },
        },
        type: 'augmented',
      },
    },
  };
}
