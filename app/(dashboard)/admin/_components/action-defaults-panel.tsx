'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useTRPC, type RouterOutputs } from '../../../_trpc/client';
import { Badge, Button, Card, Input, QueryState, Time } from '@/app/_components/ui';

type ActionDefault = RouterOutputs['settings']['actionDefaults'][number];

const MAX = 2_147_483_647;

function duration(seconds: number): string {
  if (seconds === 0) return 'no cycle given';
  const parts: string[] = [];
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  let rest = seconds;
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}

/** What each action asks of the vehicles, and how to read its value. */
const meaning: Record<ActionDefault['actionId'], { title: string; body: string; value: (v: number) => string; hint: string }> = {
  GetActionCycle: {
    title: 'Polling cycle',
    body: 'The polling cycle vehicles should use: how long they wait between polls for actions and commands. A shorter cycle delivers campaigns and commands sooner, at the cost of more traffic.',
    value: (v) => (v ? `every ${duration(v)}` : 'no cycle given'),
    hint: 'In seconds, e.g. 3600 for hourly; 0 gives no cycle',
  },
  CarConfigInfoUploadNecessity: {
    title: 'Ask for the configuration',
    body: '1 asks vehicles to upload their configuration (C_05: ECU software versions, RXSWIN, storage) on their next poll; 0 leaves it to them.',
    value: (v) => (v === 1 ? 'vehicles are asked to upload' : v === 0 ? 'not asked' : `value ${v}`),
    hint: '0 = no, 1 = upload',
  },
  DispConsentInCarHMI: {
    title: 'Show the consent dialog',
    body: '1 asks vehicles to show the consent dialog on the in-car screen (HMI) so the driver can agree to an update; 0 does not ask.',
    value: (v) => (v === 1 ? 'vehicles show the dialog' : v === 0 ? 'not shown' : `value ${v}`),
    hint: '0 = no, 1 = show',
  },
};

export function ActionDefaultsPanel() {
  const trpc = useTRPC();
  const defaults = useQuery(trpc.settings.actionDefaults.queryOptions());
  return (
    <div className="space-y-4">
      <p className="max-w-3xl text-sm text-slate-600">
        Every vehicle reads these three values when it polls for actions (C_03). The fleet default applies to every vehicle that has no value of its own; a per-vehicle
        override, set on the vehicle&apos;s page, wins over it. A change here is answered from the vehicles&apos; next poll on and written to the{' '}
        <Link href="/admin/audit" className="font-medium text-blue-700 hover:underline">
          audit log
        </Link>
        .
      </p>
      <QueryState query={defaults} loading="Loading action defaults…">
        {(list) => (
          <div className="grid gap-4 lg:grid-cols-3">
            {list.map((d) => (
              <ActionDefaultCard key={d.actionId} action={d} />
            ))}
          </div>
        )}
      </QueryState>
    </div>
  );
}

function ActionDefaultCard({ action }: { action: ActionDefault }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const info = meaning[action.actionId];
  const [draft, setDraft] = useState(String(action.value));
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.settings.setActionDefault.mutationOptions({
      onSuccess: (next) => {
        setDraft(String(next.value));
        setSaved(true);
        return Promise.all([queryClient.invalidateQueries(trpc.settings.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]);
      },
    }),
  );
  const trimmed = draft.trim();
  const value = Number(trimmed);
  const problem =
    trimmed === '' ? 'Enter a value' : !/^\d+$/.test(trimmed) ? 'Enter a whole number, 0 or more' : value > MAX ? `At most ${MAX.toLocaleString()}` : null;
  const dirty = trimmed !== String(action.value);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (problem || !dirty) return;
    save.mutate({ actionId: action.actionId, value });
  }

  return (
    <Card
      title={
        <span className="block">
          {info.title}
          <span className="block font-mono text-xs font-normal text-slate-500">{action.actionId}</span>
        </span>
      }
    >
      <p className="min-h-20 text-sm text-slate-600">{info.body}</p>
      <div className="mt-4 flex items-baseline justify-between gap-2 rounded-md bg-slate-50 px-3 py-2">
        <span className="text-sm text-slate-500">Fleet default</span>
        <span className="text-right">
          <span className="font-mono text-lg font-semibold text-slate-900">{action.value}</span>
          <span className="ml-2 text-sm text-slate-500">{info.value(action.value)}</span>
        </span>
      </div>
      <dl className="mt-3 space-y-1 text-sm">
        <div className="flex justify-between gap-2">
          <dt className="text-slate-500">Last changed</dt>
          <dd>{action.isSet ? <Time value={action.updatedAt} /> : <Badge>never set: vehicles get 0</Badge>}</dd>
        </div>
        <div className="flex justify-between gap-2">
          <dt className="text-slate-500">Vehicles with their own value</dt>
          <dd className="tabular-nums">{action.overrides.toLocaleString()}</dd>
        </div>
      </dl>
      <form onSubmit={submit} className="mt-4 border-t border-slate-100 pt-4" noValidate>
        <label className="block text-sm font-medium text-slate-700" htmlFor={`value-${action.actionId}`}>
          New fleet default
        </label>
        <div className="mt-1 flex gap-2">
          <Input
            id={`value-${action.actionId}`}
            inputMode="numeric"
            value={draft}
            onChange={(e) => {
              setSaved(false);
              save.reset();
              setDraft(e.target.value);
            }}
            aria-invalid={!!problem}
          />
          <Button type="submit" variant="primary" disabled={!!problem || !dirty || save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
        </div>
        <p className={`mt-1 text-xs ${problem || save.error ? 'text-red-600' : saved ? 'text-emerald-700' : 'text-slate-500'}`} role={problem || save.error ? 'alert' : undefined}>
          {problem ?? (save.error?.message ?? null) ?? (saved ? 'Saved. Vehicles get the new value on their next poll.' : info.hint)}
        </p>
      </form>
    </Card>
  );
}
