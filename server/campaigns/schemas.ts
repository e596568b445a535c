import { z } from 'zod';
import { campaignStatuses } from '@/db/schema';
import { hmiTextRowSchema, reproPolicySchema } from './draft-schema';
import { phases } from './vehicle-phase';

/** Vehicles in each phase and their total (PhaseCounts). */
export const phaseCountsOut = z.record(z.enum([...phases, 'total']), z.number());

const vehiclePackageRef = z.object({ id: z.number(), name: z.string(), version: z.string() });

export const campaignListOut = z.object({
  total: z.number(),
  rows: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      status: z.enum(campaignStatuses),
      priority: z.number(),
      startsAt: z.date().nullable(),
      endsAt: z.date().nullable(),
      createdAt: z.date(),
      vehiclePackage: vehiclePackageRef,
      vehicleCount: z.number(),
      completed: z.number(),
      failed: z.number(),
      completedPercent: z.number(),
    }),
  ),
});

export const campaignOut = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  status: z.enum(campaignStatuses),
  priority: z.number(),
  vehiclePackageId: z.number(),
  reproPolicy: reproPolicySchema,
  requiresConsent: z.boolean(),
  hmiTexts: z.array(hmiTextRowSchema),
  defaultLocale: z.string(),
  startsAt: z.date().nullable(),
  endsAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  vehiclePackage: vehiclePackageRef.extend({
    softwarePackages: z.array(z.object({ id: z.number(), name: z.string(), version: z.string(), targetEcu: z.string(), fileName: z.string(), length: z.number() })),
  }),
  counts: phaseCountsOut,
  completedPercent: z.number(),
});

export const failuresOut = z.array(z.object({ code: z.string().nullable(), phase: z.enum(['failed', 'declined']), count: z.number(), description: z.string() }));

export const campaignVehiclesOut = z.object({
  total: z.number(),
  rows: z.array(
    z.object({
      vin: z.string(),
      model: z.string().nullable(),
      region: z.string().nullable(),
      phase: z.string(),
      progress: z.number(),
      lastErrorCode: z.string().nullable(),
      lastEventAt: z.date().nullable(),
      updatedAt: z.date(),
    }),
  ),
});
