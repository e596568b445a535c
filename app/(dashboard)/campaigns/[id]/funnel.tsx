'use client';

import { phaseLabels, type Phase } from '@/server/campaigns/vehicle-phase';

type Counts = Record<Phase | 'total', number>;

/** The way through an update, in order; declined and cancelled only appear when some vehicle is there. */
const funnelPhases: Phase[] = ['queued', 'command_delivered', 'config_uploaded', 'consented', 'downloading', 'downloaded', 'installing', 'activating', 'completed', 'failed'];
const optionalPhases: Phase[] = ['declined', 'cancelled'];

const barTone: Partial<Record<Phase, string>> = { completed: 'bg-emerald-500', failed: 'bg-red-500', declined: 'bg-amber-500', cancelled: 'bg-slate-400' };

/** Vehicles per phase as horizontal bars (share of the campaign's vehicles), each row reading "<Phase> <count>". */
export function Funnel({ counts }: { counts: Counts }) {
  const shown = [...funnelPhases, ...optionalPhases.filter((p) => counts[p] > 0)];
  return (
    <ul data-testid="funnel" className="space-y-1.5" aria-label="Vehicles per phase">
      {shown.map((phase) => {
        const n = counts[phase];
        const share = counts.total ? (100 * n) / counts.total : 0;
        return (
          <li key={phase} data-phase={phase} className="flex items-center gap-3 text-sm">
            <span className={`order-1 w-44 shrink-0 ${n ? 'text-slate-800' : 'text-slate-400'}`}>{phaseLabels[phase]}</span>{' '}
            <span className={`order-3 w-10 shrink-0 text-right font-medium tabular-nums ${n ? 'text-slate-900' : 'text-slate-400'}`}>{n}</span>
            <span className="order-2 h-4 flex-1 overflow-hidden rounded bg-slate-100" aria-hidden>
              <span className={`block h-full rounded ${barTone[phase] ?? 'bg-blue-500'}`} style={{ width: `${share}%`, minWidth: n ? '0.25rem' : 0 }} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}
