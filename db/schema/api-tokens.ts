import { sql } from 'drizzle-orm';
import { index, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from './columns';
import type { Role } from './users';

/**
 * Bearer tokens of the REST management API (`/api/v1/`), each with a role as a dashboard user
 * has one. Only the sha256 of a token is kept; `prefix` (its first characters) lets an admin
 * tell tokens apart. A name is unique among the tokens not revoked (the audit log names a token by it).
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    /** Hex sha256 of the whole token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    /** Who created it, as the audit log names them (a user's e-mail, or `cli:…` for `npm run token`). */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: tstz('expires_at'),
    /** Updated at most once a minute per token. */
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), uniqueIndex('api_tokens_live_name_uq').on(t.name).where(sql`revoked_at is null`), index('api_tokens_created_idx').on(t.createdAt)],
);
