import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns';
import { vehicles } from './vehicles';

export const actionIds = ['GetActionCycle', 'CarConfigInfoUploadNecessity', 'DispConsentInCarHMI'] as const;
export type ActionId = (typeof actionIds)[number];

/** Fleet-wide values answered by C_03. */
export const actionDefaults = pgTable('action_defaults', {
  actionId: text('action_id').$type<ActionId>().primaryKey(),
  value: integer('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** A value for one vehicle that wins over the fleet default. */
export const vehicleActionOverrides = pgTable(
  'vehicle_action_overrides',
  {
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    actionId: text('action_id').$type<ActionId>().notNull(),
    value: integer('value').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'vehicle_action_overrides_pk', columns: [t.vin, t.actionId] })],
);
