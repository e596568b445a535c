/** A time in the viewer's own time zone, with UTC on hover. */
export function Time({ value, relative = false }: { value: Date | string | null | undefined; relative?: boolean }) {
  if (!value) return <span className="text-slate-400">—</span>;
  const date = typeof value === 'string' ? new Date(value) : value;
  const utc = date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const text = relative ? relativeTime(date) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <time dateTime={date.toISOString()} title={utc} className="whitespace-nowrap">
      {text}
    </time>
  );
}

export function relativeTime(date: Date): string {
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const fmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (abs < 60) return fmt.format(-seconds, 'second');
  if (abs < 3600) return fmt.format(-Math.round(seconds / 60), 'minute');
  if (abs < 86400) return fmt.format(-Math.round(seconds / 3600), 'hour');
  return fmt.format(-Math.round(seconds / 86400), 'day');
}
