import { z } from 'zod';

/** 1..64 of [A-Za-z0-9_-]: test VINs such as vinUpdate20231008 are not ISO 3779. */
export const vinSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'vin must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -');
/** A string or a number, kept as a string. */
const idString = z.union([z.string().min(1).max(128), z.number()]).transform(String);
const primaryId = z.union([z.string().max(128), z.number()]).transform(String);
const TIME_HINT = 'time must be seconds since 1970 (or milliseconds), as a number or a numeric string, before the year 10000';
/** The largest value a PostgreSQL integer column holds. */
const INT_MAX = 2_147_483_647;
/** Seconds (or milliseconds) since the epoch, as a number or a numeric string. */
export const epochTime = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)], { error: TIME_HINT })
  .transform(Number)
  .refine((n) => Number.isFinite(n) && n >= 0 && n <= 253_402_300_799_999, TIME_HINT)
  .transform((n) => new Date(n > 1e11 ? n : n * 1000));
/** A campaign id: a whole number (or a string of digits), 0 meaning none. */
const campaignId = z
  .union([z.number(), z.string().regex(/^\d+$/)], { error: 'campaignId must be a whole number' })
  .transform(Number)
  .refine((n) => Number.isInteger(n) && n >= 0 && n <= INT_MAX, `campaignId must be a whole number from 0 to ${INT_MAX}`);
/** Megabytes of package storage. */
const megabytes = z.number({ error: 'storage must be a number of megabytes' }).min(0).max(1e12);

const signatures = z.array(z.unknown()).optional();
const envelope = <T extends z.ZodType>(signed: T) => z.object({ signed, signatures });

export const vehicleIdentity = { vin: vinSchema, primaryId: primaryId.default('0') };

export const eventSchema = z.looseObject({
  eventsUuid: z.string().min(1, 'eventsUuid must not be empty').max(128),
  eventsType: z.string().min(1, 'eventsType must not be empty').max(64),
  status: z.string().min(1, 'status must not be empty').max(64),
  currentTime: z.looseObject({ time: epochTime }, { error: 'currentTime must be an object {"time": seconds since 1970}' }),
  attemptId: idString.optional(),
  reportId: idString.optional(),
});
export type VehicleEvent = z.infer<typeof eventSchema>;

export const notificationRequest = envelope(
  z.looseObject({
    ...vehicleIdentity,
    events: z.array(z.unknown()).min(1, 'events must hold at least one event').max(1000, 'send at most 1000 events per request'),
  }),
);

export const vehicleOnlyRequest = envelope(z.looseObject(vehicleIdentity));

export const configUploadRequest = envelope(
  z.looseObject({
    ...vehicleIdentity,
    ecuVersionManifests: z.array(z.unknown()).max(500).default([]),
    clientDigest: z.union([z.string(), z.number()]).transform(String).optional(),
    augmentedManifest: z
      .looseObject({
        timeStamp: z.unknown().optional(),
        packageStorage: z
          .looseObject({ used: megabytes.optional(), available: megabytes.optional() })
          .optional(),
        lastUpdateCampaignId: campaignId.optional(),
        rxswin: z.array(z.unknown()).optional(),
        uploadReason: z.string().optional(),
        locale: z.string().max(35).optional(),
        preferredCampaignId: campaignId.optional(),
        attemptId: idString.optional(),
        isNewAttempt: z.boolean().optional(),
      })
      .default({}),
  }),
);
export type ConfigUploadRequest = z.infer<typeof configUploadRequest>;

export const configDigestRequest = envelope(
  z.looseObject({ ...vehicleIdentity, clientDigest: z.union([z.string(), z.number()]).transform(String) }),
);

export const campaignValidityRequest = envelope(z.looseObject({ ...vehicleIdentity, campaignId }));

export const logUploadUrlRequest = envelope(
  z.looseObject({
    ...vehicleIdentity,
    logType: z.string().regex(/^(?!\.+$)[A-Za-z0-9._-]{1,64}$/, 'logType must be 1 to 64 characters of A-Z, a-z, 0-9, ., _ or -').optional(),
    fileName: z
      .string()
      .regex(/^(?!\.+$)[A-Za-z0-9._-]{1,128}$/, 'fileName must be 1 to 128 characters of A-Z, a-z, 0-9, ., _ or - (not only dots)')
      .optional(),
    fileSize: z.number().int().min(0).optional(),
  }),
);

export const logUploadCompleteRequest = envelope(
  z.looseObject({
    ...vehicleIdentity,
    uploadId: z.string().min(1).max(64),
    fileSize: z.number().int().min(0).optional(),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits').optional(),
  }),
);
