'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Badge, CampaignStatusBadge, Card, EmptyState, PhaseBadge, ProgressBar, Time } from '@/app/_components/ui';
import type { RouterOutputs } from '@/app/_trpc/client';
import { Timeline, type TimelineEvent } from './timeline';

const OTHER_EVENTS_SHOWN = 100;

type History = RouterOutputs['events']['history'];
type CampaignHistory = History['campaigns'][number];
type Attempt = CampaignHistory['attempts'][number];

/** How an attempt ended, in a few words, from its last telling event. */
function outcomeOf(events: TimelineEvent[]): { text: string; tone: 'green' | 'red' | 'amber' | 'slate' } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.code === 'C_35') return e.status === 'failure' || e.status === 'failed' ? { text: 'Update failed', tone: 'red' } : { text: 'Update complete', tone: 'green' };
    if (e.code === 'C_28') return { text: `Error${e.errorCodes.length ? ` ${e.errorCodes.join(', ')}` : ''}`, tone: 'red' };
    if ((e.code === 'C_16' || e.code === 'C_24') && e.status === 'failure') return { text: `${e.label}: failure${e.errorCodes.length ? ` (${e.errorCodes.join(', ')})` : ''}`, tone: 'red' };
    if (e.status === 'rejected') return { text: `${e.label}: rejected`, tone: 'amber' };
  }
  const last = [...events].reverse().find((e) => e.code && e.code !== 'C_01');
  return last ? { text: `Last: ${last.label}`, tone: 'slate' } : null;
}

/** Each campaign the vehicle is in, each attempt at it and the attempt's event timeline. */
export function UpdateHistory({ history }: { history: History }) {
  return (
    <Card
      title="Update history"
      actions={
        <span className="text-xs text-slate-500">
          {history.totalEvents} event{history.totalEvents === 1 ? '' : 's'}
          {history.omittedEvents ? ` · the oldest ${history.omittedEvents} are not shown` : ''}
        </span>
      }
    >
      {history.campaigns.length === 0 ? (
        <EmptyState title="This vehicle is in no campaign yet">When a campaign targets it, its phase, attempts and every event it reports appear here.</EmptyState>
      ) : (
        <div className="space-y-5">
          {history.campaigns.map((c) => (
            <CampaignBlock key={c.campaignId} campaign={c} />
          ))}
        </div>
      )}
    </Card>
  );
}

function CampaignBlock({ campaign: c }: { campaign: CampaignHistory }) {
  const m = c.membership;
  return (
    <section className="rounded-md border border-slate-200" aria-label={`Campaign ${c.name}`}>
      <header className="grid grid-cols-[minmax(0,1fr)_16rem] items-center gap-4 border-b border-slate-100 bg-slate-50 px-4 py-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={`/campaigns/${c.campaignId}`} className="truncate font-semibold text-blue-700 hover:underline">
              {c.name}
            </Link>
            <span className="text-xs text-slate-500">#{c.campaignId}</span>
            <CampaignStatusBadge status={c.status} />
          </div>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            {m ? (
              <>
                <span>This vehicle:</span>
                <PhaseBadge phase={m.phase} />
                {m.lastErrorCode ? (
                  <Badge tone="red" title="The last error code this vehicle reported in this campaign">
                    last error {m.lastErrorCode}
                  </Badge>
                ) : null}
                {m.lastEventAt ? (
                  <span className="text-xs text-slate-500">
                    last event <Time value={m.lastEventAt} relative />
                  </span>
                ) : null}
              </>
            ) : (
              <span className="text-xs text-slate-500">The vehicle is no longer a member of this campaign.</span>
            )}
          </div>
        </div>
        {m && (m.progress > 0 || !['queued', 'command_delivered', 'config_uploaded', 'consented', 'declined', 'cancelled'].includes(m.phase)) ? (
          <div>
            <div className="mb-1 flex justify-between text-xs text-slate-500">
              <span>Download</span>
              <span className="tabular-nums">{m.progress}%</span>
            </div>
            <ProgressBar value={m.progress} tone={m.phase === 'completed' ? 'green' : 'blue'} />
          </div>
        ) : (
          <span />
        )}
      </header>
      {c.attempts.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500">No attempt recorded yet. An attempt appears when the vehicle uploads its configuration (C_05) with an attemptId for this campaign, or reports events of one.</p>
      ) : (
        <div className="divide-y divide-slate-100">
          {c.attempts.map((a, i) => (
            <AttemptBlock key={a.attemptId} attempt={a} defaultOpen={i === 0} number={c.attempts.length - i} />
          ))}
        </div>
      )}
    </section>
  );
}

function AttemptBlock({ attempt: a, defaultOpen, number }: { attempt: Attempt; defaultOpen: boolean; number: number }) {
  const outcome = outcomeOf(a.events);
  return (
    <details open={defaultOpen} className="group">
      <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm hover:bg-slate-50">
        <span className="inline-block w-3 text-slate-400 transition group-open:rotate-90">▸</span>
        <span className="font-medium text-slate-800">Attempt {number}</span>
        <span className="font-mono text-xs text-slate-500">{a.attemptId}</span>
        <span className="text-xs text-slate-500">
          {a.openedAt ? (
            <>
              opened <Time value={a.openedAt} />
            </>
          ) : (
            'not opened by a configuration upload'
          )}
          {a.resumedAt ? (
            <>
              {' '}
              · resumed <Time value={a.resumedAt} />
            </>
          ) : null}
        </span>
        <span className="text-xs text-slate-500">
          · {a.events.length} event{a.events.length === 1 ? '' : 's'}
        </span>
        {outcome ? <Badge tone={outcome.tone}>{outcome.text}</Badge> : null}
      </summary>
      <div className="border-t border-slate-100 bg-white pl-6">
        <Timeline events={a.events} emptyText="The vehicle has reported no event for this attempt yet." />
      </div>
    </details>
  );
}

/** Events of no campaign attempt: vehicle state, errors without attemptId, unknown attempts. */
export function OtherEvents({ events }: { events: TimelineEvent[] }) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? events : events.slice(-OTHER_EVENTS_SHOWN);
  return (
    <Card title="Other events" actions={<span className="text-xs text-slate-500">Events that belong to no campaign attempt (vehicle state, errors without an attemptId)</span>}>
      <div className="-mx-4 -my-4">
        {shown.length < events.length ? (
          <p className="border-b border-slate-100 px-3 py-2 text-sm text-slate-600">
            Showing the latest {shown.length} of {events.length}.{' '}
            <button type="button" className="font-medium text-blue-700 hover:underline" onClick={() => setShowAll(true)}>
              Show all
            </button>
          </p>
        ) : null}
        <Timeline events={shown} testId="other-events-timeline" emptyText="None: every event of this vehicle belongs to a campaign attempt." />
      </div>
    </Card>
  );
}
