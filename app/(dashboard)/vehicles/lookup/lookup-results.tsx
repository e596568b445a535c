'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button, Card, DataTable, EmptyState, ErrorState, Input, LoadingState, PageHeader } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { vehicleHref } from '../_components/format';
import { vehicleColumns } from '../_components/vehicle-columns';

type Match = RouterOutputs['vehicles']['lookup']['matches'][number];

/** /vehicles/lookup?q=…: an exact VIN opens its page; part of one lists the VINs that contain it. */
export function LookupResults() {
  const trpc = useTRPC();
  const router = useRouter();
  const q = (useSearchParams().get('q') ?? '').trim();
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped(q), [q]);
  const lookup = useQuery({ ...trpc.vehicles.lookup.queryOptions({ q }), enabled: q.length > 0 && q.length <= 64 });
  const exact = lookup.data?.exact;
  useEffect(() => {
    if (exact) router.replace(vehicleHref(exact));
  }, [exact, router]);

  const search = (
    <form
      role="search"
      className="mb-4 flex max-w-xl gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (typed.trim()) router.push(`/vehicles/lookup?q=${encodeURIComponent(typed.trim())}`);
      }}
    >
      <Input aria-label="VIN" placeholder="A VIN or part of one" value={typed} onChange={(e) => setTyped(e.target.value)} />
      <Button type="submit" variant="primary" className="shrink-0 whitespace-nowrap">
        Look up
      </Button>
    </form>
  );

  let body;
  if (!q) body = <EmptyState title="Type a VIN to look it up">A whole VIN opens the vehicle; part of one lists every vehicle whose VIN contains it.</EmptyState>;
  else if (q.length > 64) body = <ErrorState error={{ message: 'A VIN has at most 64 characters. Check what you pasted.' }} />;
  else if (lookup.isPending || exact) body = <LoadingState label={exact ? `Opening ${exact}…` : 'Looking up…'} />;
  else if (lookup.isError) body = <ErrorState error={lookup.error} retry={() => lookup.refetch()} />;
  else if (lookup.data.total === 0)
    body = (
      <EmptyState title={`No vehicle has a VIN containing “${q}”`}>
        Check the VIN for typos (0 and O, 1 and I), or browse the <Link href="/vehicles" className="text-blue-700 underline">vehicle list</Link>.
      </EmptyState>
    );
  else
    body = (
      <>
        <p className="mb-3 text-sm text-slate-600">
          {lookup.data.total === 1 ? 'One vehicle has' : `${lookup.data.total} vehicles have`} a VIN containing <span className="font-mono font-medium">{q}</span>
          {lookup.data.total > lookup.data.matches.length ? ` — the first ${lookup.data.matches.length} are listed; type more of the VIN to narrow it down.` : '.'}
        </p>
        <DataTable columns={vehicleColumns<Match>((vin) => <Highlight text={vin} part={q} />)} rows={lookup.data.matches} rowKey={(m) => m.vin} />
      </>
    );

  return (
    <>
      <PageHeader title="VIN lookup" subtitle={q ? <>Results for <span className="font-mono">{q}</span></> : 'Find a vehicle by its VIN'} />
      <Card>
        {search}
        {body}
      </Card>
    </>
  );
}

/** The VIN with the part that was typed marked. */
function Highlight({ text, part }: { text: string; part: string }) {
  const at = text.toLowerCase().indexOf(part.toLowerCase());
  if (at < 0 || !part) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded bg-amber-100 px-0.5 text-inherit">{text.slice(at, at + part.length)}</mark>
      {text.slice(at + part.length)}
    </>
  );
}
