import { getConfig } from '../config';
import { getDb } from '../db';
import { campaignValidity } from '../campaigns/validity';
import { offerBody } from '../campaigns/offer';
import { deliverNextCommand } from '../commands/next-command';
import { ingestNotification } from '../events/ingest-notification';
import { completeLogUpload, requestLogUpload } from '../logs/log-uploads';
import { actionsFor } from '../settings/actions';
import { getBlobStore } from '../storage';
import { acceptConfigUpload, offerForDigest } from '../vehicles/config-upload';
import {
  campaignValidityRequest,
  configDigestRequest,
  configUploadRequest,
  logUploadCompleteRequest,
  logUploadUrlRequest,
  notificationRequest,
  vehicleOnlyRequest,
} from '../vehicle-protocol/messages';
import { endpoint } from '../http/endpoint';
import { publicOrigin, readVehicleMessage, signedResponse } from './http';

/** API_1, C_01 … C_35: POST /api/ota/v1/notification */
export const postNotification = endpoint(async (req) => {
  const { message, identity } = await readVehicleMessage(req, notificationRequest);
  const results = await ingestNotification(await getDb(), identity, message.signed.events);
  return signedResponse({ results });
});

/** API_2, C_03: POST /api/ota/v1/action */
export const postAction = endpoint(async (req) => {
  const { identity } = await readVehicleMessage(req, vehicleOnlyRequest);
  return signedResponse({ actions: await actionsFor(await getDb(), identity) }, {}, { repeats: true });
});

/** API_3, C_04: POST /api/ota/v1/config-digest */
export const postConfigDigest = endpoint(async (req) => {
  const { message, identity } = await readVehicleMessage(req, configDigestRequest);
  const config = getConfig();
  const offer = await offerForDigest(await getDb(), identity, message.signed.clientDigest);
  const origin = publicOrigin(req, config.PUBLIC_URL);
  if (!offer) {
    return signedResponse(await offerBody({ applicable: [], selected: null, files: [], origin, ttlSeconds: 0, status: 'ConfigUploadRequired' }));
  }
  return signedResponse(await offerBody({ ...offer, origin, ttlSeconds: config.DOWNLOAD_URL_TTL_SECONDS }));
});

/** API_4, C_05: POST /api/ota/v1/config */
export const postConfig = endpoint(async (req) => {
  const { message, identity } = await readVehicleMessage(req, configUploadRequest);
  const config = getConfig();
  const offer = await acceptConfigUpload(await getDb(), identity, message);
  return signedResponse(await offerBody({ ...offer, origin: publicOrigin(req, config.PUBLIC_URL), ttlSeconds: config.DOWNLOAD_URL_TTL_SECONDS }));
});

/** API_5, C_18: POST /api/ota/v1/campaign-validity */
export const postCampaignValidity = endpoint(async (req) => {
  const { message, identity } = await readVehicleMessage(req, campaignValidityRequest);
  const { vin, campaignId } = message.signed;
  const status = await campaignValidity(await getDb(), identity, campaignId);
  return signedResponse({ vin, status, campaignId });
});

/** API_6, C_36: POST /api/ota/v1/command */
export const postCommand = endpoint(async (req) => {
  const { identity } = await readVehicleMessage(req, vehicleOnlyRequest);
  return signedResponse(await deliverNextCommand(await getDb(), identity), {}, { repeats: true });
});

/** API_7, C_37: POST /api/ota/v1/log-upload-url */
export const postLogUploadUrl = endpoint(async (req) => {
  const { message, identity } = await readVehicleMessage(req, logUploadUrlRequest);
  return signedResponse(await requestLogUpload(await getDb(), identity, message.signed, publicOrigin(req, getConfig().PUBLIC_URL)));
});

/** API_8, C_39: POST /api/ota/v1/log-upload-complete */
export const postLogUploadComplete = endpoint(async (req) => {
  const { message, identity } = await readVehicleMessage(req, logUploadCompleteRequest);
  return signedResponse(await completeLogUpload(await getDb(), getBlobStore(), identity, message.signed));
});
