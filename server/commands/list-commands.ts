import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { campaigns, commandDeliveries, commands, commandStatuses, type CommandStatus } from '@/db/schema';

/** pending and delivered commands may still reach their vehicle: they are the ones an operator can cancel. */
export const openCommandStatuses = ['pending', 'delivered'] as const satisfies CommandStatus[];

export const commandRowSchema = z.object({
  id: z.number(),
  vin: z.string(),
  commandId: z.number(),
  command: z.string(),
  campaignId: z.number().nullable(),
  campaignName: z.string().nullable(),
  status: z.enum(commandStatuses),
  deliveryCount: z.number(),
  lastDeliveredAt: z.date().nullable(),
  acknowledgedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});
export type CommandRow = z.infer<typeof commandRowSchema>;

const columns = {
  id: commands.id,
  vin: commands.vin,
  commandId: commands.commandId,
  command: commands.command,
  campaignId: commands.campaignId,
  campaignName: campaigns.name,
  status: commands.status,
  deliveryCount: commands.deliveryCount,
  lastDeliveredAt: commands.lastDeliveredAt,
  acknowledgedAt: commands.acknowledgedAt,
  expiresAt: commands.expiresAt,
  createdBy: commands.createdBy,
  createdAt: commands.createdAt,
};

export const listCommandsInputSchema = z.object({
  status: z.enum(commandStatuses).optional(),
  vin: z.string().max(64).optional(),
  page: z.number().int().min(0).default(0),
  pageSize: z.number().int().min(1).max(200).default(25),
});

export const commandPageSchema = z.object({
  rows: z.array(commandRowSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** Commands in each state (the whole fleet, or the VIN's), whatever the status filter. */
  counts: z.record(z.enum(commandStatuses), z.number()),
});
export type CommandPage = z.infer<typeof commandPageSchema>;

/** The fleet's command queue (or one vehicle's), newest first, one page of one state. */
export async function listCommands(db: Queryable, raw: z.input<typeof listCommandsInputSchema>): Promise<CommandPage> {
  const input = listCommandsInputSchema.parse(raw);
  const scope = input.vin ? eq(commands.vin, input.vin) : undefined;
  const filters: SQL[] = [];
  if (scope) filters.push(scope);
  if (input.status) filters.push(eq(commands.status, input.status));
  const where = filters.length ? and(...filters) : undefined;

  const grouped = await db.select({ status: commands.status, n: count() }).from(commands).where(scope).groupBy(commands.status);
  const counts = Object.fromEntries(commandStatuses.map((s) => [s, 0])) as Record<CommandStatus, number>;
  for (const g of grouped) counts[g.status] = g.n;
  const total = input.status ? counts[input.status] : Object.values(counts).reduce((a, b) => a + b, 0);

  const rows = await db
    .select(columns)
    .from(commands)
    .leftJoin(campaigns, eq(campaigns.id, commands.campaignId))
    .where(where)
    .orderBy(desc(commands.createdAt), desc(commands.id))
    .limit(input.pageSize)
    .offset(input.page * input.pageSize);
  return { rows, total, page: input.page, pageSize: input.pageSize, counts };
}

export const vehicleCommandSchema = commandRowSchema.extend({ deliveries: z.array(z.date()) });

/** Every command of one vehicle, newest first, each with the times C_36 handed it over. */
export async function listVehicleCommands(db: Queryable, input: { vin: string }): Promise<z.infer<typeof vehicleCommandSchema>[]> {
  const rows = await db
    .select(columns)
    .from(commands)
    .leftJoin(campaigns, eq(campaigns.id, commands.campaignId))
    .where(eq(commands.vin, input.vin))
    .orderBy(desc(commands.createdAt), desc(commands.id))
    .limit(200);
  const ids = rows.map((r) => r.id);
  const deliveries = ids.length
    ? await db
        .select({ commandRowId: commandDeliveries.commandRowId, deliveredAt: commandDeliveries.deliveredAt })
        .from(commandDeliveries)
        .where(inArray(commandDeliveries.commandRowId, ids))
        .orderBy(asc(commandDeliveries.deliveredAt), asc(commandDeliveries.id))
    : [];
  return rows.map((r) => ({ ...r, deliveries: deliveries.filter((d) => d.commandRowId === r.id).map((d) => d.deliveredAt) }));
}
