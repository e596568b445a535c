'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { ActionOutcome, Badge, Card, ConfirmButton, type Tone } from '@/app/_components/ui';
import { WaveSplitBar } from '../_lib/wave-split-bar';
import { plural } from './operator-messages';

type Progress = RouterOutputs['campaigns']['waves'];
type Wave = Progress['waves'][number];

const stateBadge: Record<Wave['state'], { tone: Tone; label: string }> = {
  released: { tone: 'slate', label: 'Released' },
  current: { tone: 'blue', label: 'Current' },
  waiting: { tone: 'slate', label: 'Waiting' },
};

/** Segments of a wave's bar, in the order a vehicle's fate reads. */
const segments: { key: keyof Wave; label: string; className: string }[] = [
  { key: 'completed', label: 'completed', className: 'bg-emerald-500' },
  { key: 'failed', label: 'failed', className: 'bg-red-500' },
  { key: 'declined', label: 'declined', className: 'bg-amber-500' },
  { key: 'inProgress', label: 'in progress', className: 'bg-blue-500' },
  { key: 'notStarted', label: 'not started', className: 'bg-slate-300' },
  { key: 'blocked', label: 'blocked', className: 'bg-amber-300' },
  { key: 'cancelled', label: 'cancelled', className: 'bg-slate-400' },
];
/** Always named in a wave's counts; the others only when some vehicle is there. */
const alwaysShown = new Set<keyof Wave>(['completed', 'failed', 'inProgress', 'blocked']);

type Props = { campaignId: number; progress: Progress; canOperate: boolean; onShowWave: (wave: number) => void };

/** The waves of a campaign with their state and live counts, the thresholds, what happens next, and "start next wave". */
export function RolloutCard({ campaignId, progress: p, canOperate, onShowWave }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  // Held here, not in the button: the button goes once the last wave is started, the outcome stays.
  const start = useMutation(
    trpc.campaigns.startNextWave.mutationOptions({
      onSuccess: (r) => {
        setNotice(`Wave ${r.wave + 1} released: ${plural(r.queuedCommands, 'StartCampaign command')} queued.`);
        void queryClient.invalidateQueries(trpc.campaigns.pathFilter());
      },
    }),
  );
  const planText = `${p.plan.autoAdvance ? 'Advances automatically' : 'Waits for an operator'} at ${p.plan.successThreshold}% completed · suspends itself at ${p.plan.errorThreshold}% failed`;
  const canStartNext = canOperate && p.status === 'Deployed' && p.currentWave + 1 < p.waveCount;
  return (
    <Card
      title="Rollout"
      actions={
        canStartNext ? (
          <StartNextWave
            progress={p}
            pending={start.isPending}
            onStart={() => {
              setNotice(null);
              start.mutate({ id: campaignId, fromWave: p.currentWave });
            }}
          />
        ) : null
      }
    >
      <ActionOutcome error={start.error} notice={notice} />
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <p className="text-slate-700">
          {p.status === 'Draft' ? (
            <>
              {plural(p.waveCount, 'wave')} planned. Vehicles are put in their waves when the campaign is deployed; the split below is for the vehicles targeted now.
            </>
          ) : (
            <>
              <strong className="font-medium">
                Wave {Math.min(p.currentWave, p.waveCount - 1) + 1} of {p.waveCount}
              </strong>{' '}
              {p.status === 'Deployed' || p.status === 'Suspended' ? 'is the current wave.' : p.status === 'Completed' ? 'was the last wave released; the campaign is completed.' : 'was the last wave released before the campaign was cancelled.'}
            </>
          )}
        </p>
        <p className="text-xs text-slate-500">{planText}</p>
      </div>
      <NextStep progress={p} />
      {p.status === 'Draft' ? <WaveSplitBar sizes={p.waves.map((w) => w.vehicles)} /> : null}
      <ol className="mt-4 space-y-4" aria-label="Waves">
        {p.waves.map((w) => (
          <WaveRow key={w.wave} wave={w} progress={p} onShow={() => onShowWave(w.wave)} />
        ))}
      </ol>
    </Card>
  );
}

function NextStep({ progress: p }: { progress: Progress }) {
  const c = p.current;
  if (p.status !== 'Deployed') return null;
  if (p.next.action === 'await-operator') {
    return (
      <div role="status" className="rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-900">
        <strong className="font-medium">Ready for the next wave.</strong> {p.next.reason}
      </div>
    );
  }
  if (p.next.action === 'wait') {
    return (
      <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <strong className="font-medium">Waiting.</strong> {p.next.reason}
      </div>
    );
  }
  const last = p.currentWave + 1 >= p.waveCount;
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="thresholds">
      {last ? (
        <>Last wave: the campaign completes when no vehicle is left on its way, failed, blocked by the preconditions or declined with a re-offer to come. </>
      ) : (
        <>
          The next wave {p.plan.autoAdvance ? 'starts on its own' : 'can be started'} when <strong className="font-medium tabular-nums">{c.successNeeded}</strong> of the {plural(c.eligible, 'eligible vehicle')} in wave {c.wave + 1} completed (now{' '}
          <span className="tabular-nums">{c.completed}</span>).{' '}
        </>
      )}
      The campaign suspends itself at <strong className="font-medium tabular-nums">{plural(c.failuresToSuspend, 'new failure')}</strong> in wave {c.wave + 1} (now <span className="tabular-nums">{c.newFailures}</span>
      {p.acknowledgedFailures ? <>, besides {plural(p.acknowledgedFailures, 'failure')} acknowledged at the last resume</> : null}).
    </div>
  );
}

function WaveRow({ wave: w, progress: p, onShow }: { wave: Wave; progress: Progress; onShow: () => void }) {
  const badge = stateBadge[w.state];
  const planned = w.plan ? (w.plan.unit === 'percent' ? `${w.plan.size}% of the vehicles` : plural(w.plan.size, 'vehicle')) : 'not in the plan';
  const isLast = w.wave === p.waveCount - 1 && p.waveCount > 1;
  return (
    <li aria-label={`Wave ${w.wave + 1}`} data-state={w.state}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className="font-medium text-slate-800">Wave {w.wave + 1}</span>
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <span className="text-slate-600">
          {plural(w.vehicles, 'vehicle')}{' '}
          <span className="text-xs text-slate-400">
            (planned: {planned}
            {isLast ? ', and the rest' : ''})
          </span>
        </span>
        {w.stalled ? <Badge tone="amber">{plural(w.stalled, 'stalled vehicle')}</Badge> : null}
        {p.status !== 'Draft' && w.vehicles ? (
          <button type="button" onClick={onShow} className="ml-auto text-xs font-medium text-blue-700 hover:underline">
            Show its vehicles
          </button>
        ) : null}
      </div>
      {p.status === 'Draft' ? null : (
        <>
          <WaveBar wave={w} />
          {w.state === 'waiting' ? (
            <p className="mt-1 text-xs text-slate-500">
              Not released yet: its vehicles get StartCampaign (or are listed as blocked) when the wave is started{w.cancelled ? ` · ${w.cancelled} cancelled` : ''}.
            </p>
          ) : (
            <WaveCounts wave={w} />
          )}
        </>
      )}
    </li>
  );
}

function WaveCounts({ wave: w }: { wave: Wave }) {
  return (
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-slate-600">
        {segments
          .filter((s) => alwaysShown.has(s.key) || (w[s.key] as number) > 0)
          .map((s) => (
            <li key={s.key} className="inline-flex items-center gap-1.5">
              <span className={`inline-block h-2 w-2 rounded-full ${s.className}`} />
              <span className="font-medium tabular-nums text-slate-800">{w[s.key] as number}</span> {s.label}
            </li>
          ))}
      </ul>
  );
}

function WaveBar({ wave: w }: { wave: Wave }) {
  const total = w.vehicles;
  return (
    <div className="mt-1.5 flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100" role="img" aria-label={`Wave ${w.wave + 1}: ${w.completed} of ${total} completed`}>
      {total
        ? segments.map((s) => {
            const n = w[s.key] as number;
            return n ? <span key={s.key} className={`h-full ${s.className}`} style={{ width: `${(100 * n) / total}%` }} /> : null;
          })
        : null}
    </div>
  );
}

function StartNextWave({ progress: p, pending, onStart }: { progress: Progress; pending: boolean; onStart: () => void }) {
  const next = p.waves[p.currentWave + 1];
  const c = p.current;
  const early = c.completed < c.successNeeded;
  return (
    <ConfirmButton
      label={`Start wave ${p.currentWave + 2}${early ? ' now' : ''}`}
      title={`Start wave ${p.currentWave + 2} of ${p.waveCount}?`}
      message={
        <>
          <p>
            Its {plural(next?.vehicles ?? 0, 'vehicle')} are released now: each whose last known configuration meets the preconditions gets StartCampaign; the others are listed as blocked. The thresholds then watch wave {p.currentWave + 2}.
          </p>
          {early ? (
            <p className="mt-2 font-medium text-amber-800">
              Wave {p.currentWave + 1} has not reached its success threshold yet: {c.completed} of the {c.successNeeded} needed completed. You are starting early.
            </p>
          ) : null}
        </>
      }
      variant="primary"
      size="sm"
      pending={pending}
      onConfirm={onStart}
    />
  );
}
