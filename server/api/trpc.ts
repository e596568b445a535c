import 'server-only';
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import superjson from 'superjson';
import type { Db } from '@/db/client';
import type { Role } from '@/db/schema';
import { userActor } from '../auth/actor';
import { hasRole } from '../auth/session';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db';
import { DomainError, isDatabaseUnavailable, requestFaultOf, type ErrorCode } from '../errors';
import { logger } from '../logging/logger';

export type Context = { db: Db; user: SessionUser | null };
/** The least role a procedure needs (null: none); read by the role tests of every procedure. */
export type Meta = { role: Role | null };

/** The context of one dashboard request: the database and who is signed in. */
export async function createContext(user: SessionUser | null): Promise<Context> {
  return { db: await getDb(), user };
}

const t = initTRPC.context<Context>().meta<Meta>().create({
  defaultMeta: { role: null },
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // The message is for the operator; stacks and causes stay in the server log.
    return { ...shape, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, details: error.cause instanceof DomainError ? error.cause.details : undefined } };
  },
});

const trpcCode: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_JSON: 'BAD_REQUEST',
  INVALID_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  SIGNATURE_INVALID: 'UNAUTHORIZED',
  SIGNATURE_REQUIRED: 'UNAUTHORIZED',
  VEHICLE_KEY_MISSING: 'UNAUTHORIZED',
  CLIENT_CERTIFICATE_REQUIRED: 'UNAUTHORIZED',
  CLIENT_CERTIFICATE_MISMATCH: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  URL_SIGNATURE_INVALID: 'FORBIDDEN',
  UNKNOWN_VEHICLE: 'NOT_FOUND',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  URI_TOO_LONG: 'BAD_REQUEST',
  RANGE_NOT_SATISFIABLE: 'BAD_REQUEST',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

/** The dashboard's one error translator: domain errors keep their message, anything else is a generic 500. */
const translateErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause instanceof DomainError ? result.error.cause : (requestFaultOf(result.error.cause) ?? result.error.cause);
  if (cause instanceof DomainError) throw new TRPCError({ code: trpcCode[cause.code], message: cause.message, cause });
  if (result.error.code === 'BAD_REQUEST' && cause && Array.isArray((cause as { issues?: unknown }).issues)) {
    // A zod input check: say what to fix in words, not as a JSON list.
    const issues = (cause as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    const details = issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const message = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    throw new TRPCError({ code: 'BAD_REQUEST', message, cause: new DomainError('INVALID_REQUEST', message, details) });
  }
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    if (isDatabaseUnavailable(cause)) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unreachable. Try again in a moment.' });
    logger.error({ err: cause ?? result.error, path }, 'tRPC procedure failed');
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on the server. Try again; if it persists, check the server log.' });
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(translateErrors);

/**
 * Signed in, any role (support reads). `ctx.user` is non-null from here on, and `ctx.actor` is
 * who the services record as making a change.
 */
export const protectedProcedure = publicProcedure.meta({ role: 'support' }).use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { ...ctx, user: ctx.user, actor: userActor(ctx.user) } });
});

const requireRole = (role: Role) =>
  protectedProcedure.meta({ role }).use(({ ctx, next }) => {
    if (!hasRole(ctx.user.role, role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${role} role; you are signed in as ${ctx.user.role}.` });
    }
    return next();
  });

/** Packages, campaigns and commands. */
export const operatorProcedure = requireRole('operator');
/** Users and settings. */
export const adminProcedure = requireRole('admin');
