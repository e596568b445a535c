import { bigint, bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns';

export type RegisterPackage = { id: number; name: string; version: string; sha256: string; rxswin?: string | null };
export type RegisterSoftwarePackage = { id: number; name: string; version: string; targetEcu: string; fileName: string; sha256: string; length: number };
/** One ECU of an update: what it ran before, what it runs after, and what the vehicle said about it. */
export type RegisterEcu = {
  ecuId: string;
  before: string | null;
  after: string | null;
  /** updateStatus of the ECU in C_24 activationExtras.ecuInfo[], or null when the vehicle did not report it. */
  updateStatus: string | null;
  errorCodes: string[];
};
export type RegisterCompatibility = {
  status: string;
  reason: string | null;
  checkedAt: string | null;
  /** The configuration upload the check read, copied as it was. */
  snapshot: { id: number; receivedAt: string; ecus: { ecuId: string; version: string | null }[]; rxswin: unknown[] | null; availableMb: number | null; locale: string | null } | null;
};
export type RegisterConsent = {
  required: boolean;
  /** When the vehicle was given the campaign to show (the C_05 answer that opened the attempt). */
  askedAt: string | null;
  answeredAt: string | null;
  answer: 'accepted' | 'rejected' | null;
  locale: string | null;
  /** sha256 (first 16 hex digits) of the HMI text shown, title and body: changes whenever the text does. */
  hmiTextVersion: string | null;
  hmiTitle: string | null;
};

/**
 * The UN R156 software register: one row per vehicle and update attempt that reached a final
 * state, written in the transaction of the event that ended it and never changed afterwards
 * (a trigger refuses UPDATE and DELETE). No foreign keys: the record outlives what it names.
 */
export const softwareRegister = pgTable(
  'software_register',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vin: text('vin').notNull(),
    campaignId: integer('campaign_id').notNull(),
    campaignName: text('campaign_name').notNull(),
    attemptId: text('attempt_id'),
    vehiclePackage: jsonb('vehicle_package').$type<RegisterPackage>().notNull(),
    softwarePackages: jsonb('software_packages').$type<RegisterSoftwarePackage[]>().notNull(),
    ecus: jsonb('ecus').$type<RegisterEcu[]>().notNull(),
    rxswinBefore: jsonb('rxswin_before').$type<string[]>().notNull(),
    rxswinAfter: jsonb('rxswin_after').$type<string[]>().notNull(),
    compatibility: jsonb('compatibility').$type<RegisterCompatibility>().notNull(),
    consent: jsonb('consent').$type<RegisterConsent>().notNull(),
    startedAt: tstz('started_at'),
    endedAt: tstz('ended_at').notNull(),
    /** completed, failed, declined or cancelled. */
    outcome: text('outcome').notNull(),
    errorCodes: jsonb('error_codes').$type<string[]>().notNull(),
    /** The stored event that ended the attempt. */
    finalEventId: bigint('final_event_id', { mode: 'number' }),
    recordedAt: tstz('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    index('software_register_vin_idx').on(t.vin, t.endedAt),
    index('software_register_campaign_idx').on(t.campaignId, t.endedAt),
    index('software_register_ended_idx').on(t.endedAt),
  ],
);
