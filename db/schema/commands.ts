import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from './columns';
import { campaigns } from './campaigns';
import { vehicles } from './vehicles';

export const commandStatuses = ['pending', 'delivered', 'acknowledged', 'cancelled', 'expired', 'failed'] as const;
export type CommandStatus = (typeof commandStatuses)[number];

/** Commands queued for a vehicle and answered by C_36, oldest first. */
export const commands = pgTable(
  'commands',
  {
    id: serial('id').primaryKey(),
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    /** The protocol's commandId: 4 is StartCampaign. */
    commandId: integer('command_id').notNull(),
    command: text('command').notNull(),
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'cascade' }),
    status: text('status').$type<CommandStatus>().notNull().default('pending'),
    deliveryCount: integer('delivery_count').notNull().default(0),
    lastDeliveredAt: tstz('last_delivered_at'),
    acknowledgedAt: tstz('acknowledged_at'),
    expiresAt: tstz('expires_at'),
    firstDeliveredAt: tstz('first_delivered_at'),
    /**
     * Copied from the campaign when queued, so that C_36 needs no join. C_36 hands an open command
     * out on every poll (at-least-once); each `ackTimeoutSeconds` without acknowledgement counts as
     * one redelivery, and after `maxRedeliveries` of them the command has failed.
     */
    ackTimeoutSeconds: integer('ack_timeout_seconds').notNull().default(3600),
    maxRedeliveries: integer('max_redeliveries').notNull().default(2),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('commands_open_idx').on(t.vin, t.status, t.createdAt),
    index('commands_campaign_idx').on(t.campaignId),
    // The sweep looks for open commands across the fleet: only those, not the growing history.
    index('commands_open_delivery_idx').on(t.campaignId, t.firstDeliveredAt).where(sql`status in ('pending', 'delivered')`),
    // At most one open StartCampaign per vehicle and campaign, whoever queues it at the same moment.
    uniqueIndex('commands_open_start_uq').on(t.vin, t.campaignId).where(sql`command = 'StartCampaign' and status in ('pending', 'delivered')`),
  ],
);

/** Each time C_36 handed a command to its vehicle. */
export const commandDeliveries = pgTable(
  'command_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    commandRowId: integer('command_row_id')
      .notNull()
      .references(() => commands.id, { onDelete: 'cascade' }),
    deliveredAt: tstz('delivered_at').notNull().defaultNow(),
  },
  (t) => [index('command_deliveries_command_idx').on(t.commandRowId)],
);
