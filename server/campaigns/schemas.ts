import { z } from 'zod';
import { campaignStatuses } from '@/db/schema';
import { hmiTextRowSchema, reproPolicySchema } from './draft-schema';
import { phases } from './vehicle-phase';

/** Vehicles in each phase and their total (PhaseCounts). */
export const phaseCountsOut = z.record(z.enum([...phases, 'total']), z.number());

const rolloutWaveOut = z.object({ size: z.number(), unit: z.enum(['count', 'percent']) });
/** As stored (not re-checked against the builder's limits). */
const rolloutPlanOut = z.object({ waves: z.array(rolloutWaveOut), successThreshold: z.number(), errorThreshold: z.number(), autoAdvance: z.boolean() });

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
  /** Vehicles not offered the campaign (preconditions) and vehicles silent too long on their way. */
  attention: z.object({ blocked: z.number(), stalled: z.number() }),
  completedPercent: z.number(),
  rollout: rolloutPlanOut,
  currentWave: z.number(),
  suspendReason: z.string().nullable(),
  acknowledgedFailures: z.number(),
  preconditions: z.object({ ecus: z.array(z.object({ ecuId: z.string(), versions: z.array(z.string()) })), minFreeStorageMb: z.number() }),
  reofferDeclinedAfterHours: z.number().nullable(),
  commandAckTimeoutSeconds: z.number(),
  commandMaxRedeliveries: z.number(),
  stallAfterMinutes: z.number(),
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

const waveDecisionOut = z.discriminatedUnion('action', [
  z.object({ action: z.literal('none') }),
  z.object({ action: z.enum(['suspend', 'advance', 'await-operator', 'complete']), reason: z.string() }),
]);

const waveCountsOut = {
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
export const waveProgressOut = z.object({
  status: z.enum(campaignStatuses),
  plan: rolloutPlanOut,
  currentWave: z.number(),
  waveCount: z.number(),
  acknowledgedFailures: z.number(),
  waves: z.array(z.object({ ...waveCountsOut, plan: rolloutWaveOut.nullable(), state: z.enum(['released', 'current', 'waiting']) })),
  current: z.object({ wave: z.number(), eligible: z.number(), completed: z.number(), failed: z.number(), newFailures: z.number(), successNeeded: z.number(), failuresToSuspend: z.number() }),
  next: waveDecisionOut,
});

export const retryOut = z.object({ retried: z.number(), queuedCommands: z.number(), waitingForWave: z.number() });
export const startNextWaveOut = z.object({ wave: z.number(), queuedCommands: z.number() });
export const cancelVehicleOut = z.object({ fromPhase: z.string(), withdrawnCommands: z.number() });
