import { z } from 'zod';

/** A software package as the dashboard shows it (no storage key). */
export const softwarePackageSchema = z.object({
  id: z.number(),
  name: z.string(),
  version: z.string(),
  targetEcu: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sha256: z.string(),
  length: z.number(),
  createdAt: z.date(),
});
export type SoftwarePackage = z.infer<typeof softwarePackageSchema>;

export const vehiclePackageSchema = z.object({
  id: z.number(),
  name: z.string(),
  version: z.string(),
  sha256: z.string(),
  length: z.number(),
  createdAt: z.date(),
  campaignCount: z.number(),
  softwarePackages: z.array(softwarePackageSchema),
});
export type VehiclePackage = z.infer<typeof vehiclePackageSchema>;
