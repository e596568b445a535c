import { eq } from 'drizzle-orm';
import { FixedQuery } from '@/db/client';
import { hotTransaction } from '@/db/hot-transaction';
import { softwarePackages, vehiclePackages } from '@/db/schema';
import { getConfig } from '../config';
import { getDb } from '../db';
import { notFound } from '../errors';
import { downloadMetadataOf, hmiDataOf, reproPolicyOf } from '../cdn/campaign-metadata';
import { serveStoredFile } from '../cdn/serve-file';
import { receiveLogFile } from '../logs/log-uploads';
import { getBlobStore } from '../storage';
import { verifySignedUrl } from '../storage/signed-url';
import { endpoint, json } from '../http/endpoint';
import { publicOrigin, signedResponse } from './http';
import { idAfter, segmentAfter } from './path-params';
import { certificateNamesOf } from './client-certificate';
import { vinSchema } from '../vehicle-protocol/messages';
import { proveVehicleGet } from '../vehicles/require-vehicle';

/** C_06: GET /cdn/v1/campaigns/{campaignId}/repro-policy */
export const getReproPolicy = endpoint(async (req) => signedResponse(await reproPolicyOf(await getDb(), idAfter(req, 'campaigns'))));

/** C_07: GET /cdn/v1/campaigns/{campaignId}/download-metadata?vin=… */
export const getDownloadMetadata = endpoint(async (req) => {
  const config = getConfig();
  const url = new URL(req.url);
  const vin = url.searchParams.get('vin');
  // Its half-dozen reads on one connection, taken once: outside a transaction each read waited
  // for a free connection of the pool again, which under a fleet's load added up past the deadline.
  const body = await hotTransaction(await getDb(), async (tx) => {
    // VEHICLE_AUTH, once the VIN is a VIN (downloadMetadataOf says what is wrong with one that is not).
    if (vin !== null && vinSchema.safeParse(vin).success) await proveVehicleGet(tx, url, vin, certificateNamesOf(req));
    return downloadMetadataOf(tx, idAfter(req, 'campaigns'), vin, publicOrigin(req, config.PUBLIC_URL), config.DOWNLOAD_URL_TTL_SECONDS);
  });
  return signedResponse(body);
});

/** C_08: GET /cdn/v1/campaigns/{campaignId}/hmi?locale=ja-JP */
export const getHmiData = endpoint(async (req) => {
  const locale = new URL(req.url).searchParams.get('locale');
  return signedResponse(await hmiDataOf(await getDb(), idAfter(req, 'campaigns'), locale));
});

/** A signed URL is made for GET; HEAD asks about the same file. */
const verifyDownloadUrl = (req: Request) => verifySignedUrl(req.method === 'HEAD' ? 'GET' : req.method, new URL(req.url));

const softwarePackageById = new FixedQuery(['id'], (db, p) => db.select().from(softwarePackages).where(eq(softwarePackages.id, p.id as number)));
const vehiclePackageById = new FixedQuery(['id'], (db, p) => db.select().from(vehiclePackages).where(eq(vehiclePackages.id, p.id as number)));

/** C_14: GET /cdn/v1/software-packages/{id}?expires=…&signature=… */
export const getSoftwarePackageFile = endpoint(async (req) => {
  verifyDownloadUrl(req);
  const id = idAfter(req, 'software-packages');
  const [pkg] = await softwarePackageById.run(await getDb(), { id });
  if (!pkg) throw notFound(`software package ${id}`);
  return serveStoredFile(req, getBlobStore(), pkg);
});

/** C_11: GET /cdn/v1/vehicle-packages/{id}?expires=…&signature=… (the package's JSON manifest) */
export const getVehiclePackageFile = endpoint(async (req) => {
  verifyDownloadUrl(req);
  const id = idAfter(req, 'vehicle-packages');
  const [vp] = await vehiclePackageById.run(await getDb(), { id });
  if (!vp) throw notFound(`vehicle package ${id}`);
  return serveStoredFile(req, getBlobStore(), {
    storageKey: vp.storageKey,
    sha256: vp.sha256,
    fileName: `vehicle-package-${vp.id}.json`,
    contentType: 'application/json',
  });
});

/** The PUT a C_37 answer points to: PUT /api/ota/v1/log-uploads/{uploadId}?expires=…&signature=… */
export const putLogFile = endpoint(async (req) => {
  verifySignedUrl('PUT', new URL(req.url));
  const uploadId = segmentAfter(req, 'log-uploads');
  const result = await receiveLogFile(await getDb(), getBlobStore(), uploadId, req.body ?? new Uint8Array());
  return json(result, { status: 200 });
});

