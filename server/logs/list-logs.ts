import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { logUploads } from '@/db/schema';

export const logPath = (uploadId: string) => `/api/logs/${encodeURIComponent(uploadId)}`;

export const vehicleLogSchema = z.object({
  uploadId: z.string(),
  fileName: z.string(),
  logType: z.string().nullable(),
  /** requested → uploaded (the PUT arrived) → received (C_39 confirmed it). */
  status: z.enum(['requested', 'uploaded', 'received']),
  declaredSize: z.number().nullable(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  createdAt: z.date(),
  uploadedAt: z.date().nullable(),
  receivedAt: z.date().nullable(),
  expiresAt: z.date(),
  /** Where to download it from; null until the file arrived. */
  downloadPath: z.string().nullable(),
});
export type VehicleLog = z.infer<typeof vehicleLogSchema>;

/** The log files a vehicle uploaded or asked to upload, newest first. */
export async function listVehicleLogs(db: Queryable, input: { vin: string }): Promise<VehicleLog[]> {
  const rows = await db
    .select({
      uploadId: logUploads.uploadId,
      fileName: logUploads.fileName,
      logType: logUploads.logType,
      status: logUploads.status,
      declaredSize: logUploads.declaredSize,
      size: logUploads.size,
      sha256: logUploads.sha256,
      createdAt: logUploads.createdAt,
      uploadedAt: logUploads.uploadedAt,
      receivedAt: logUploads.receivedAt,
      expiresAt: logUploads.expiresAt,
    })
    .from(logUploads)
    .where(eq(logUploads.vin, input.vin))
    .orderBy(desc(logUploads.createdAt))
    .limit(200);
  return rows.map((r) => ({ ...r, downloadPath: r.status === 'requested' ? null : logPath(r.uploadId) }));
}
