import { cx } from './cx';

export function ProgressBar({ value, tone = 'blue' }: { value: number; tone?: 'blue' | 'green' }) {
  return (
    <div className="h-2 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-valuenow={Math.round(value)} aria-valuemin={0} aria-valuemax={100}>
      <div className={cx('h-full rounded-full transition-all', tone === 'green' ? 'bg-emerald-500' : 'bg-blue-600')} style={{ width: `${Math.min(100, Math.max(0, value))}%` }} />
    </div>
  );
}
