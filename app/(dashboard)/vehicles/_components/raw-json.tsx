'use client';

/** JSON as the vehicle sent it, pretty-printed in a scrollable box. */
export function RawJson({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre aria-label={label ?? 'Raw JSON'} className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
