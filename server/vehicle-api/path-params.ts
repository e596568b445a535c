import { notFound } from '../errors';

/** The positive integer in the path segment after `after` (e.g. `campaigns`), or NOT_FOUND. */
export function idAfter(req: Request, after: string): number {
  const segments = new URL(req.url).pathname.split('/');
  const raw = segments[segments.indexOf(after) + 1] ?? '';
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(id) || id <= 0) throw notFound(`${after.replace(/s$/, '')} ${raw || '(none)'}`);
  return id;
}

/** The path segment after `after`, as text. */
export function segmentAfter(req: Request, after: string): string {
  const segments = new URL(req.url).pathname.split('/');
  return decodeURIComponent(segments[segments.indexOf(after) + 1] ?? '');
}
