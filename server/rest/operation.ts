import type { z } from 'zod';
import type { Db } from '@/db/client';
import type { Role } from '@/db/schema';
import type { Actor } from '../auth/actor';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a handler gets: the database, who acts (on a public operation the system's "anonymous"), and the request's parts, each checked by its schema. */
export type OperationContext<P, Q, B> = { db: Db; actor: Actor; params: P; query: Q; body: B; req: Request };

/** A request body: JSON checked by a schema, or raw bytes the handler streams (`req.body`). */
export type RequestBody = { json: z.ZodType } | { raw: { contentType: string; description: string } };
/** An answer: JSON checked by a schema before it leaves, or a stream of another type the handler builds. */
export type ResponseBody = { status: number; json: z.ZodType } | { status: number; raw: { contentType: string; description: string } };

/**
 * One REST operation: method, path under /api/v1 (`{name}` is one path segment), the least role
 * (null: public), the schemas of what comes in and goes out, and a handler that calls the same
 * service or read function as the dashboard's tRPC procedure.
 */
export type Operation<P = unknown, Q = unknown, B = unknown> = {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  role: Role | null;
  /** The dashboard's tRPC procedure that does the same (e.g. `campaigns.transition`): the role test holds `role` to its tier. */
  procedure?: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: RequestBody;
  response: ResponseBody;
  handle: (ctx: OperationContext<P, Q, B>) => Promise<unknown>;
};

/** An operation of the table (the table holds operations of every input type). */
export type AnyOperation = Operation<any, any, any>;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * Declares an operation with its handler's types inferred from the schemas (params, query and a
 * JSON body arrive parsed; a raw body stays on `req`).
 */
export function operation<PS extends z.ZodType | undefined = undefined, QS extends z.ZodType | undefined = undefined, BS extends z.ZodType | undefined = undefined>(
  spec: Omit<Operation, 'params' | 'query' | 'body' | 'handle'> & {
    params?: PS;
    query?: QS;
    body?: BS extends z.ZodType ? { json: BS } : { raw: { contentType: string; description: string } };
    handle: (ctx: OperationContext<Out<PS>, Out<QS>, Out<BS>>) => Promise<unknown>;
  },
): AnyOperation {
  return spec as AnyOperation;
}
