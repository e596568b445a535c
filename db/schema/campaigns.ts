import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt } from './columns';
import { activePhases, type Phase } from './phases';
import { vehiclePackages } from './packages';
import { vehicles } from './vehicles';

export const campaignStatuses = ['Draft', 'Deployed', 'Suspended', 'Cancelled', 'Completed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export type ReproPolicy = {
  /** Who must agree before download and install. */
  consent: 'none' | 'download' | 'install' | 'both';
  /** How often the vehicle may retry a failed step before it reports failure. */
  maxRetries: number;
  /** Only download over these transports. */
  transports: ('wifi' | 'cellular' | 'any')[];
  /** Free storage needed on the vehicle, in MB. */
  minFreeStorageMb: number;
};

export type HmiText = { title: string; body: string };

/** How a campaign is released: in waves, each gated by the one before. */
export type RolloutPlan = {
  /** Wave sizes in order: a number of vehicles, or a percentage of the campaign's vehicles. */
  waves: { size: number; unit: 'count' | 'percent' }[];
  /** Share (percent) of a wave's vehicles that must complete before the next wave starts. */
  successThreshold: number;
  /** Share (percent) of a wave's vehicles whose failure suspends the campaign. */
  errorThreshold: number;
  /** Start the next wave on its own once the success threshold is met (else: on an operator's click). */
  autoAdvance: boolean;
};

/** What a vehicle's last known configuration must meet before the campaign is offered to it. */
export type Preconditions = {
  /** ECUs the vehicle must have, each with the installed versions accepted (empty: any version). */
  ecus: { ecuId: string; versions: string[] }[];
  /** Free package storage needed, in MB, beyond the package's own size. */
  minFreeStorageMb: number;
};

export const defaultRolloutPlan: RolloutPlan = { waves: [{ size: 100, unit: 'percent' }], successThreshold: 100, errorThreshold: 100, autoAdvance: true };
export const defaultPreconditions: Preconditions = { ecus: [], minFreeStorageMb: 0 };

export const campaigns = pgTable(
  'campaigns',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').$type<CampaignStatus>().notNull().default('Draft'),
    /** Higher goes first when several campaigns apply to a vehicle. */
    priority: integer('priority').notNull().default(0),
    vehiclePackageId: integer('vehicle_package_id')
      .notNull()
      .references(() => vehiclePackages.id),
    reproPolicy: jsonb('repro_policy').$type<ReproPolicy>().notNull(),
    requiresConsent: boolean('requires_consent').notNull().default(false),
    /** HMI texts by locale ("ja-JP", "ja", "en"). */
    hmiTexts: jsonb('hmi_texts').$type<Record<string, HmiText>>().notNull().default({}),
    defaultLocale: text('default_locale').notNull().default('en'),
    startsAt: tstz('starts_at'),
    endsAt: tstz('ends_at'),
    rollout: jsonb('rollout').$type<RolloutPlan>().notNull().default(defaultRolloutPlan),
    /** Waves released so far: 0 … currentWave. */
    currentWave: integer('current_wave').notNull().default(0),
    /** Why the campaign suspended itself (or was suspended), in words. */
    suspendReason: text('suspend_reason'),
    /** Failures of the current wave an operator saw when resuming: the error threshold counts only newer ones. */
    acknowledgedFailures: integer('acknowledged_failures').notNull().default(0),
    preconditions: jsonb('preconditions').$type<Preconditions>().notNull().default(defaultPreconditions),
    /** Hours after which a vehicle that declined (C_10 rejected) is offered the campaign again; null: never. */
    reofferDeclinedAfterHours: integer('reoffer_declined_after_hours'),
    /** A StartCampaign not acknowledged within this many seconds is redelivered … */
    commandAckTimeoutSeconds: integer('command_ack_timeout_seconds').notNull().default(3600),
    /** … at most this many times, then it (and the vehicle in this campaign) failed. */
    commandMaxRedeliveries: integer('command_max_redeliveries').notNull().default(2),
    /** A vehicle silent this long in an active phase is shown as stalled. */
    stallAfterMinutes: integer('stall_after_minutes').notNull().default(120),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('campaigns_status_idx').on(t.status)],
);

/** A vehicle's membership in a campaign and its phase there. */
export const campaignVehicles = pgTable(
  'campaign_vehicles',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    phase: text('phase').$type<Phase>().notNull().default('queued'),
    /** Download progress in percent, never moving backwards. */
    progress: integer('progress').notNull().default(0),
    lastErrorCode: text('last_error_code'),
    lastEventAt: tstz('last_event_at'),
    /** The wave this vehicle belongs to (0-based). */
    wave: integer('wave').notNull().default(0),
    /** Why the campaign is not offered to this vehicle (its configuration does not meet the preconditions), or null. */
    blockedReason: text('blocked_reason'),
    /** When the vehicle declined (C_10 rejected), for the campaign's re-offer policy. */
    declinedAt: tstz('declined_at'),
    /** Install progress in percent (C_20), never moving backwards. */
    installProgress: integer('install_progress').notNull().default(0),
    /** Activation progress in percent (C_23), never moving backwards. */
    activationProgress: integer('activation_progress').notNull().default(0),
    /** How often an operator retried this vehicle. */
    retries: integer('retries').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'campaign_vehicles_pk', columns: [t.campaignId, t.vin] }),
    // A vehicle's campaigns; also read whole, in VIN order and without the table, by the overview's
    // count of vehicles in deployed campaigns (each vehicle once, however many campaigns it is in).
    index('campaign_vehicles_vin_idx').on(t.vin, t.campaignId, t.phase),
    index('campaign_vehicles_wave_idx').on(t.campaignId, t.wave, t.phase),
    // The stalled count (time-dependent, so a query, not a counter) reads only vehicles on their way.
    index('campaign_vehicles_active_idx')
      .on(t.campaignId, sql`coalesce(${t.lastEventAt}, ${t.updatedAt})`)
      .where(sql.raw(`phase in (${activePhases.map((p) => `'${p}'`).join(', ')})`)),
    // The overview's latest failures: failed and declined vehicles, newest first.
    index('campaign_vehicles_trouble_idx')
      .on(t.lastEventAt.desc().nullsLast(), t.vin)
      .where(sql`phase in ('failed', 'declined')`),
  ],
);

/**
 * How many of a campaign's vehicles are in each wave, phase and blocked state (blocked: a
 * blocked reason is recorded), folded: together with the changes below, the counts the
 * thresholds, the wave view and the funnel read (server/rollout/wave-counts.ts).
 */
export const campaignWaveCounts = pgTable(
  'campaign_wave_counts',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    wave: integer('wave').notNull(),
    phase: text('phase').$type<Phase>().notNull(),
    blocked: boolean('blocked').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'campaign_wave_counts_pk', columns: [t.campaignId, t.wave, t.phase, t.blocked] })],
);

/**
 * Changes to campaign_wave_counts not folded in yet: a trigger on campaign_vehicles appends
 * one row per changed count (-1 for the old key, +1 for the new), in the transaction of the
 * change. Appending locks nothing another writer holds; the rollout engine folds them in under
 * the campaign's row lock. No foreign key, so that appending takes no lock on the campaign row.
 */
export const campaignWaveCountChanges = pgTable(
  'campaign_wave_count_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: integer('campaign_id').notNull(),
    wave: integer('wave').notNull(),
    phase: text('phase').$type<Phase>().notNull(),
    blocked: boolean('blocked').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [index('campaign_wave_count_changes_campaign_idx').on(t.campaignId)],
);

/** One try of a vehicle at a campaign, named by the vehicle's attemptId. */
export const attempts = pgTable(
  'attempts',
  {
    id: serial('id').primaryKey(),
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    attemptId: text('attempt_id').notNull(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    openedAt: tstz('opened_at').notNull().defaultNow(),
    resumedAt: tstz('resumed_at'),
    /** The configuration upload (C_05) whose check let the campaign be issued for this attempt. */
    configSnapshotId: bigint('config_snapshot_id', { mode: 'number' }),
    /** The compatibility check's verdict on that configuration, as it was when the campaign was issued. */
    compatibility: jsonb('compatibility').$type<{ status: string; reason: string | null; checkedAt: string }>(),
  },
  (t) => [uniqueIndex('attempts_vin_attempt_uq').on(t.vin, t.attemptId), index('attempts_campaign_idx').on(t.campaignId)],
);
