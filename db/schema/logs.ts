import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from './columns';
import { vehicles } from './vehicles';

/** Log files vehicles upload through C_37 (URL), PUT, and C_39 (completion). */
export const logUploads = pgTable(
  'log_uploads',
  {
    uploadId: text('upload_id').primaryKey(),
    vin: text('vin')
      .notNull()
      .references(() => vehicles.vin, { onDelete: 'cascade' }),
    logType: text('log_type'),
    fileName: text('file_name').notNull(),
    declaredSize: bigint('declared_size', { mode: 'number' }),
    storageKey: text('storage_key').notNull(),
    /** requested → uploaded (the PUT arrived) → received (C_39 confirmed it). */
    status: text('status').$type<'requested' | 'uploaded' | 'received'>().notNull().default('requested'),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    expiresAt: tstz('expires_at').notNull(),
    uploadedAt: tstz('uploaded_at'),
    receivedAt: tstz('received_at'),
    createdAt: createdAt(),
  },
  (t) => [index('log_uploads_vin_idx').on(t.vin, t.createdAt)],
);
