// The vocabulary of a vehicle's phase in a campaign, without any Drizzle import: the schema
// types the column with it, and the browser reads the same lists (through
// server/campaigns/vehicle-phase.ts, which holds the rules that move between them).

/**
 * A vehicle's phase in one campaign, in the order an update moves through them.
 * `failed`, `declined` and `cancelled` end the way; `completed` ends it well.
 */
export const phases = [
  'queued',
  'command_delivered',
  'config_uploaded',
  'consented',
  'downloading',
  'downloaded',
  'installing',
  'activating',
  'completed',
  'failed',
  'declined',
  'cancelled',
] as const;
export type Phase = (typeof phases)[number];

/** Phases that end a vehicle's way through a campaign (an operator's retry, or for `declined` the re-offer delay, reopens it). */
export const finalPhases = ['completed', 'failed', 'declined', 'cancelled'] as const satisfies readonly Phase[];
export type FinalPhase = (typeof finalPhases)[number];

/** Phases in which the vehicle is on its way (it picked up its StartCampaign) and should keep reporting. */
export const activePhases = ['command_delivered', 'config_uploaded', 'consented', 'downloading', 'downloaded', 'installing', 'activating'] as const satisfies readonly Phase[];
