import { z } from 'zod';

/** A software package as the dashboard shows it (no storage key). */
export const softwarePackageOut = z.object({
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
export type SoftwarePackageOut = z.infer<typeof softwarePackageOut>;

export const vehiclePackageOut = z.object({
  id: z.number(),
  name: z.string(),
  version: z.string(),
  sha256: z.string(),
  length: z.number(),
  createdAt: z.date(),
  campaignCount: z.number(),
  softwarePackages: z.array(softwarePackageOut),
});
export type VehiclePackageOut = z.infer<typeof vehiclePackageOut>;
