import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type { Db, FixedStatement, Tx } from './client';

type Query = PromiseLike<unknown> & { execute(): Query; catch(onRejected: (error: unknown) => void): Promise<unknown> };
type Reserved = { unsafe(text: string): Query; release(): void };
type Internals = {
  dialect: ConstructorParameters<typeof PostgresJsTransaction>[0];
  session: { client?: { reserve?: () => Promise<Reserved> }; options: ConstructorParameters<typeof PostgresJsSession>[3] };
};

/**
 * Writes a transaction sends together with its COMMIT, for writes whose answer nothing reads
 * (a vehicle's new phase, an acknowledged command): each one is a round trip the transaction
 * does not wait for. They run after everything the work awaited, in the order they were added.
 * If one fails, the transaction is rolled back and its error is thrown.
 *
 * `early` is for a write that what follows in the transaction reads (a run's end, whose
 * counter change the thresholds read) but whose answer nothing awaits: on postgres.js it is
 * queued on the connection at once and goes out in the same write as the next statement, which
 * PostgreSQL runs after it.
 */
export class CommitTail {
  private readonly writes: { statement: FixedStatement<string>; values: Record<string, unknown> }[] = [];
  private readonly sent: Promise<unknown>[] = [];

  /** `pipelined`: postgres.js, where a statement can be queued without waiting for its answer. */
  constructor(private readonly pipelined = false) {}

  add<K extends string>(statement: FixedStatement<K>, values: Record<K, unknown>): void {
    this.writes.push({ statement: statement as unknown as FixedStatement<string>, values });
  }

  /** Sends `statement` now without waiting for its answer (on PGlite: runs it now). Its error fails the transaction. */
  async early<K extends string>(tx: Tx, statement: FixedStatement<K>, values: Record<K, unknown>): Promise<void> {
    if (!this.pipelined) {
      await statement.rows(tx, values);
      return;
    }
    const answer = statement.send(tx, values);
    answer.catch(() => {}); // looked at when the transaction ends (settled)
    this.sent.push(answer);
  }

  /** postgres.js: the writes queued now, none waited for; with the early writes' answers. */
  send(tx: Tx): Promise<unknown>[] {
    return [...this.sent, ...this.writes.map((w) => w.statement.send(tx, w.values))];
  }

  /** The first failure of an early write, once they all answered: the cause of whatever failed after it. */
  async earlyFailure(): Promise<unknown> {
    const settled = await Promise.allSettled(this.sent);
    return settled.find((r) => r.status === 'rejected')?.reason;
  }

  /** PGlite: one after the other, inside the transaction. */
  async run(tx: Tx): Promise<void> {
    for (const w of this.writes) await w.statement.rows(tx, w.values);
  }
}

/**
 * A transaction for the vehicle endpoints (notifications, C_05, C_07, C_18, C_04), as
 * `db.transaction` runs it but shorter by a round trip or more: on postgres.js, BEGIN is not
 * waited for. It is queued on a connection reserved for the transaction and goes out in the
 * same write as the transaction's first statement (postgres.js waits for BEGIN's answer before
 * it runs the first statement, and a round trip is what a notification mostly costs). If BEGIN
 * fails, so does that statement, and the transaction is rolled back as any other. The writes of
 * the `tail` go out with COMMIT, in one write, and their answers come back with its answer.
 * On PGlite it is `db.transaction`, the tail run before it commits.
 */
export async function hotTransaction<T>(db: Db, work: (tx: Tx, tail: CommitTail) => Promise<T>): Promise<T> {
  const { dialect, session } = db as unknown as Internals;
  const reserve = session.client?.reserve;
  const tail = new CommitTail(typeof reserve === 'function');
  if (typeof reserve !== 'function') {
    return db.transaction(async (tx) => {
      const result = await work(tx, tail);
      await tail.run(tx);
      return result;
    });
  }
  const connection = await reserve();
  try {
    const begun = connection.unsafe('begin').execute();
    begun.catch(() => {}); // its error, if any, is the first statement's too
    const tx = new PostgresJsTransaction(dialect, new PostgresJsSession(connection as never, dialect, undefined, session.options), undefined) as unknown as Tx;
    let result: T;
    try {
      result = await work(tx, tail);
      await begun;
    } catch (error) {
      // A statement after a failed early write fails as "transaction aborted": the early one's error is the cause.
      const cause = (await tail.earlyFailure()) ?? error;
      await Promise.resolve(connection.unsafe('rollback')).catch(() => {});
      throw cause;
    }
    // After a failed tail write, PostgreSQL answers this COMMIT with a rollback: nothing is stored.
    const written = tail.send(tx); // queued before COMMIT, which goes out in the same write (with the early writes' answers)
    const committing = connection.unsafe('commit').execute();
    const [committed, ...answers] = await Promise.allSettled([committing, ...written]);
    const failed = [...answers, committed].find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return result;
  } finally {
    connection.release();
  }
}
