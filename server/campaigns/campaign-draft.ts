import { z } from 'zod';
import type { Db } from '@/db/client';
import type { HmiText } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import type { SessionUser } from '../auth/users';
import { insertCampaign } from './lifecycle';
import { resolveTargetVins, vehicleFilterSchema } from './target-vehicles';

export const reproPolicySchema = z.object({
  consent: z.enum(['none', 'download', 'install', 'both']),
  maxRetries: z.number().int('Max retries must be a whole number').min(0, 'Max retries cannot be negative').max(100, 'Max retries is at most 100'),
  transports: z.array(z.enum(['wifi', 'cellular', 'any'])).min(1, 'Choose at least one transport'),
  minFreeStorageMb: z.number().int('Free storage must be whole MB').min(0, 'Free storage cannot be negative').max(10_000_000),
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
    priority: z.number().int('Priority must be a whole number').min(0, 'Priority cannot be negative').max(1000, 'Priority is at most 1000'),
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

/** A campaign in Draft for the chosen vehicles (pasted VINs plus the filter's), with its audit row in the same transaction. */
export async function createCampaignDraft(db: Db, actor: Pick<SessionUser, 'email'>, input: CampaignDraft) {
  return db.transaction(async (tx) => {
    const vins = await resolveTargetVins(tx, input.target);
    const hmiTexts: Record<string, HmiText> = Object.fromEntries(input.hmiTexts.map((t) => [t.locale, { title: t.title, body: t.body }]));
    const campaign = await insertCampaign(tx, {
      name: input.name,
      description: input.description,
      vehiclePackageId: input.vehiclePackageId,
      priority: input.priority,
      reproPolicy: input.reproPolicy,
      requiresConsent: input.requiresConsent,
      hmiTexts,
      defaultLocale: input.defaultLocale,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      vins,
    });
    await recordAudit(tx, actor, 'campaign.create', { type: 'campaign', id: campaign.id }, {
      name: campaign.name,
      vehiclePackageId: campaign.vehiclePackageId,
      vehicles: vins.length,
      pastedVins: input.target.vins.length,
      filter: input.target.filter,
    });
    return { ...campaign, vehicleCount: vins.length };
  });
}
