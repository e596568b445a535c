import { z } from 'zod';
import { campaignReport, campaignReportSchema } from '../../register/campaign-report';
import { registerFilterSchema, registerPageSchema, registerRowSchema, searchRegister, vehicleRegister } from '../../register/search-register';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const registerRouter = createTRPCRouter({
  /** The UN R156 software register, searched by VIN, campaign, RXSWIN and date range (every role may read it). */
  search: protectedProcedure
    .input(z.object({ filter: registerFilterSchema.prefault({}), page: z.number().int().min(0).default(0), pageSize: z.number().int().min(1).max(200).default(25) }))
    .output(registerPageSchema)
    .query(({ ctx, input }) => searchRegister(ctx.db, input)),

  /** One vehicle's register rows (its latest 200). */
  vehicle: protectedProcedure
    .input(z.object({ vin: z.string().trim().min(1, 'Enter a VIN').max(64) }))
    .output(z.array(registerRowSchema))
    .query(({ ctx, input }) => vehicleRegister(ctx.db, input)),

  /** A campaign's report for the type-approval file. */
  campaignReport: protectedProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .output(campaignReportSchema)
    .query(({ ctx, input }) => campaignReport(ctx.db, input)),
});
