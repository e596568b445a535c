import { z } from 'zod';
import { invalid } from '../errors';

/**
 * Every REST list is paged by `?cursor=&limit=` and answers `{ items, nextCursor }` (null on the
 * last page). A cursor is opaque to clients; it carries where the next page starts and the page
 * size of the first request (a `limit` sent with a cursor is ignored).
 */
export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page; omit for the first page'),
  limit: z.coerce.number().int().min(1).max(200).default(25).describe('Items per page, 1 to 200 (default 25)'),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    total: z.number().optional().describe('How many items the whole list has, where it is counted'),
  });

const encode = (value: Record<string, number>) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(cursor: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // falls through to the refusal below: a cursor this server did not write
  }
  throw invalid('The cursor is not one this API gave out: pass nextCursor of the previous page unchanged.', [{ path: 'cursor', message: 'unknown cursor' }]);
}

const natural = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** A list read by page number and size (the dashboard's paging): which page the cursor means. */
export function offsetPage(query: PageQuery): { page: number; pageSize: number; offset: number } {
  if (!query.cursor) return { page: 0, pageSize: query.limit, offset: 0 };
  const { o, l } = decode(query.cursor);
  if (!natural(o) || !natural(l) || (l as number) < 1 || (l as number) > 200 || (o as number) % (l as number) !== 0) decode('');
  return { page: (o as number) / (l as number), pageSize: l as number, offset: o as number };
}

/** The cursor after a page of `pageSize` items at `offset`, or null when it was the last. */
export const nextOffsetCursor = (at: { offset: number; pageSize: number }, total: number) =>
  at.offset + at.pageSize < total ? encode({ o: at.offset + at.pageSize, l: at.pageSize }) : null;

/** Pages a list read whole (small lists: packages). */
export function sliceList<T>(all: T[], query: PageQuery) {
  const at = offsetPage(query);
  return { items: all.slice(at.offset, at.offset + at.pageSize), nextCursor: nextOffsetCursor(at, all.length), total: all.length };
}

/** A list read by keyset (`before` an id, newest first): the id the cursor carries. */
export function keysetBefore(query: PageQuery): number | undefined {
  if (!query.cursor) return undefined;
  const { b } = decode(query.cursor);
  if (!natural(b)) decode('');
  return b as number;
}

export const keysetCursor = (before: number | null) => (before === null ? null : encode({ b: before }));
