import type { ReactNode } from 'react';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="flex items-center gap-2 py-8 text-sm text-slate-500" role="status">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-blue-600" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 px-6 py-10 text-center">
      <p className="text-sm font-medium text-slate-700">{title}</p>
      {children ? <div className="mt-2 text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

/** An error from a query or mutation, said so that the user knows what to do. */
export function ErrorState({ error, retry }: { error: { message: string } | null | undefined; retry?: () => void }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p>{error.message}</p>
      {retry ? (
        <button type="button" onClick={retry} className="mt-2 font-medium underline">
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** What a button's action did: its error, else a line that says what happened (nothing before it ran). */
export function ActionOutcome({ error, notice }: { error: { message: string } | null | undefined; notice: ReactNode }) {
  if (error) {
    return (
      <div className="mb-3">
        <ErrorState error={error} />
      </div>
    );
  }
  if (!notice) return null;
  return (
    <p role="status" className="mb-3 text-sm text-emerald-700">
      {notice}
    </p>
  );
}
