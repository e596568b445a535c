'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RouterOutputs } from '../../_trpc/client';

type Bucket = RouterOutputs['overview']['eventsPerHour']['buckets'][number];

/** How each group is named and drawn; the order stacks them bottom to top. */
const series = [
  { key: 'progress', name: 'Update steps', color: '#2563eb' },
  { key: 'other', name: 'State changes & other', color: '#94a3b8' },
  { key: 'failures', name: 'Failures & refusals', color: '#dc2626' },
] as const;

const hourLabel = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const hourRange = (ms: number) => {
  const from = new Date(ms);
  const day = from.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return `${day}, ${hourLabel(ms)}–${hourLabel(ms + 3_600_000)}`;
};

/** Events received per hour, stacked by what they say. */
export function EventsChart({ buckets }: { buckets: Bucket[] }) {
  const data = buckets.map((b) => ({ hour: b.hour.getTime(), progress: b.progress, other: b.other, failures: b.failures }));
  return (
    <div className="h-64 w-full" role="img" aria-label="Events received per hour over the last 24 hours">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="hour" tickFormatter={hourLabel} tick={{ fontSize: 11, fill: '#64748b' }} interval={2} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} />
          <Tooltip
            labelFormatter={(value) => hourRange(Number(value))}
            cursor={{ fill: '#f1f5f9' }}
            contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: '#e2e8f0' }}
          />
          <Legend iconType="square" iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="events" fill={s.color} isAnimationActive={false} maxBarSize={28} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
