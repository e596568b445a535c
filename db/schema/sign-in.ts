import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns';

/**
 * Failed dashboard sign-ins, counted per account (`account:<e-mail>`) and per client address
 * (`ip:<address>`) in a window, in the database so that every instance sees the same counts.
 * A key whose failures reach the limit is locked until `locked_until` (server/auth/sign-in-throttle.ts).
 */
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: tstz('window_started_at').notNull().defaultNow(),
  lockedUntil: tstz('locked_until'),
});
