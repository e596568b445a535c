import { z } from 'zod';
import { listVehicleLogs, vehicleLogSchema } from '../../logs/list-logs';
import { actionOverrideSchema, actionSettingSchema, clearActionOverride, listActionSettings, setActionOverride, setActionOverrideSchema } from '../../settings/action-overrides';
import { getConfigSnapshotRaw, listConfigSnapshots, snapshotListSchema } from '../../vehicles/config-snapshots';
import { importResultSchema, importVehiclesCsv, vehicleImportSchema } from '../../vehicles/import-vehicles';
import { listModelsAndRegions, modelsAndRegionsSchema } from '../../vehicles/filter-options';
import { listVehicles, listVehiclesInputSchema, vehiclePageSchema } from '../../vehicles/list-vehicles';
import { lookupResultSchema, lookupVin } from '../../vehicles/lookup-vin';
import { getVehicleProfile, vehicleProfileSchema } from '../../vehicles/vehicle-profile';
import { enrolVehicleKey, enrolVehicleKeySchema, listVehicleKeys, vehicleKeysSchema, revokeVehicleKey, revokeVehicleKeySchema, rotateVehicleKey, rotateVehicleKeySchema } from '../../vehicles/vehicle-keys';
import { vinSchema } from '../../vehicle-protocol/messages';
import { createTRPCRouter, operatorProcedure, protectedProcedure } from '../trpc';

const vinInputSchema = z.object({ vin: z.string().trim().min(1, 'Enter a VIN').max(64) });

export const vehiclesRouter = createTRPCRouter({
  /** The fleet, a page at a time: VIN substring, model and region filters. */
  list: protectedProcedure
    .input(listVehiclesInputSchema)
    .output(vehiclePageSchema)
    .query(({ ctx, input }) => listVehicles(ctx.db, input)),

  filterOptions: protectedProcedure.output(modelsAndRegionsSchema).query(({ ctx }) => listModelsAndRegions(ctx.db)),

  /** The header's VIN box: an exact VIN, or the VINs containing what was typed. */
  lookup: protectedProcedure
    .input(z.object({ q: z.string().max(64, 'A VIN has at most 64 characters') }))
    .output(lookupResultSchema)
    .query(({ ctx, input }) => lookupVin(ctx.db, input)),

  get: protectedProcedure
    .input(vinInputSchema)
    .output(vehicleProfileSchema)
    .query(({ ctx, input }) => getVehicleProfile(ctx.db, input)),

  snapshots: protectedProcedure
    .input(vinInputSchema)
    .output(snapshotListSchema)
    .query(({ ctx, input }) => listConfigSnapshots(ctx.db, input)),

  snapshotRaw: protectedProcedure
    .input(vinInputSchema.extend({ id: z.number().int() }))
    .output(z.object({ raw: z.unknown() }))
    .query(async ({ ctx, input }) => ({ raw: await getConfigSnapshotRaw(ctx.db, input) })),

  logs: protectedProcedure
    .input(vinInputSchema)
    .output(z.array(vehicleLogSchema))
    .query(({ ctx, input }) => listVehicleLogs(ctx.db, input)),

  /** GetActionCycle, CarConfigInfoUploadNecessity, DispConsentInCarHMI: fleet default and this vehicle's override. */
  actionSettings: protectedProcedure
    .input(vinInputSchema)
    .output(z.array(actionSettingSchema))
    .query(({ ctx, input }) => listActionSettings(ctx.db, input)),

  setOverride: operatorProcedure
    .input(setActionOverrideSchema)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await setActionOverride(ctx.db, ctx.actor, input);
      return { ok: true as const };
    }),

  clearOverride: operatorProcedure
    .input(actionOverrideSchema)
    .output(z.object({ ok: z.literal(true), cleared: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const { previous } = await clearActionOverride(ctx.db, ctx.actor, input);
      return { ok: true as const, cleared: previous !== null };
    }),

  /** The vehicle's keys (history, newest first), the one it signs with now, and the server's VEHICLE_AUTH. */
  keys: protectedProcedure
    .input(z.object({ vin: vinSchema }))
    .output(vehicleKeysSchema)
    .query(({ ctx, input }) => listVehicleKeys(ctx.db, input)),

  enrolKey: operatorProcedure
    .input(enrolVehicleKeySchema)
    .output(z.object({ keyid: z.string() }))
    .mutation(async ({ ctx, input }) => ({ keyid: (await enrolVehicleKey(ctx.db, ctx.actor, input)).keyid })),

  rotateKey: operatorProcedure
    .input(rotateVehicleKeySchema)
    .output(z.object({ keyid: z.string() }))
    .mutation(async ({ ctx, input }) => ({ keyid: (await rotateVehicleKey(ctx.db, ctx.actor, input)).keyid })),

  revokeKey: operatorProcedure
    .input(revokeVehicleKeySchema)
    .output(z.object({ keyid: z.string() }))
    .mutation(async ({ ctx, input }) => ({ keyid: (await revokeVehicleKey(ctx.db, ctx.actor, input)).keyid })),

  /** Registers vehicles from a CSV (vin,model,region[,primaryId]): all or nothing, problems by line. */
  importCsv: operatorProcedure
    .input(vehicleImportSchema)
    .output(importResultSchema)
    .mutation(({ ctx, input }) => importVehiclesCsv(ctx.db, ctx.actor, input)),
});
