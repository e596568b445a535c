import { DomainError, notFound } from '../errors';

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
  const raw = segments[segments.indexOf(after) + 1] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    // A malformed %-escape (`%E0%A4`) is the client's mistake, not a server error.
    throw new DomainError('INVALID_REQUEST', `the path segment after ${after} has a malformed %-escape`, [{ path: '(path)', message: 'malformed %-escape' }]);
  }
}
