import type { ReactNode } from 'react';
import { EmptyState, ErrorState, LoadingState } from './states';

/** The parts of a react-query (tRPC) query result QueryState reads. */
type QueryLike<T> = {
  isPending: boolean;
  data: T | undefined;
  error: { message: string; data?: { code?: string } | null } | null;
  refetch: () => unknown;
};

/** What an empty list says: a title and a line on what to do. */
export type Empty = { title: string; body?: ReactNode };

/**
 * One query's four faces: a spinner while it loads, the error in words (with "Try again"),
 * an empty message when there is nothing, else `children` with the data.
 *
 * `isEmpty` defaults to "an empty array"; pass it for paged results (`(d) => d.total === 0`).
 * `notFound` replaces the error when the server answers NOT_FOUND (a page for a missing thing);
 * `frame` puts the loading, error and empty states in what the data would stand in (a Card, a page header).
 */
export function QueryState<T>({
  query,
  loading,
  empty,
  isEmpty = (data) => Array.isArray(data) && data.length === 0,
  notFound,
  frame = (state) => state,
  children,
}: {
  query: QueryLike<T>;
  loading?: string;
  empty?: Empty;
  isEmpty?: (data: T) => boolean;
  notFound?: ReactNode;
  frame?: (state: ReactNode) => ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.error) {
    if (notFound !== undefined && query.error.data?.code === 'NOT_FOUND') return <>{notFound}</>;
    // Asking again does not make a missing thing appear.
    const retry = query.error.data?.code === 'NOT_FOUND' ? undefined : () => void query.refetch();
    return <>{frame(<ErrorState error={query.error} retry={retry} />)}</>;
  }
  if (query.isPending || query.data === undefined) return <>{frame(<LoadingState label={loading} />)}</>;
  if (empty && isEmpty(query.data)) return <>{frame(<EmptyState title={empty.title}>{empty.body}</EmptyState>)}</>;
  return <>{children(query.data)}</>;
}
