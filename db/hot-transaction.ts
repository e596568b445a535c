import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type { Db, Tx } from './client';

type Query = PromiseLike<unknown> & { execute(): Query; catch(onRejected: (error: unknown) => void): Promise<unknown> };
type Reserved = { unsafe(text: string): Query; release(): void };
type Internals = {
  dialect: ConstructorParameters<typeof PostgresJsTransaction>[0];
  session: { client?: { reserve?: () => Promise<Reserved> }; options: ConstructorParameters<typeof PostgresJsSession>[3] };
};

/**
 * A transaction for the vehicle endpoints (notifications, C_05, C_07, C_18, C_04), as
 * `db.transaction` runs it but one round trip shorter: on postgres.js, BEGIN is not waited for. It is queued on a connection
 * reserved for the transaction and goes out in the same write as the transaction's first
 * statement (postgres.js waits for BEGIN's answer before it runs the first statement, and a
 * round trip is what a notification mostly costs). If BEGIN fails, so does that statement, and
 * the transaction is rolled back as any other. On PGlite it is `db.transaction`.
 */
export async function hotTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const { dialect, session } = db as unknown as Internals;
  const reserve = session.client?.reserve;
  if (typeof reserve !== 'function') return db.transaction(work);
  const connection = await reserve();
  try {
    const begun = connection.unsafe('begin').execute();
    begun.catch(() => {}); // its error, if any, is the first statement's too
    const tx = new PostgresJsTransaction(dialect, new PostgresJsSession(connection as never, dialect, undefined, session.options), undefined) as unknown as Tx;
    let result: T;
    try {
      result = await work(tx);
      await begun;
    } catch (error) {
      await Promise.resolve(connection.unsafe('rollback')).catch(() => {});
      throw error;
    }
    await connection.unsafe('commit');
    return result;
  } finally {
    connection.release();
  }
}
