import { z } from 'zod';
import { composeVehiclePackage, composeVehiclePackageSchema } from '../../packages/compose-vehicle-package';
import { listSoftwarePackages, listVehiclePackages } from '../../packages/list-packages';
import { softwarePackageSchema, vehiclePackageSchema } from '../../packages/schemas';
import { packageUploadLimit } from '../../packages/upload-software-package';
import { createTRPCRouter, operatorProcedure, protectedProcedure } from '../trpc';

// Uploads go through POST /api/packages/upload (a streamed body with progress), not tRPC.
export const packagesRouter = createTRPCRouter({
  softwarePackages: protectedProcedure.output(z.array(softwarePackageSchema)).query(({ ctx }) => listSoftwarePackages(ctx.db)),

  vehiclePackages: protectedProcedure.output(z.array(vehiclePackageSchema)).query(({ ctx }) => listVehiclePackages(ctx.db)),

  /** The largest file POST /api/packages/upload accepts. */
  uploadLimit: protectedProcedure.output(z.object({ bytes: z.number(), text: z.string() })).query(() => packageUploadLimit()),

  composeVehiclePackage: operatorProcedure
    .input(composeVehiclePackageSchema)
    .output(z.object({ id: z.number(), name: z.string(), version: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const created = await composeVehiclePackage(ctx.db, ctx.actor, input);
      return { id: created.id, name: created.name, version: created.version };
    }),
});
