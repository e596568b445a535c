'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { Card, EmptyState, ErrorState, Field, Input, LoadingState, PageHeader, Pager, Select } from '@/app/_components/ui';
import { useTRPC } from '@/app/_trpc/client';
import { useDebounced } from '../campaigns/_lib/use-debounced';
import { RegisterTable } from './register-table';

const PAGE_SIZE = 25;
type Form = { vin: string; campaignId: string; rxswin: string; from: string; to: string; outcome: '' | 'completed' | 'failed' | 'declined' | 'cancelled' };
const empty: Form = { vin: '', campaignId: '', rxswin: '', from: '', to: '', outcome: '' };

/** /compliance: the UN R156 software register — search it, read it, export what is shown (CSV or JSON). */
export function ComplianceView() {
  const trpc = useTRPC();
  const search = useSearchParams();
  const [form, setForm] = useState<Form>(() => ({ ...empty, vin: search.get('vin') ?? '', campaignId: search.get('campaignId') ?? '' }));
  const [page, setPage] = useState(0);
  const debounced = useDebounced(form, 300);
  const campaignId = /^\d{1,9}$/.test(debounced.campaignId.trim()) ? Number(debounced.campaignId.trim()) : undefined;
  const filter = {
    vin: debounced.vin.trim() || undefined,
    campaignId,
    rxswin: debounced.rxswin.trim() || undefined,
    from: debounced.from || undefined,
    to: debounced.to || undefined,
    outcome: debounced.outcome || undefined,
  };
  const list = useQuery({ ...trpc.register.search.queryOptions({ filter, page, pageSize: PAGE_SIZE }), placeholderData: keepPreviousData });
  const set = (patch: Partial<Form>) => {
    setPage(0);
    setForm((f) => ({ ...f, ...patch }));
  };
  const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  const exportHref = (format: 'csv' | 'json') => `/api/register/export?${new URLSearchParams([['format', format], ...params])}`;
  const exportClass = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50';

  return (
    <>
      <PageHeader
        title="Compliance"
        subtitle="The UN R156 software register: for every vehicle and every update attempt that ended, what it ran before and after, the check and the consent behind it. Rows are written when the attempt ends and never changed."
      />
      <Card
        title="Software register"
        actions={
          <div className="flex gap-2">
            <a href={exportHref('csv')} download className={exportClass}>
              Export CSV
            </a>
            <a href={exportHref('json')} download className={exportClass}>
              Export JSON
            </a>
          </div>
        }
      >
        <form className="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Search the register" onSubmit={(e) => e.preventDefault()}>
          <Field label="VIN contains">
            <Input name="vin" type="search" value={form.vin} onChange={(e) => set({ vin: e.target.value })} placeholder="vinUpdate…" />
          </Field>
          <Field label="Campaign id" error={form.campaignId.trim() && campaignId === undefined && form.campaignId === debounced.campaignId ? 'A campaign id is a number' : null}>
            <Input name="campaignId" inputMode="numeric" value={form.campaignId} onChange={(e) => set({ campaignId: e.target.value })} placeholder="18" />
          </Field>
          <Field label="RXSWIN contains">
            <Input name="rxswin" type="search" value={form.rxswin} onChange={(e) => set({ rxswin: e.target.value })} placeholder="before or after" />
          </Field>
          <Field label="Ended from (UTC)">
            <Input name="from" type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} />
          </Field>
          <Field label="Ended to (UTC, included)">
            <Input name="to" type="date" value={form.to} onChange={(e) => set({ to: e.target.value })} />
          </Field>
          <Field label="Outcome">
            <Select name="outcome" value={form.outcome} onChange={(e) => set({ outcome: e.target.value as Form['outcome'] })}>
              <option value="">Any</option>
              <option value="completed">Completed</option>
              <option value="failed">Failed</option>
              <option value="declined">Declined</option>
              <option value="cancelled">Cancelled</option>
            </Select>
          </Field>
        </form>
        {list.isPending ? (
          <LoadingState label="Loading the register…" />
        ) : list.isError ? (
          <ErrorState error={list.error} retry={() => list.refetch()} />
        ) : list.data.total === 0 ? (
          <EmptyState title="No register row matches">Rows appear when a vehicle’s update attempt ends: completed, failed or declined.</EmptyState>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-600">
              {list.data.total} row{list.data.total === 1 ? '' : 's'}; the exports hold all of them, newest first.
            </p>
            <RegisterTable rows={list.data.rows} />
            <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Card>
    </>
  );
}
