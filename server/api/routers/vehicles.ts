import { z } from 'zod';
import { actionIds } from '@/db/schema';
import { recordAudit } from '../../audit/record-audit';
import { listVehicleLogs, vehicleLogSchema } from '../../logs/list-logs';
import { actionSettingSchema, actionValueSchema, clearActionOverride, listActionSettings, setActionOverride } from '../../settings/action-overrides';
import { getConfigSnapshotRaw, listConfigSnapshots, snapshotListSchema } from '../../vehicles/config-snapshots';
import { CSV_MAX_CHARS, importResultSchema, importVehiclesCsv } from '../../vehicles/import-vehicles';
import { filterOptionsSchema, listVehicles, listVehiclesInput, vehicleFilterOptions, vehiclePageSchema } from '../../vehicles/list-vehicles';
import { lookupResultSchema, lookupVin } from '../../vehicles/lookup-vin';
import { getVehicleProfile, vehicleProfileSchema } from '../../vehicles/vehicle-profile';
import { createTRPCRouter, operatorProcedure, protectedProcedure } from '../trpc';

const vinInput = z.object({ vin: z.string().trim().min(1, 'Enter a VIN').max(64) });
const overrideInput = vinInput.extend({ actionId: z.enum(actionIds) });

export const vehiclesRouter = createTRPCRouter({
  /** The fleet, a page at a time: VIN substring, model and region filters. */
  list: protectedProcedure
    .input(listVehiclesInput)
    .output(vehiclePageSchema)
    .query(({ ctx, input }) => listVehicles(ctx.db, input)),

  filterOptions: protectedProcedure.output(filterOptionsSchema).query(({ ctx }) => vehicleFilterOptions(ctx.db)),

  /** The header's VIN box: an exact VIN, or the VINs containing what was typed. */
  lookup: protectedProcedure
    .input(z.object({ q: z.string().max(64, 'A VIN has at most 64 characters') }))
    .output(lookupResultSchema)
    .query(({ ctx, input }) => lookupVin(ctx.db, input)),

  get: protectedProcedure
    .input(vinInput)
    .output(vehicleProfileSchema)
    .query(({ ctx, input }) => getVehicleProfile(ctx.db, input)),

  snapshots: protectedProcedure
    .input(vinInput)
    .output(snapshotListSchema)
    .query(({ ctx, input }) => listConfigSnapshots(ctx.db, input)),

  snapshotRaw: protectedProcedure
    .input(vinInput.extend({ id: z.number().int() }))
    .output(z.object({ raw: z.unknown() }))
    .query(async ({ ctx, input }) => ({ raw: await getConfigSnapshotRaw(ctx.db, input) })),

  logs: protectedProcedure
    .input(vinInput)
    .output(z.array(vehicleLogSchema))
    .query(({ ctx, input }) => listVehicleLogs(ctx.db, input)),

  /** GetActionCycle, CarConfigInfoUploadNecessity, DispConsentInCarHMI: fleet default and this vehicle's override. */
  actionSettings: protectedProcedure
    .input(vinInput)
    .output(z.array(actionSettingSchema))
    .query(({ ctx, input }) => listActionSettings(ctx.db, input)),

  setOverride: operatorProcedure
    .input(overrideInput.extend({ value: actionValueSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const { previous } = await setActionOverride(tx, input);
        // Setting the value it has already changes nothing and writes no audit row.
        if (previous !== input.value) await recordAudit(tx, ctx.user, 'vehicle.override.set', { type: 'vehicle', id: input.vin }, { actionId: input.actionId, value: input.value, previous });
        return { ok: true as const };
      }),
    ),

  clearOverride: operatorProcedure
    .input(overrideInput)
    .output(z.object({ ok: z.literal(true), cleared: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const { previous } = await clearActionOverride(tx, input);
        if (previous !== null) await recordAudit(tx, ctx.user, 'vehicle.override.clear', { type: 'vehicle', id: input.vin }, { actionId: input.actionId, previous });
        return { ok: true as const, cleared: previous !== null };
      }),
    ),

  /** Registers vehicles from a CSV (vin,model,region[,primaryId]): all or nothing, problems by line. */
  importCsv: operatorProcedure
    .input(z.object({ csv: z.string().max(CSV_MAX_CHARS, `The file is larger than ${CSV_MAX_CHARS / 1024 / 1024} MB; split it`), fileName: z.string().max(255).optional() }))
    .output(importResultSchema)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const result = await importVehiclesCsv(tx, input);
        await recordAudit(tx, ctx.user, 'vehicle.import', { type: 'vehicle', id: null }, { fileName: input.fileName ?? null, imported: result.imported, firstVins: result.vins });
        return result;
      }),
    ),
});
