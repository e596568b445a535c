import { timestamp } from 'drizzle-orm/pg-core';

/** `timestamp with time zone`, as Date in TypeScript. */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => tstz('created_at').notNull().defaultNow();
export const updatedAt = () => tstz('updated_at').notNull().defaultNow();
