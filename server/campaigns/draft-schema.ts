// Zod only: the campaign builder validates its form with these in the browser, the router on the server.
import { z } from 'zod';
import {
  defaultDraftPreconditions,
  defaultDraftRollout,
  defaultDraftTimeouts,
  preconditionsSchema,
  reofferDeclinedAfterHoursSchema,
  rolloutPlanSchema,
  timeoutsSchema,
} from '../rollout/plan-schema';

const optionalText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);

/** Vehicles by attribute: model, region, and the software version installed on one ECU. Empty fields match everything. */
export const vehicleFilterSchema = z
  .object({ model: optionalText, region: optionalText, ecuId: optionalText, softwareVersion: optionalText })
  .refine((f) => !f.softwareVersion || f.ecuId, { message: 'Choose the ECU whose installed version should match', path: ['ecuId'] });
export type VehicleFilter = z.infer<typeof vehicleFilterSchema>;

export const reproPolicySchema = z.object({
  consent: z.enum(['none', 'download', 'install', 'both']),
  maxRetries: z.number({ error: 'Enter the number of retries' }).int('Max retries must be a whole number').min(0, 'Max retries cannot be negative').max(100, 'Max retries is at most 100'),
  transports: z.array(z.enum(['wifi', 'cellular', 'any'])).min(1, 'Choose at least one transport'),
  minFreeStorageMb: z.number({ error: 'Enter the free storage in MB' }).int('Free storage must be whole MB').min(0, 'Free storage cannot be negative').max(10_000_000),
});

export const hmiTextRowSchema = z.object({
  locale: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A locale looks like "en", "ja" or "ja-JP"'),
  title: z.string().trim().min(1, 'Each HMI text needs a title').max(200),
  body: z.string().trim().max(4000),
});

/** What the campaign builder sends. */
export const campaignDraftSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a campaign name').max(200),
    description: z.string().trim().max(4000).default(''),
    vehiclePackageId: z.number({ error: 'Choose a vehicle package' }).int().positive('Choose a vehicle package'),
    priority: z.number({ error: 'Enter a priority (0 or more)' }).int('Priority must be a whole number').min(0, 'Priority cannot be negative').max(1000, 'Priority is at most 1000'),
    reproPolicy: reproPolicySchema,
    requiresConsent: z.boolean(),
    hmiTexts: z.array(hmiTextRowSchema).max(50),
    defaultLocale: z.string().trim().min(1).max(35),
    startsAt: z.date().nullable(),
    endsAt: z.date().nullable(),
    target: z.object({
      vins: z.array(z.string().trim().min(1).max(64)).max(200_000, 'At most 200,000 VINs per campaign'),
      filter: vehicleFilterSchema.nullable(),
    }),
    /** Waves and their thresholds (default: one wave of every vehicle). */
    rollout: rolloutPlanSchema.default(defaultDraftRollout),
    /** What a vehicle's last known configuration must meet before it is offered the campaign. */
    preconditions: preconditionsSchema.default(defaultDraftPreconditions),
    reofferDeclinedAfterHours: reofferDeclinedAfterHoursSchema.default(null),
    timeouts: timeoutsSchema.default(defaultDraftTimeouts),
  })
  .superRefine((d, ctx) => {
    const locales = d.hmiTexts.map((t) => t.locale);
    const twice = locales.find((l, i) => locales.indexOf(l) !== i);
    if (twice) ctx.addIssue({ code: 'custom', path: ['hmiTexts'], message: `The locale ${twice} has two HMI texts` });
    if (locales.length && !locales.includes(d.defaultLocale)) {
      ctx.addIssue({ code: 'custom', path: ['defaultLocale'], message: `The default locale ${d.defaultLocale} has no HMI text; pick one of ${locales.join(', ')}` });
    }
    if (d.startsAt && d.endsAt && d.endsAt <= d.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'The end time must be after the start time' });
  });
export type CampaignDraft = z.infer<typeof campaignDraftSchema>;
/** The builder's form as it is sent (before defaults and trimming). */
export type CampaignDraftInput = z.input<typeof campaignDraftSchema>;

