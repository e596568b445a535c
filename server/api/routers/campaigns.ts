import { z } from 'zod';
import { campaignStatuses } from '@/db/schema';
import { createCampaignDraft } from '../../campaigns/campaign-draft';
import { campaignVehicleFilterSchema, listCampaignVehicles } from '../../campaigns/campaign-vehicles';
import { changeCampaignStatus } from '../../campaigns/change-status';
import { countCampaignsByStatus, failuresByCode, getCampaign, listCampaigns } from '../../campaigns/list-campaigns';
import { cancelCampaignVehicle, retryCampaignVehicles, startNextCampaignWave } from '../../campaigns/rollout-actions';
import {
  campaignIdSchema,
  campaignListSchema,
  campaignSchema,
  campaignTransitionSchema,
  campaignVehiclesSchema,
  cancelVehicleResultSchema,
  cancelVehicleSchema,
  failuresSchema,
  retryResultSchema,
  retryVehiclesSchema,
  startNextWaveResultSchema,
  startNextWaveSchema,
  waveProgressSchema,
} from '../../campaigns/schemas';
import { campaignDraftSchema, vehicleFilterSchema } from '../../campaigns/draft-schema';
import { countMatchingVehicles, countTargetVehicles } from '../../campaigns/target-vehicles';
import { waveProgress } from '../../rollout/wave-progress';
import { filterOptionsSchema, listFilterOptions } from '../../vehicles/filter-options';
import { checkVins } from '../../vehicles/registered-vins';
import { createTRPCRouter, operatorProcedure, protectedProcedure } from '../trpc';

const pagingShape = { page: z.number().int().min(0).default(0), pageSize: z.number().int().min(1).max(200).default(25) };

export const campaignsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.object({ status: z.enum(campaignStatuses).optional(), ...pagingShape }).prefault({}))
    .output(campaignListSchema)
    .query(({ ctx, input }) => listCampaigns(ctx.db, input)),

  statusCounts: protectedProcedure.output(z.record(z.enum(campaignStatuses), z.number())).query(({ ctx }) => countCampaignsByStatus(ctx.db)),

  get: protectedProcedure
    .input(campaignIdSchema)
    .output(campaignSchema)
    .query(({ ctx, input }) => getCampaign(ctx.db, input.id)),

  failures: protectedProcedure
    .input(campaignIdSchema)
    .output(failuresSchema)
    .query(({ ctx, input }) => failuresByCode(ctx.db, input.id)),

  vehicles: protectedProcedure
    .input(campaignIdSchema.extend({ filter: campaignVehicleFilterSchema.prefault({}), ...pagingShape }))
    .output(campaignVehiclesSchema)
    .query(({ ctx, input }) => listCampaignVehicles(ctx.db, { campaignId: input.id, filter: input.filter, page: input.page, pageSize: input.pageSize })),

  /** Models, regions, ECUs and installed versions the builder's filter offers. */
  filterOptions: protectedProcedure
    .output(filterOptionsSchema)
    .query(({ ctx }) => listFilterOptions(ctx.db)),

  /** The builder's live count of vehicles a filter matches. */
  matchCount: protectedProcedure
    .input(vehicleFilterSchema)
    .output(z.object({ count: z.number(), sample: z.array(z.string()) }))
    .query(({ ctx, input }) => countMatchingVehicles(ctx.db, input)),

  /**
   * Which of these VINs are not registered (listed back before saving). Reads only, but a
   * mutation so that a long VIN list travels in a POST body rather than the URL.
   */
  checkVins: protectedProcedure
    .input(z.object({ vins: z.array(z.string().trim().min(1).max(64)).max(200_000) }))
    .output(z.object({ unknown: z.array(z.string()), known: z.number() }))
    .mutation(({ ctx, input }) => checkVins(ctx.db, input.vins)),

  /**
   * How many vehicles the builder's target holds (pasted VINs and filter, each vehicle once), for
   * its wave preview. Reads only; a mutation so that a long VIN list travels in a POST body.
   */
  countTarget: protectedProcedure
    .input(z.object({ vins: z.array(z.string().trim().min(1).max(64)).max(200_000), filter: vehicleFilterSchema.nullable() }))
    .output(z.object({ count: z.number() }))
    .mutation(async ({ ctx, input }) => ({ count: await countTargetVehicles(ctx.db, input) })),

  /** Each wave's state and live counts, the current wave against its thresholds, and what the engine does next. */
  waves: protectedProcedure
    .input(campaignIdSchema)
    .output(waveProgressSchema)
    .query(({ ctx, input }) => waveProgress(ctx.db, input.id)),

  create: operatorProcedure
    .input(campaignDraftSchema)
    .output(z.object({ id: z.number(), vehicleCount: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const created = await createCampaignDraft(ctx.db, ctx.actor, input);
      return { id: created.id, vehicleCount: created.vehicleCount };
    }),

  /** Deploy, suspend, resume, cancel or complete. */
  transition: operatorProcedure
    .input(campaignTransitionSchema)
    .output(z.object({ status: z.enum(campaignStatuses), from: z.enum(campaignStatuses), queuedCommands: z.number(), withdrawnCommands: z.number() }))
    .mutation(({ ctx, input }) => changeCampaignStatus(ctx.db, ctx.actor, input)),

  /** Release the next wave now (a campaign that waits for an operator, or early). */
  startNextWave: operatorProcedure
    .input(startNextWaveSchema)
    .output(startNextWaveResultSchema)
    .mutation(({ ctx, input }) => startNextCampaignWave(ctx.db, ctx.actor, input)),

  /** Give failed and declined vehicles another go: all of them, or those with one error code. */
  retryVehicles: operatorProcedure
    .input(retryVehiclesSchema)
    .output(retryResultSchema)
    .mutation(({ ctx, input }) => retryCampaignVehicles(ctx.db, ctx.actor, input)),

  /** Take one vehicle out of the campaign (C_18 then answers Cancelled for it). */
  cancelVehicle: operatorProcedure
    .input(cancelVehicleSchema)
    .output(cancelVehicleResultSchema)
    .mutation(({ ctx, input }) => cancelCampaignVehicle(ctx.db, ctx.actor, input)),
});
