'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, QueryState, Time, type Tone } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { formatBytes } from '@/server/packages/format-bytes';
import { RawJson } from '../_components/raw-json';

export type TimelineEvent = RouterOutputs['events']['history']['otherEvents'][number];

const badStatus = new Set(['rejected', 'failure', 'failed', 'error']);

const statusTone: Record<string, Tone> = { accepted: 'green', success: 'green', started: 'blue', inProgress: 'blue', rejected: 'amber', failure: 'red', failed: 'red' };

/** A byte count, or a dash where the vehicle did not say. */
const bytes = (n: number | null | undefined) => (n === null || n === undefined ? '—' : formatBytes(n));

/** What the event says beyond its label: the new vehicle state, or its status (accepted, failure, ...). */
function Detail({ event: e }: { event: TimelineEvent }) {
  if (!e.code) return <span className="font-mono text-xs text-slate-600">{`${e.eventsType} / ${e.status}`}</span>;
  if (e.code === 'C_01' && e.rmState) return <span className="text-slate-600">→ {e.rmState}</span>;
  // Progress reports say "inProgress" every time: the bar says more.
  if (e.status === 'inProgress' || (e.code === 'C_01' && e.status === 'success')) return null;
  return <Badge tone={statusTone[e.status] ?? 'slate'}>{e.status}</Badge>;
}

/** Every event of one attempt (or of none) in time order; each row opens its raw JSON. */
export function Timeline({ events, emptyText, testId = 'timeline' }: { events: TimelineEvent[]; emptyText: string; testId?: string }) {
  if (!events.length) {
    return (
      <div data-testid={testId} className="px-3 py-4 text-sm text-slate-500">
        {emptyText}
      </div>
    );
  }
  return (
    <ol data-testid={testId} className="divide-y divide-slate-100">
      {events.map((e) => (
        <TimelineRow key={e.id} event={e} />
      ))}
    </ol>
  );
}

function TimelineRow({ event: e }: { event: TimelineEvent }) {
  const [open, setOpen] = useState(false);
  const bad = badStatus.has(e.status) || e.code === 'C_28';
  return (
    <li data-testid="timeline-event" data-code={e.code ?? 'unclassified'} className="px-3 py-2">
      <div className="grid grid-cols-[11.5rem_3.5rem_minmax(0,1fr)_10rem_5.5rem] items-center gap-3 text-sm">
        <span className="text-xs text-slate-500">
          <Time value={e.eventTime} />
        </span>
        <span className={`rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ${e.code ? (bad ? 'bg-red-50 text-red-700' : 'bg-slate-100 text-slate-700') : 'bg-amber-50 text-amber-800'}`}>
          {e.code ?? '—'}
        </span>
        <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
          <span className={`font-medium ${bad ? 'text-red-700' : 'text-slate-800'}`}>{e.label}</span>
          <Detail event={e} />
          {e.detail ? <span className="text-xs text-slate-600">{e.detail}</span> : null}
          {e.errorCodes.map((code) => (
            <Badge key={code} tone="red" title="Error code reported by the vehicle">
              error {code}
            </Badge>
          ))}
          {e.uuidReused ? (
            <Badge tone="amber" title={`The vehicle used eventsUuid ${e.eventsUuid} before for a different event`}>
              reused UUID
            </Badge>
          ) : null}
        </span>
        <span>
          {e.progressPercent !== null ? (
            <span className="flex items-center gap-2" title={e.downloadSize ? `${bytes(e.bytesDownloaded)} of ${bytes(e.downloadSize)}` : `${e.label}: ${e.progressPercent}%`}>
              <span className="h-1.5 w-16 overflow-hidden rounded-full bg-slate-100">
                <span className="block h-full rounded-full bg-blue-600" style={{ width: `${e.progressPercent}%` }} />
              </span>
              <span className="text-xs tabular-nums text-slate-600">{e.progressPercent}%</span>
            </span>
          ) : null}
        </span>
        <button type="button" aria-expanded={open} onClick={() => setOpen((v) => !v)} className="justify-self-end text-xs font-medium text-blue-700 hover:underline">
          {open ? 'Hide JSON' : 'Raw JSON'}
        </button>
      </div>
      {open ? <RawEvent id={e.id} /> : null}
    </li>
  );
}

function RawEvent({ id }: { id: number }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ id }, { staleTime: Infinity }));
  return (
    <QueryState query={event} loading="Loading the raw event…">
      {(data) => (
        <div className="mt-2 space-y-1">
          <p className="text-xs text-slate-500">
            Received <Time value={data.receivedAt} /> · eventsUuid <span className="font-mono">{data.eventsUuid}</span>
            {data.reportId ? (
              <>
                {' '}
                · reportId <span className="font-mono">{data.reportId}</span>
              </>
            ) : null}
          </p>
          <RawJson value={data.raw} label={`Raw JSON of event ${id}`} />
        </div>
      )}
    </QueryState>
  );
}
