import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '@/db/client';
import { apiTokens, roles, type Role } from '@/db/schema';
import { recordAudit } from '../audit/record-audit';
import { DomainError, isUniqueViolation, notFound } from '../errors';
import { actorName, type Actor } from './actor';

/** Every token starts so (a secret scanner can find leaked ones); the rest is 32 random bytes. */
export const API_TOKEN_PREFIX = 'ota_';
/** How many leading characters of a token are kept to tell tokens apart ("ota_" and 8 more). */
const SHOWN_CHARACTERS = 12;

/** A token as the Admin page lists it: never the token or its hash. */
export const apiTokenSchema = z.object({
  id: z.number(),
  name: z.string(),
  role: z.enum(roles),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const newApiTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the token a name (what uses it, e.g. "release pipeline")')
    .max(100, 'The name can have at most 100 characters'),
  role: z.enum(roles),
  /** Days until it stops working; none: until revoked. */
  expiresInDays: z.number().int().min(1, 'Expiry is at least 1 day').max(3650, 'Expiry is at most 3650 days').optional(),
});
export type NewApiToken = z.input<typeof newApiTokenSchema>;

export const revokeApiTokenSchema = z.object({ id: z.number().int() });
export type RevokeApiToken = z.infer<typeof revokeApiTokenSchema>;

const columns = {
  id: apiTokens.id,
  name: apiTokens.name,
  role: apiTokens.role,
  prefix: apiTokens.prefix,
  createdBy: apiTokens.createdBy,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Every token, newest first (revoked and expired ones too, so an admin sees what existed). */
export function listApiTokens(db: Queryable): Promise<ApiToken[]> {
  return db.select(columns).from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/**
 * Makes a token with a role and an optional expiry; answers the token itself, which is never
 * shown again (only its sha256 is stored). Audited as `api_token.create`.
 */
export async function createApiToken(db: Db, actor: Actor, input: NewApiToken): Promise<{ token: string; apiToken: ApiToken }> {
  const { name, role, expiresInDays } = newApiTokenSchema.parse(input);
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  try {
    return await db.transaction(async (tx) => {
      const [apiToken] = await tx
        .insert(apiTokens)
        .values({
          name,
          role,
          tokenHash: hashOf(token),
          prefix: token.slice(0, SHOWN_CHARACTERS),
          createdBy: actorName(actor),
          expiresAt: expiresInDays === undefined ? null : sql`now() + make_interval(days => ${expiresInDays})`,
        })
        .returning(columns);
      await recordAudit(tx, actor, 'api_token.create', { type: 'api_token', id: apiToken!.id }, { name, role, prefix: apiToken!.prefix, expiresAt: apiToken!.expiresAt });
      return { token, apiToken: apiToken! };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'api_tokens_live_name_uq')) throw new DomainError('CONFLICT', `A token named "${name}" exists already; revoke it first or choose another name.`);
    throw error;
  }
}

/** Revokes a token at once (its next request gets 401). Audited as `api_token.revoke`; revoking a revoked token changes nothing. */
export async function revokeApiToken(db: Db, actor: Actor, input: RevokeApiToken): Promise<ApiToken> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, input.id), isNull(apiTokens.revokedAt)))
      .returning(columns);
    if (!revoked) {
      const [existing] = await tx.select(columns).from(apiTokens).where(eq(apiTokens.id, input.id));
      if (!existing) throw notFound(`API token ${input.id}`);
      return existing;
    }
    await recordAudit(tx, actor, 'api_token.revoke', { type: 'api_token', id: revoked.id }, { name: revoked.name, role: revoked.role, prefix: revoked.prefix });
    return revoked;
  });
}

export type TokenIdentity = { id: number; name: string; role: Role };

/**
 * The token's identity, or why it is refused (unknown, revoked, expired). One indexed read by
 * hash; `last_used_at` is written at most once a minute per token, and the condition in SQL
 * keeps concurrent requests from writing it twice.
 */
export async function authenticateApiToken(db: Queryable, token: string): Promise<TokenIdentity | { refused: string }> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return { refused: 'The bearer token is not an API token of this server.' };
  const [row] = await db
    .select({ ...columns, expired: sql<boolean>`${apiTokens.expiresAt} is not null and ${apiTokens.expiresAt} <= now()`, stale: sql<boolean>`${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute'` })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashOf(token)));
  if (!row) return { refused: 'The API token is not known: check it, or create one on the Admin page.' };
  if (row.revokedAt) return { refused: `The API token "${row.name}" was revoked.` };
  if (row.expired) return { refused: `The API token "${row.name}" expired at ${row.expiresAt!.toISOString()}.` };
  if (row.stale) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))));
  }
  return { id: row.id, name: row.name, role: row.role };
}
