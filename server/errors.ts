import type { z } from 'zod';

/** The closed set of failures the domain reports; each maps to one HTTP status. */
export const errorStatus = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  SIGNATURE_INVALID: 401,
  SIGNATURE_REQUIRED: 401,
  VEHICLE_KEY_MISSING: 401,
  CLIENT_CERTIFICATE_REQUIRED: 401,
  CLIENT_CERTIFICATE_MISMATCH: 401,
  FORBIDDEN: 403,
  URL_SIGNATURE_INVALID: 403,
  UNKNOWN_VEHICLE: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorDetail = { path: string; message: string };

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  /** For RATE_LIMITED and UNAVAILABLE: the seconds a client should wait (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], retryAfterSeconds?: number) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} does not exist`);
export const invalid = (message: string, details: ErrorDetail[] = []) => new DomainError('INVALID_REQUEST', message, details);

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P02', '57P03', '53300']);

/** The fields of a driver's error that say what went wrong (PostgreSQL SQLSTATE, the constraint, a socket code). */
type ErrorFields = { code?: unknown; constraint?: unknown; constraint_name?: unknown };

/**
 * The error itself or the first of its causes that `test` accepts, looking five levels down
 * (postgres.js, PGlite and drizzle wrap the database's error); undefined when none does.
 */
export function findCause(error: unknown, test: (e: ErrorFields) => boolean): ErrorFields | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (test(e as ErrorFields)) return e as ErrorFields;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the error says the database cannot be reached (not that a query was wrong). */
export const isDatabaseUnavailable = (error: unknown): boolean => !!findCause(error, (e) => typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code));

/** True when the error is PostgreSQL refusing a second row for the unique constraint (or index) `constraint`. */
export const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  !!findCause(error, (e) => e.code === '23505' && (e.constraint === constraint || e.constraint_name === constraint));

/** Each zod issue as a `{path, message}` detail, its path prefixed (e.g. with `signed.events.3`). */
export function issuesToDetails(error: z.ZodError, prefix: (string | number)[] = []): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/**
 * A database refusal that is the request's fault, as the domain error to answer with: text
 * PostgreSQL cannot store (U+0000, bad encoding) or a uniqueness a concurrent request won.
 * Anything else is null (a real failure, answered as INTERNAL or UNAVAILABLE).
 */
export function requestFaultOf(error: unknown): DomainError | null {
  const code = findCause(error, (e) => e.code === '22021' || e.code === '22P05' || e.code === '23505')?.code;
  if (code === '22021' || code === '22P05') return new DomainError('INVALID_REQUEST', 'text must not contain the character U+0000 or invalid UTF-8; remove it and try again');
  if (code === '23505') return new DomainError('CONFLICT', 'that exists already (another request made it at the same moment); look again and retry if needed');
  return null;
}
