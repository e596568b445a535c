'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button, Card, DataTable, Input, PageHeader, PhaseBadge, QueryState, Select, type Columns } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';
import { vehicleColumns } from './_components/vehicle-columns';
import { useCanOperate } from '@/app/_components/use-can-operate';
import { ImportCsv } from './import-csv';

const PAGE_SIZE = 25;

type VehicleRow = RouterOutputs['vehicles']['list']['rows'][number];

const columns: Columns<VehicleRow> = [
  ...vehicleColumns<VehicleRow>(),
  {
    header: 'Active campaign',
    cell: (v) =>
      v.activeCampaign ? (
        <span className="flex flex-wrap items-center gap-2">
          <Link href={`/campaigns/${v.activeCampaign.campaignId}`} className="text-blue-700 hover:underline" title={`Campaign ${v.activeCampaign.campaignId}`}>
            {v.activeCampaign.name}
          </Link>
          <PhaseBadge phase={v.activeCampaign.phase} />
          {v.activeCampaign.phase === 'downloading' ? <span className="text-xs text-slate-500">{v.activeCampaign.progress}%</span> : null}
        </span>
      ) : (
        <span className="text-slate-400">none</span>
      ),
  },
];

/** The fleet: search by VIN, filter by model and region, paged on the server; the filters live in the URL. */
export function VehicleList() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { canOperate } = useCanOperate();
  const [importing, setImporting] = useState(false);

  const q = params.get('q') ?? '';
  const model = params.get('model') ?? '';
  const region = params.get('region') ?? '';
  const rxswin = params.get('rxswin') ?? '';
  const ecuId = params.get('ecuId') ?? '';
  const ecuVersion = params.get('ecuVersion') ?? '';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped(q), [q]);

  const setParams = (next: Record<string, string | number | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined || value === '' || value === 0) merged.delete(key);
      else merged.set(key, String(value));
    }
    const query = merged.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  // Typing searches after a short pause, starting again from the first page.
  useEffect(() => {
    if (typed.trim() === q) return;
    const timer = setTimeout(() => setParams({ q: typed.trim(), page: undefined }), 300);
    return () => clearTimeout(timer);
  }, [typed]);

  const options = useQuery(trpc.vehicles.filterOptions.queryOptions());
  const list = useQuery({
    ...trpc.vehicles.list.queryOptions({
      q: q || undefined,
      model: model || undefined,
      region: region || undefined,
      rxswin: rxswin || undefined,
      ecuId: ecuId || undefined,
      ecuVersion: ecuVersion || undefined,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: (previous) => previous,
  });
  const filtered = Boolean(q || model || region || rxswin || ecuId || ecuVersion);
  const exportParams = new URLSearchParams(Object.entries({ q, model, region, rxswin, ecuId, ecuVersion }).filter(([, v]) => v));
  const exportHref = `/api/vehicles.csv${exportParams.size ? `?${exportParams}` : ''}`;

  return (
    <>
      <PageHeader
        title="Vehicles"
        subtitle="Every registered vehicle, most recently seen first. Open one to see its whole update history."
        actions={
          canOperate ? (
            <Button variant={importing ? 'secondary' : 'primary'} onClick={() => setImporting((v) => !v)}>
              {importing ? 'Close import' : 'Import CSV'}
            </Button>
          ) : null
        }
      />
      {importing && canOperate ? <ImportCsv onDone={() => setImporting(false)} /> : null}
      <Card>
        <form className="mb-4 grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto]" role="search" onSubmit={(e) => {
            e.preventDefault();
            setParams({ q: typed.trim(), page: undefined });
          }}>
          <Input aria-label="Search by VIN" placeholder="Search by VIN or part of one…" value={typed} onChange={(e) => setTyped(e.target.value)} />
          <Select aria-label="Model" value={model} onChange={(e) => setParams({ model: e.target.value, page: undefined })}>
            <option value="">All models</option>
            {options.data?.models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
          <Select aria-label="Region" value={region} onChange={(e) => setParams({ region: e.target.value, page: undefined })}>
            <option value="">All regions</option>
            {options.data?.regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
          <Button disabled={!filtered && !typed} onClick={() => {
              setTyped('');
              setParams({ q: undefined, model: undefined, region: undefined, rxswin: undefined, ecuId: undefined, ecuVersion: undefined, page: undefined });
            }}>
            Clear
          </Button>
        </form>
        <InventoryFilters
          key={`${rxswin}|${ecuId}|${ecuVersion}`}
          initial={{ rxswin, ecuId, ecuVersion }}
          onApply={(next) => setParams({ ...next, page: undefined })}
          exportHref={exportHref}
        />

        <QueryState query={list} loading="Loading vehicles…">
          {(data) => (
            <DataTable
              columns={columns}
              rows={data.rows}
              rowKey={(v) => v.vin}
              empty={
                filtered
                  ? { title: 'No vehicle matches these filters', body: 'Check the VIN, or clear the filters to see the whole fleet.' }
                  : {
                      title: 'No vehicles registered yet',
                      body: canOperate ? 'Import a CSV of vehicles (vin, model, region) with “Import CSV” above.' : 'An operator can import the fleet from a CSV file.',
                    }
              }
              paging={{ page, pageSize: PAGE_SIZE, total: data.total, onPage: (p) => setParams({ page: p }) }}
            />
          )}
        </QueryState>
      </Card>
    </>
  );
}

type Inventory = { rxswin: string; ecuId: string; ecuVersion: string };

/** Fleet inventory: which vehicles run an RXSWIN, or a version on an ECU; the export has the same filters. */
function InventoryFilters({ initial, onApply, exportHref }: { initial: Inventory; onApply: (next: Inventory) => void; exportHref: string }) {
  const [form, setForm] = useState(initial);
  const apply = () => onApply({ rxswin: form.rxswin.trim(), ecuId: form.ecuId.trim(), ecuVersion: form.ecuVersion.trim() });
  return (
    <form
      className="mb-4 flex flex-wrap items-end gap-3 rounded-md bg-slate-50 p-3"
      aria-label="Fleet inventory"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <span className="w-full text-xs font-semibold uppercase tracking-wide text-slate-500">Fleet inventory</span>
      <div className="w-48">
        <Input aria-label="RXSWIN contains" placeholder="RXSWIN contains…" value={form.rxswin} onChange={(e) => setForm({ ...form, rxswin: e.target.value })} />
      </div>
      <div className="w-28">
        <Input aria-label="ECU" placeholder="ECU id" value={form.ecuId} onChange={(e) => setForm({ ...form, ecuId: e.target.value })} />
      </div>
      <div className="w-36">
        <Input aria-label="Software version" placeholder="runs version…" value={form.ecuVersion} onChange={(e) => setForm({ ...form, ecuVersion: e.target.value })} />
      </div>
      <Button type="submit">Apply</Button>
      <a href={exportHref} download className="ml-auto rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50">
        Export CSV
      </a>
    </form>
  );
}
