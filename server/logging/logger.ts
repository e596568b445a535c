import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** What every log line of one request carries: its id, and for vehicle requests the VIN and endpoint. */
export type RequestContext = { requestId: string; vin?: string; endpoint?: string };

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// One store and one logger per process, however many copies of this module Next's bundles load.
const STATE = Symbol.for('ota.logging');
type LoggingGlobal = typeof globalThis & { [STATE]?: { storage: AsyncLocalStorage<RequestContext>; logger: Logger } };

/**
 * Paths never written: credentials, secrets, tokens and the bodies vehicles send (the events
 * are stored whole in the database; the log names them, it does not copy them).
 */
export const redactPaths = [
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
  'body',
  'raw',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.cookie',
  '*.body',
  '*.raw',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

const firstLine = (text: string) => text.split('\n', 1)[0]!.slice(0, 300);

/**
 * What a log line says of an error (pino's `err`): its type, code, the first line of its message,
 * its stack frames and its cause, likewise. Never the rest of the message: drizzle's "Failed
 * query: …" puts the query's parameters (the raw event, URLs, tokens a vehicle sent) on the
 * lines after the first.
 */
export function errorForLog(error: unknown, depth = 0): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { message: firstLine(String(error)) };
  const e = error as { name?: string; code?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
  const stack = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12).join('\n') : undefined;
  return {
    type: e.name ?? 'Error',
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    message: firstLine(typeof e.message === 'string' ? e.message : String(error)),
    ...(stack ? { stack } : {}),
    ...(e.cause !== undefined && depth < 3 ? { cause: errorForLog(e.cause, depth + 1) } : {}),
  };
}

function createLogger(storage: AsyncLocalStorage<RequestContext>): Logger {
  const wanted = process.env.LOG_LEVEL as (typeof levels)[number] | undefined;
  const level = wanted && levels.includes(wanted) ? wanted : 'info';
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: (error: unknown) => errorForLog(error) },
    // The request's id (and VIN, endpoint) on every line written while serving it.
    mixin: () => ({ ...storage.getStore() }),
  };
  // A person at a terminal reads lines; anything else (a log collector) gets JSON lines.
  if (process.stdout.isTTY) return pino(options, pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid' }));
  // "level":"info" rather than pino's number, for collectors and people grepping.
  return pino({ ...options, formatters: { level: (label) => ({ level: label }) } });
}

function state() {
  const g = globalThis as LoggingGlobal;
  if (!g[STATE]) {
    const storage = new AsyncLocalStorage<RequestContext>();
    g[STATE] = { storage, logger: createLogger(storage) };
  }
  return g[STATE];
}

/** The process's logger (pino): `logger.info({ campaignId }, 'message')`, `logger.error({ err }, 'what failed')`. */
export const logger: Logger = new Proxy({} as Logger, {
  get: (_, key) => {
    const target = state().logger;
    const value = Reflect.get(target, key, target) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  },
});

/** Runs `fn` with `context` on every log line it writes. */
export function withRequestContext<T>(context: RequestContext, fn: () => T): T {
  return state().storage.run(context, fn);
}

/** Adds to the current request's context (the VIN, once the message is read); nothing outside a request. */
export function addToRequestContext(fields: Partial<Omit<RequestContext, 'requestId'>>): void {
  const store = state().storage.getStore();
  if (store) Object.assign(store, fields);
}

/** The current request's id, if any. */
export const currentRequestId = (): string | undefined => state().storage.getStore()?.requestId;
