import { z } from 'zod';
import { campaignStatuses } from '@/db/schema';
import { hmiTextRowSchema, reproPolicySchema } from './draft-schema';
import { campaignActionNames } from './change-status';
import { phases } from './vehicle-phase';

/** Vehicles in each phase and their total (PhaseCounts). */
export const phaseCountsSchema = z.record(z.enum([...phases, 'total']), z.number());

const storedWaveSchema = z.object({ size: z.number(), unit: z.enum(['count', 'percent']) });
/** As stored (not re-checked against the builder's limits). */
const storedRolloutPlanSchema = z.object({ waves: z.array(storedWaveSchema), successThreshold: z.number(), errorThreshold: z.number(), autoAdvance: z.boolean() });

const vehiclePackageRefSchema = z.object({ id: z.number(), name: z.string(), version: z.string() });

export const campaignListSchema = z.object({
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
      vehiclePackage: vehiclePackageRefSchema,
      vehicleCount: z.number(),
      completed: z.number(),
      failed: z.number(),
      completedPercent: z.number(),
    }),
  ),
});

export const campaignSchema = z.object({
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
  vehiclePackage: vehiclePackageRefSchema.extend({
    softwarePackages: z.array(z.object({ id: z.number(), name: z.string(), version: z.string(), targetEcu: z.string(), fileName: z.string(), length: z.number() })),
  }),
  counts: phaseCountsSchema,
  /** Vehicles not offered the campaign (preconditions) and vehicles silent too long on their way. */
  attention: z.object({ blocked: z.number(), stalled: z.number() }),
  completedPercent: z.number(),
  rollout: storedRolloutPlanSchema,
  currentWave: z.number(),
  suspendReason: z.string().nullable(),
  acknowledgedFailures: z.number(),
  preconditions: z.object({ ecus: z.array(z.object({ ecuId: z.string(), versions: z.array(z.string()) })), minFreeStorageMb: z.number() }),
  reofferDeclinedAfterHours: z.number().nullable(),
  commandAckTimeoutSeconds: z.number(),
  commandMaxRedeliveries: z.number(),
  stallAfterMinutes: z.number(),
});

export const failuresSchema = z.array(z.object({ code: z.string().nullable(), phase: z.enum(['failed', 'declined']), count: z.number(), description: z.string() }));

export const campaignVehiclesSchema = z.object({
  total: z.number(),
  rows: z.array(
    z.object({
      vin: z.string(),
      model: z.string().nullable(),
      region: z.string().nullable(),
      phase: z.enum(phases),
      progress: z.number(),
      lastErrorCode: z.string().nullable(),
      lastEventAt: z.date().nullable(),
      updatedAt: z.date(),
      /** 0-based. */
      wave: z.number(),
      blockedReason: z.string().nullable(),
      stalled: z.boolean(),
      retries: z.number(),
      installProgress: z.number(),
      activationProgress: z.number(),
      /** "Configuration differs from expected" after this campaign's update: the differences, else null. */
      configDifferences: z.array(z.string()).nullable(),
    }),
  ),
});

const waveDecisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('none') }),
  z.object({ action: z.enum(['suspend', 'advance', 'await-operator', 'complete', 'wait']), reason: z.string() }),
]);

const waveCountsShape = {
  wave: z.number(),
  vehicles: z.number(),
  eligible: z.number(),
  completed: z.number(),
  failed: z.number(),
  declined: z.number(),
  cancelled: z.number(),
  blocked: z.number(),
  notStarted: z.number(),
  inProgress: z.number(),
  stalled: z.number(),
};

/** waveProgress: each wave's state and counts, the current wave against its thresholds, the engine's next step. */
export const waveProgressSchema = z.object({
  status: z.enum(campaignStatuses),
  plan: storedRolloutPlanSchema,
  currentWave: z.number(),
  waveCount: z.number(),
  acknowledgedFailures: z.number(),
  waves: z.array(z.object({ ...waveCountsShape, plan: storedWaveSchema.nullable(), state: z.enum(['released', 'current', 'waiting']) })),
  current: z.object({ wave: z.number(), eligible: z.number(), completed: z.number(), failed: z.number(), newFailures: z.number(), successNeeded: z.number(), failuresToSuspend: z.number() }),
  next: waveDecisionSchema,
});

export const retryResultSchema = z.object({ retried: z.number(), queuedCommands: z.number(), waitingForWave: z.number() });
export const startNextWaveResultSchema = z.object({ wave: z.number(), queuedCommands: z.number() });
export const cancelVehicleResultSchema = z.object({ fromPhase: z.enum(phases), withdrawnCommands: z.number() });

/** Which campaign an operation is about. */
export const campaignIdSchema = z.object({ id: z.number().int().positive() });
/** Deploy, suspend, resume, cancel or complete a campaign. */
export const campaignTransitionSchema = campaignIdSchema.extend({ action: z.enum(campaignActionNames) });
export type CampaignTransition = z.infer<typeof campaignTransitionSchema>;
/** Release the next wave; `fromWave` (the wave the operator saw) makes a second click a no-op. */
export const startNextWaveSchema = campaignIdSchema.extend({ fromWave: z.number().int().min(0).optional() });
export type StartNextWave = z.infer<typeof startNextWaveSchema>;
/** Retry failed and declined vehicles: all of them (errorCode null) or those with one error code. */
export const retryVehiclesSchema = campaignIdSchema.extend({ errorCode: z.string().trim().min(1).max(64).nullable().default(null) });
export type RetryVehicles = z.infer<typeof retryVehiclesSchema>;
/** Take one vehicle out of the campaign. */
export const cancelVehicleSchema = campaignIdSchema.extend({ vin: z.string().trim().min(1).max(64) });
export type CancelVehicle = z.infer<typeof cancelVehicleSchema>;
