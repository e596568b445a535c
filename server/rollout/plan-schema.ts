// Zod only: the campaign builder checks its rollout, compatibility and timeout fields with these
// in the browser, the router on the server.
import { z } from 'zod';

/** A whole number between min and max, `unit` formatting the bounds in the message ("1%", "60 minutes"). */
const whole = (what: string, min: number, max: number, unit: (n: number) => string = String) => {
  const range = `The ${what} must be between ${unit(min)} and ${unit(max)}`;
  return z.number({ error: `Enter the ${what}` }).int(`The ${what} must be a whole number`).min(min, range).max(max, range);
};
const percent = (n: number) => `${n}%`;
const minutes = (n: number) => `${n.toLocaleString('en')} minute${n === 1 ? '' : 's'}`;

export const rolloutWaveSchema = z
  .object({
    size: z.number({ error: 'Enter the wave size' }).int('A wave size is a whole number').positive('A wave size must be more than 0'),
    unit: z.enum(['count', 'percent']),
  })
  .refine((w) => w.unit !== 'percent' || w.size <= 100, { message: 'A wave is at most 100% of the vehicles', path: ['size'] });

/** Waves in order, the thresholds that gate them, and whether the next wave starts on its own. */
export const rolloutPlanSchema = z
  .object({
    waves: z.array(rolloutWaveSchema).min(1, 'Add at least one wave').max(20, 'At most 20 waves'),
    successThreshold: whole('success threshold', 1, 100, percent),
    errorThreshold: whole('error threshold', 1, 100, percent),
    autoAdvance: z.boolean(),
  })
  .superRefine((plan, ctx) => {
    const percent = plan.waves.filter((w) => w.unit === 'percent').reduce((sum, w) => sum + w.size, 0);
    if (percent > 100) {
      ctx.addIssue({ code: 'custom', path: ['waves'], message: `The percentage waves add up to ${percent}%; at most 100%, or the later waves stay empty` });
    }
  });
export type RolloutPlanInput = z.infer<typeof rolloutPlanSchema>;

/** What a vehicle's last known configuration must meet (UN R156): ECUs at accepted versions and free storage. */
export const preconditionsSchema = z
  .object({
    ecus: z
      .array(
        z.object({
          ecuId: z.string().trim().min(1, 'Enter the ECU id').max(64, 'An ECU id is at most 64 characters'),
          versions: z.array(z.string().trim().min(1).max(64, 'A version is at most 64 characters')).max(50, 'At most 50 accepted versions per ECU'),
        }),
      )
      .max(50, 'At most 50 required ECUs'),
    minFreeStorageMb: whole('extra free storage', 0, 10_000_000, (n) => `${n.toLocaleString('en')} MB`),
  })
  .superRefine((p, ctx) => {
    const ids = p.ecus.map((e) => e.ecuId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) ctx.addIssue({ code: 'custom', path: ['ecus'], message: `ECU ${twice} is listed twice; put all its accepted versions in one row` });
  });
export type PreconditionsInput = z.infer<typeof preconditionsSchema>;

/** How long a StartCampaign may wait for its acknowledgement, how often it is redelivered, when a silent vehicle counts as stalled. */
export const timeoutsSchema = z.object({
  ackTimeoutMinutes: whole('acknowledgement timeout', 1, 10_080, minutes),
  maxRedeliveries: whole('number of redeliveries', 0, 100),
  stallAfterMinutes: whole('stall time', 1, 10_080, minutes),
});
export type TimeoutsInput = z.infer<typeof timeoutsSchema>;

/** Hours after which a driver who declined is asked again; null: never. */
export const reofferDeclinedAfterHoursSchema = whole('re-offer delay', 1, 8_760, (n) => `${n.toLocaleString('en')} hour${n === 1 ? '' : 's'}`).nullable();

export const defaultDraftRollout: RolloutPlanInput = { waves: [{ size: 100, unit: 'percent' }], successThreshold: 100, errorThreshold: 100, autoAdvance: true };
export const defaultDraftPreconditions: PreconditionsInput = { ecus: [], minFreeStorageMb: 0 };
export const defaultDraftTimeouts: TimeoutsInput = { ackTimeoutMinutes: 60, maxRedeliveries: 2, stallAfterMinutes: 120 };
