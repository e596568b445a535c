'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { Badge, Button, Card, ErrorState, Field, Input, Select } from '@/app/_components/ui';

type SoftwarePackage = RouterOutputs['packages']['softwarePackages'][number];

/** Name, version and an ordered choice of software packages (the order vehicles install them in). */
export function ComposeForm({ softwarePackages }: { softwarePackages: SoftwarePackage[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [rxswin, setRxswin] = useState('');
  const [chosen, setChosen] = useState<number[]>([]);
  const [adding, setAdding] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const compose = useMutation(
    trpc.packages.composeVehiclePackage.mutationOptions({
      onSuccess: (created) => {
        setDone(`Vehicle package ${created.name} ${created.version} is ready for campaigns.`);
        setName('');
        setVersion('');
        setRxswin('');
        setChosen([]);
        void queryClient.invalidateQueries(trpc.packages.pathFilter());
      },
    }),
  );

  const byId = new Map(softwarePackages.map((p) => [p.id, p]));
  const available = softwarePackages.filter((p) => !chosen.includes(p.id));
  const move = (index: number, by: number) =>
    setChosen((list) => {
      const next = [...list];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      return next;
    });
  const ecuClash = (() => {
    const ecus = chosen.map((id) => byId.get(id)?.targetEcu);
    return ecus.find((e, i) => ecus.indexOf(e) !== i);
  })();

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    compose.mutate({ name, version, rxswin, softwarePackageIds: chosen });
  }

  return (
    <Card title="Compose a vehicle package">
      <form onSubmit={submit} className="space-y-4" aria-label="Compose a vehicle package">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name">
            <Input name="vpName" value={name} onChange={(e) => setName(e.target.value)} placeholder="Aurora 2026.2" />
          </Field>
          <Field label="Version">
            <Input name="vpVersion" value={version} onChange={(e) => setVersion(e.target.value)} placeholder="2026.2" />
          </Field>
          <Field label="RXSWIN after the update (optional)">
            <Input name="vpRxswin" value={rxswin} onChange={(e) => setRxswin(e.target.value)} placeholder="leave empty when the RXSWIN does not change" />
          </Field>
        </div>
        <Field label="Add a software package" hint={softwarePackages.length ? 'Add them in the order vehicles should install them; reorder below.' : 'Upload a software package first.'}>
          <div className="flex gap-2">
            <Select aria-label="Software package to add" value={adding} onChange={(e) => setAdding(e.target.value)} disabled={!available.length}>
              <option value="">{available.length ? 'Choose…' : 'All packages are chosen'}</option>
              {available.map((p) => (
                <option key={p.id} value={p.id}>
                  ECU {p.targetEcu} · {p.name} {p.version} ({p.fileName})
                </option>
              ))}
            </Select>
            <Button
              disabled={!adding}
              onClick={() => {
                setChosen((list) => [...list, Number(adding)]);
                setAdding('');
              }}
            >
              Add
            </Button>
          </div>
        </Field>
        {chosen.length ? (
          <ol className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Chosen software packages">
            {chosen.map((id, index) => {
              const p = byId.get(id);
              return (
                <li key={id} className="flex items-center gap-2 px-3 py-2 text-sm">
                  <span className="w-5 text-right text-xs text-slate-400">{index + 1}.</span>
                  <Badge>ECU {p?.targetEcu ?? '?'}</Badge>
                  <span className="flex-1 truncate">
                    {p ? `${p.name} ${p.version}` : `package ${id}`}
                  </span>
                  <Button size="sm" variant="ghost" aria-label="Move up" disabled={index === 0} onClick={() => move(index, -1)}>
                    ↑
                  </Button>
                  <Button size="sm" variant="ghost" aria-label="Move down" disabled={index === chosen.length - 1} onClick={() => move(index, 1)}>
                    ↓
                  </Button>
                  <Button size="sm" variant="ghost" aria-label="Remove" onClick={() => setChosen((list) => list.filter((x) => x !== id))}>
                    ✕
                  </Button>
                </li>
              );
            })}
          </ol>
        ) : (
          <p className="text-sm text-slate-500">No software packages chosen yet.</p>
        )}
        {ecuClash ? <p className="text-sm text-amber-700">Two chosen packages are for ECU {ecuClash}; a vehicle package takes one file per ECU.</p> : null}
        {compose.error ? <ErrorState error={compose.error} /> : null}
        {done ? (
          <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
            {done}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={compose.isPending || !chosen.length || !!ecuClash}>
          {compose.isPending ? 'Composing…' : 'Compose vehicle package'}
        </Button>
      </form>
    </Card>
  );
}
