import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt } from './columns';
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
    phase: text('phase').notNull().default('queued'),
    /** Download progress in percent, never moving backwards. */
    progress: integer('progress').notNull().default(0),
    lastErrorCode: text('last_error_code'),
    lastEventAt: tstz('last_event_at'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ name: 'campaign_vehicles_pk', columns: [t.campaignId, t.vin] }), index('campaign_vehicles_vin_idx').on(t.vin)],
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
  },
  (t) => [uniqueIndex('attempts_vin_attempt_uq').on(t.vin, t.attemptId), index('attempts_campaign_idx').on(t.campaignId)],
);
