import { campaignDraftSchema, type CampaignDraftInput } from '@/server/campaigns/draft-schema';
import { parseVinText } from '@/server/campaigns/vin-list';

export type HmiRow = { key: number; locale: string; title: string; body: string };
export type WaveRow = { key: number; size: string; unit: 'count' | 'percent' };
export type EcuRow = { key: number; ecuId: string; versions: string };
export type FilterForm = { model: string; region: string; ecuId: string; softwareVersion: string };

/** The builder's fields as typed (text), before they become a campaign draft. */
export type BuilderForm = {
  name: string;
  description: string;
  vehiclePackageId: string;
  priority: string;
  consent: 'none' | 'download' | 'install' | 'both';
  maxRetries: string;
  transports: ('wifi' | 'cellular' | 'any')[];
  minFreeStorageMb: string;
  requiresConsent: boolean;
  hmiTexts: HmiRow[];
  defaultLocale: string;
  startsAt: string;
  endsAt: string;
  vinText: string;
  useFilter: boolean;
  filter: FilterForm;
  waves: WaveRow[];
  successThreshold: string;
  errorThreshold: string;
  autoAdvance: boolean;
  /** Required ECUs; versions comma-separated (empty: any version). */
  ecus: EcuRow[];
  extraStorageMb: string;
  /** Empty: a driver who declines is never asked again. */
  reofferHours: string;
  ackTimeoutMinutes: string;
  maxRedeliveries: string;
  stallAfterMinutes: string;
};

export const initialForm: BuilderForm = {
  name: '',
  description: '',
  vehiclePackageId: '',
  priority: '0',
  consent: 'install',
  maxRetries: '3',
  transports: ['any'],
  minFreeStorageMb: '100',
  requiresConsent: true,
  hmiTexts: [{ key: 1, locale: 'en', title: '', body: '' }],
  defaultLocale: 'en',
  startsAt: '',
  endsAt: '',
  vinText: '',
  useFilter: false,
  filter: { model: '', region: '', ecuId: '', softwareVersion: '' },
  waves: [{ key: 1, size: '100', unit: 'percent' }],
  successThreshold: '90',
  errorThreshold: '10',
  autoAdvance: true,
  ecus: [],
  extraStorageMb: '0',
  reofferHours: '',
  ackTimeoutMinutes: '60',
  maxRedeliveries: '2',
  stallAfterMinutes: '120',
};

/** Accepted versions as typed: "1.0.0, 1.0.1" (blanks and repeats dropped). */
export const parseVersions = (text: string) => [...new Set(text.split(',').map((v) => v.trim()).filter(Boolean))];

const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
/** A datetime-local value ("2026-05-01T09:30") read in the operator's own time zone. */
const localTime = (text: string) => (text ? new Date(text) : null);

export function toDraft(form: BuilderForm): CampaignDraftInput {
  return {
    name: form.name,
    description: form.description,
    vehiclePackageId: form.vehiclePackageId ? Number(form.vehiclePackageId) : Number.NaN,
    priority: num(form.priority),
    reproPolicy: { consent: form.consent, maxRetries: num(form.maxRetries), transports: form.transports, minFreeStorageMb: num(form.minFreeStorageMb) },
    requiresConsent: form.requiresConsent,
    hmiTexts: form.hmiTexts.map(({ locale, title, body }) => ({ locale, title, body })),
    defaultLocale: form.defaultLocale,
    startsAt: localTime(form.startsAt),
    endsAt: localTime(form.endsAt),
    target: { vins: parseVinText(form.vinText), filter: form.useFilter ? form.filter : null },
    rollout: {
      waves: form.waves.map((w) => ({ size: num(w.size), unit: w.unit })),
      successThreshold: num(form.successThreshold),
      errorThreshold: num(form.errorThreshold),
      autoAdvance: form.autoAdvance,
    },
    preconditions: { ecus: form.ecus.map((e) => ({ ecuId: e.ecuId, versions: parseVersions(e.versions) })), minFreeStorageMb: num(form.extraStorageMb) },
    reofferDeclinedAfterHours: form.reofferHours.trim() === '' ? null : num(form.reofferHours),
    timeouts: { ackTimeoutMinutes: num(form.ackTimeoutMinutes), maxRedeliveries: num(form.maxRedeliveries), stallAfterMinutes: num(form.stallAfterMinutes) },
  };
}

/** The draft, or the problems of each field keyed by its path ("reproPolicy.maxRetries", "hmiTexts.0.title"). */
export function validateDraft(form: BuilderForm): { draft: CampaignDraftInput; errors: Record<string, string> } {
  const draft = toDraft(form);
  const parsed = campaignDraftSchema.safeParse(draft);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.join('.')] ??= issue.message;
  if (!draft.target.vins.length && !form.useFilter) errors['target'] = 'Choose the target vehicles: paste VINs, upload a CSV or use a filter.';
  return { draft, errors };
}
