import { bigint, index, integer, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/** A file for one ECU: the unit a vehicle downloads (C_14). */
export const softwarePackages = pgTable(
  'software_packages',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    /** The ECU this file is for (matches vehicle_ecus.ecu_id). */
    targetEcu: text('target_ecu').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull().default('application/octet-stream'),
    storageKey: text('storage_key').notNull(),
    sha256: text('sha256').notNull(),
    length: bigint('length', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('software_packages_target_idx').on(t.targetEcu, t.version)],
);

/** A set of software packages shipped together; its own file is a JSON manifest of them (C_11). */
export const vehiclePackages = pgTable('vehicle_packages', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  version: text('version').notNull(),
  storageKey: text('storage_key').notNull(),
  sha256: text('sha256').notNull(),
  length: bigint('length', { mode: 'number' }).notNull(),
  /** The RXSWIN a vehicle carries for the updated ECUs once this package is in place; null: unchanged. */
  rxswin: text('rxswin'),
  createdAt: createdAt(),
});

export const vehiclePackageItems = pgTable(
  'vehicle_package_items',
  {
    vehiclePackageId: integer('vehicle_package_id')
      .notNull()
      .references(() => vehiclePackages.id, { onDelete: 'cascade' }),
    softwarePackageId: integer('software_package_id')
      .notNull()
      .references(() => softwarePackages.id),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'vehicle_package_items_pk', columns: [t.vehiclePackageId, t.softwarePackageId] })],
);
