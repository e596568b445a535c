import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { migratePglite, migratePostgres } from './migrate';

/**
 * The app's database, whichever driver is underneath (PGlite or postgres.js). Opened without
 * drizzle's relational query API (`db.query.…`, unused here): with it, drizzle builds a query
 * builder per table for every transaction it opens, which cost each vehicle notification more
 * than its own SQL did.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export type DbHandle = {
  db: Db;
  driver: 'pglite' | 'postgres';
  close: () => Promise<void>;
};

export type OpenOptions = {
  databaseUrl?: string;
  /** Folder for the embedded database; `memory://` keeps it in memory. */
  dataDir: string;
  /** postgres.js connections (DATABASE_POOL_SIZE); default 10. */
  poolSize?: number;
  /** Seconds to wait for a new PostgreSQL connection (DATABASE_CONNECT_TIMEOUT_SECONDS); default 2. */
  connectTimeoutSeconds?: number;
};

/**
 * postgres.js options for an outage: give up on a connection attempt after a few seconds
 * (the default is 30), and retry at most half a second apart (the default backoff grows to
 * 20 s, which kept the app failing for ~11 s after PostgreSQL was back). Requests do not wait
 * for this: each has its own deadline (server/http/deadline.ts).
 */
export const outageOptions = (connectTimeoutSeconds = 2) => ({
  connect_timeout: connectTimeoutSeconds,
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5) * (0.5 + Math.random() / 2),
});

/** Opens the database named by the options and applies the committed migrations. */
export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    await migratePostgres(options.databaseUrl, options.connectTimeoutSeconds);
    return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.connectTimeoutSeconds);
  }
  const handle = await openPglite(options.dataDir);
  try {
    await migratePglite(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function openPostgres(url: string, poolSize: number, connectTimeoutSeconds?: number): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // Named per process, so that /metrics can count this instance's connections in pg_stat_activity.
  const client = postgres(url, { max: poolSize, onnotice: () => {}, connection: { application_name: `ota-${process.pid}` }, ...outageOptions(connectTimeoutSeconds) });
  const db = drizzle(preparing(client)) as unknown as Db;
  return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
}

/** A statement with more bind parameters than this (a bulk insert, a long IN list) is not kept prepared. */
const MAX_PREPARED_PARAMETERS = 64;

type PostgresClient = { unsafe: (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown; begin: (...args: unknown[]) => unknown };

/**
 * The postgres.js client as drizzle should use it: each statement with parameters runs as a
 * named prepared statement, parsed and planned once per connection. Drizzle asks postgres.js for
 * unnamed statements, and postgres.js answers an unnamed statement with parameters in two round
 * trips (Parse/Describe, wait for the parameter types, then Bind/Execute) and a fresh plan each
 * time: every insert or update of a vehicle's request waited for the database twice. Statements
 * with many parameters stay unnamed, so that a bulk insert does not leave one prepared statement
 * per row count on every connection. Transactions get the same client (`begin`'s scoped `sql`,
 * a reserved connection).
 */
function preparing<C extends object>(sql: C): C {
  const client = sql as unknown as PostgresClient;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          target.unsafe(query, params, params?.length && params.length <= MAX_PREPARED_PARAMETERS ? { ...options, prepare: true } : options);
      }
      if (prop === 'reserve') return async () => preparing((await (target as unknown as { reserve: () => Promise<object> }).reserve()) as PostgresClient);
      if (prop === 'begin') {
        return (...args: unknown[]) => {
          const fn = args.pop() as (sql: PostgresClient) => unknown;
          return target.begin(...args, (scoped: PostgresClient) => fn(preparing(scoped)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  }) as unknown as C;
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let location = dataDir;
  if (dataDir !== 'memory://') {
    // PGlite does not create missing parent folders.
    location = path.resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
  }
  const client = await PGlite.create(location);
  const db = drizzle(client) as unknown as Db;
  return { db, driver: 'pglite', close: () => client.close() };
}

/** Rows of a raw `db.execute(sql)` call: postgres.js answers an array, PGlite `{ rows }`. */
export async function queryRows<T>(db: Queryable, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

type UnsafeClient = { unsafe: (query: string, params: unknown[], options: { prepare: boolean }) => Promise<unknown[]> };
type Internals = { dialect: { sqlToQuery: (query: SQL) => { sql: string; params: unknown[] } }; session: { client?: unknown } };

/**
 * Rows of a hot statement (the vehicle polls and notifications), as `queryRows` gives them.
 * On postgres.js it runs as a named prepared statement: parsed and planned once per
 * connection, then one Bind/Execute round trip per call. Drizzle's own queries are unnamed
 * (postgres.js then sends Parse/Describe, waits, and sends Bind/Execute: two round trips and
 * a fresh plan every time), which for the C_36 statement costs several times its execution.
 * Only for statements whose text does not vary with the data (a fixed set of parameters):
 * each distinct text is kept prepared on every connection. PGlite runs it as any other.
 */
export async function preparedRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const postgres = postgresClientOf(db);
  if (!postgres) return queryRows<T>(db, query);
  const { sql: text, params } = postgres.dialect.sqlToQuery(query);
  return (await postgres.client.unsafe(text, params, { prepare: true })) as T[];
}

/** The postgres.js client under `db` (a transaction's too) and drizzle's dialect; null on PGlite. */
function postgresClientOf(db: Queryable): { client: UnsafeClient; dialect: Internals['dialect'] } | null {
  const { dialect, session } = db as unknown as Internals;
  const client = session.client as Partial<UnsafeClient> | undefined;
  return typeof client?.unsafe === 'function' ? { client: client as UnsafeClient, dialect } : null;
}

/**
 * A hot statement (the vehicle polls and notifications) whose text never varies with the data:
 * `build` gets its parameters by name. On postgres.js the text is built once per variant, with
 * drizzle placeholders, and each call runs it as a named prepared statement with the values
 * filled in: no SQL is rebuilt per request (drizzle walks the whole statement tree for that,
 * which cost as much as the rest of a poll's own work). On PGlite `build` gets the values
 * themselves and the statement runs as any other. `variant` names what else the text depends
 * on (a setting), so that each variant is built once.
 */
export class FixedStatement<K extends string> {
  private readonly compiled = new Map<string, { sql: string; params: unknown[] }>();

  constructor(
    private readonly names: readonly K[],
    private readonly build: (p: Record<K, unknown>) => SQL,
  ) {}

  async rows<T>(db: Queryable, values: Record<K, unknown>, variant = ''): Promise<T[]> {
    const postgres = postgresClientOf(db);
    if (!postgres) return queryRows<T>(db, this.build(values));
    return (await this.query(postgres, values, variant)) as T[];
  }

  /**
   * Sends the statement now and does not wait: postgres.js puts it on the connection's queue
   * at once, so what is sent after it (hotTransaction's COMMIT) goes out after it, in the same
   * write. The answer comes with the promise. On PGlite it is `rows`.
   */
  send(db: Queryable, values: Record<K, unknown>): Promise<unknown> {
    const postgres = postgresClientOf(db);
    if (!postgres) return this.rows(db, values);
    return (this.query(postgres, values, '') as unknown as { execute(): Promise<unknown> }).execute();
  }

  /** The postgres.js query (lazy until awaited or executed), its text built once per variant. */
  private query(postgres: NonNullable<ReturnType<typeof postgresClientOf>>, values: Record<K, unknown>, variant: string): Promise<unknown[]> {
    let compiled = this.compiled.get(variant);
    if (!compiled) {
      compiled = postgres.dialect.sqlToQuery(this.build(Object.fromEntries(this.names.map((name) => [name, sql.placeholder(name)])) as Record<K, unknown>));
      this.compiled.set(variant, compiled);
    }
    return postgres.client.unsafe(compiled.sql, fillPlaceholders(compiled.params, values), { prepare: true });
  }
}

/** A drizzle query (select, insert, update, delete) that can be awaited, or prepared to run again with placeholder values. */
type Preparable<R> = PromiseLike<R> & { prepare(name: string): object };

/**
 * A drizzle query builder on a hot path, built once: `build` gets the query's parameters by
 * name and returns the builder (db.select()…, db.insert()…). On postgres.js the first call
 * builds it with placeholders (`sql.placeholder`) and keeps drizzle's prepared query; every
 * call after runs that with its values on the connection of `db` (a transaction's too), as
 * a named prepared statement, with drizzle's own row mapping. Drizzle would otherwise rebuild
 * the SQL text of every query each time it runs, which cost the vehicle endpoints a tenth of
 * their CPU. Only for queries whose text never varies with the data (no list expanded into
 * parameters, no optional condition). On PGlite `build` gets the values and is awaited as is.
 */
export class FixedQuery<K extends string, R> {
  private prepared: object | undefined;

  constructor(
    private readonly names: readonly K[],
    private readonly build: (db: Queryable, p: Record<K, unknown>) => Preparable<R>,
  ) {}

  async run(db: Queryable, values: Record<K, unknown>): Promise<R> {
    const postgres = postgresClientOf(db);
    if (!postgres) return await this.build(db, values);
    this.prepared ??= this.build(db, Object.fromEntries(this.names.map((name) => [name, sql.placeholder(name)])) as Record<K, unknown>).prepare('fixed');
    // drizzle's prepared query keeps the client it was built on: this call runs on db's.
    const query = Object.create(this.prepared) as { client: unknown; execute(values: Record<string, unknown>): Promise<R> };
    query.client = postgres.client;
    return query.execute(values);
  }
}

/**
 * A list of strings as ONE parameter (a PostgreSQL text[] literal), for `= any(…)`: drizzle
 * would expand a JS array into one bind parameter per element, and a statement may carry
 * at most 65,535 of them.
 */
export function textArray(values: readonly string[]): ReturnType<typeof sql> {
  return sql`${textArrayLiteral(values)}::text[]`;
}

/** The PostgreSQL text[] literal of `values` (textArray's parameter), for a FixedStatement's `…::text[]`. */
export const textArrayLiteral = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/** `%`, `_` and `\` match themselves in a LIKE pattern built from user input. */
export const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
