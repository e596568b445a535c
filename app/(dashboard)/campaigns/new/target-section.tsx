'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTRPC } from '@/app/_trpc/client';
import { Button, Card, ErrorState, Field, Select, Textarea } from '@/app/_components/ui';
import { parseVinCsv, parseVinText } from '@/server/campaigns/vin-list';
import { useDebounced } from '../_lib/use-debounced';
import type { BuilderForm, FilterForm } from './form-state';

type Props = {
  form: BuilderForm;
  update: (patch: Partial<BuilderForm>) => void;
  error?: string;
  filterError?: string;
  /** Reports how many entered VINs are not registered (null while they are being checked). */
  onUnknownCount: (count: number | null) => void;
};

const SHOWN_UNKNOWN = 30;

/** Target vehicles: VINs pasted or from a CSV, plus optionally all vehicles matching a filter (with a live count). */
export function TargetSection({ form, update, error, filterError, onUnknownCount }: Props) {
  const trpc = useTRPC();
  const vins = useMemo(() => parseVinText(form.vinText), [form.vinText]);
  const [csvNote, setCsvNote] = useState<string | null>(null);
  const [matched, setMatched] = useState<number | null>(null);

  // Unknown VINs, checked once typing pauses.
  const settledVins = useDebounced(vins, 500);
  const check = useMutation(trpc.campaigns.checkVins.mutationOptions());
  const { mutate: runCheck, reset: resetCheck } = check;
  useEffect(() => {
    if (settledVins.length) runCheck({ vins: settledVins });
    else resetCheck();
  }, [settledVins, runCheck, resetCheck]);
  const checkedCurrent = check.variables?.vins === settledVins && settledVins === vins;
  const unknown = vins.length === 0 ? [] : checkedCurrent && check.data ? check.data.unknown : null;
  const unknownCount = unknown === null ? null : unknown.length;
  useEffect(() => onUnknownCount(unknownCount), [unknownCount, onUnknownCount]);

  async function readCsv(file: File) {
    const found = parseVinCsv(await file.text());
    const merged = [...new Set([...vins, ...found])];
    update({ vinText: merged.join('\n') });
    setCsvNote(found.length ? `Read ${found.length} VIN${found.length === 1 ? '' : 's'} from ${file.name} (${merged.length - vins.length} new).` : `No VINs found in ${file.name}: use one VIN per row, in the first column or a column named "vin".`);
  }

  return (
    <Card title="Target vehicles">
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-3">
          <Field label="VINs" hint="One per line, or separated by commas. Duplicates count once.">
            <Textarea name="vins" rows={7} value={form.vinText} onChange={(e) => update({ vinText: e.target.value })} placeholder={'vinUpdate20231008\n12345678901234567'} />
          </Field>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <label className="inline-flex cursor-pointer items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 shadow-sm hover:bg-slate-50">
              Upload a CSV of VINs
              <input
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                className="sr-only"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void readCsv(file);
                  e.target.value = '';
                }}
              />
            </label>
            <span className="text-xs text-slate-500">First column, or a column named “vin”; a header row is optional.</span>
          </div>
          {csvNote ? <p className="text-xs text-slate-600">{csvNote}</p> : null}
          <VinCheck count={vins.length} unknown={unknown} checking={vins.length > 0 && unknown === null} failed={check.error ? (check.error?.message ?? null) : null} onRemoveUnknown={(list) => update({ vinText: vins.filter((v) => !list.includes(v)).join('\n') })} />
        </div>

        <div className="space-y-3">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
            <input type="checkbox" checked={form.useFilter} onChange={(e) => update({ useFilter: e.target.checked })} className="h-4 w-4 rounded border-slate-300" />
            Also target every vehicle matching a filter
          </label>
          {form.useFilter ? <FilterFields filter={form.filter} onChange={(filter) => update({ filter })} error={filterError} onCount={setMatched} /> : <p className="text-sm text-slate-500">Filter by model, region and the software version installed on an ECU; the count updates as you choose.</p>}
        </div>
      </div>
      <TargetSummary pasted={vins.length} filtered={form.useFilter ? matched : null} />
      {error ? <p className="mt-3 text-sm text-red-600">{error}</p> : null}
    </Card>
  );
}

function VinCheck({ count, unknown, checking, failed, onRemoveUnknown }: { count: number; unknown: string[] | null; checking: boolean; failed: string | null; onRemoveUnknown: (vins: string[]) => void }) {
  if (failed) return <ErrorState error={{ message: `Could not check the VINs: ${failed}` }} />;
  if (count === 0) return null;
  if (checking) return <p className="text-sm text-slate-500">{count} VIN{count === 1 ? '' : 's'} entered · checking which are registered…</p>;
  if (!unknown?.length) return <p className="text-sm text-emerald-700">{count} VIN{count === 1 ? '' : 's'} entered, all registered.</p>;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p className="font-medium">
        {unknown.length} of {count} VINs are not registered, so the campaign cannot be saved with them:
      </p>
      <ul className="mt-2 max-h-40 overflow-y-auto font-mono text-xs" aria-label="Unknown VINs">
        {unknown.slice(0, SHOWN_UNKNOWN).map((v) => (
          <li key={v}>{v}</li>
        ))}
      </ul>
      {unknown.length > SHOWN_UNKNOWN ? <p className="mt-1 text-xs">…and {unknown.length - SHOWN_UNKNOWN} more.</p> : null}
      <Button size="sm" className="mt-2" onClick={() => onRemoveUnknown(unknown)}>
        Remove the unknown VINs
      </Button>
    </div>
  );
}

function TargetSummary({ pasted, filtered }: { pasted: number; filtered: number | null }) {
  if (!pasted && filtered === null) return null;
  const parts = [pasted ? `${pasted} entered VIN${pasted === 1 ? '' : 's'}` : null, filtered !== null ? `${filtered} vehicle${filtered === 1 ? '' : 's'} from the filter` : null].filter(Boolean);
  return (
    <p className="mt-4 border-t border-slate-100 pt-3 text-sm text-slate-700">
      <span className="font-medium">Target:</span> {parts.join(' + ')}
      {pasted && filtered ? <span className="text-slate-500"> (a vehicle in both is targeted once)</span> : null}
    </p>
  );
}

function FilterFields({ filter, onChange, error, onCount }: { filter: FilterForm; onChange: (f: FilterForm) => void; error?: string; onCount: (n: number | null) => void }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.campaigns.filterOptions.queryOptions());
  const settled = useDebounced(filter, 300);
  const filterInput = { model: settled.model || undefined, region: settled.region || undefined, ecuId: settled.ecuId || undefined, softwareVersion: settled.softwareVersion || undefined };
  const valid = !filterInput.softwareVersion || !!filterInput.ecuId;
  const matches = useQuery({ ...trpc.campaigns.matchCount.queryOptions(filterInput), enabled: valid, placeholderData: keepPreviousData });
  const count = matches.data?.count ?? null;
  useEffect(() => onCount(count), [count, onCount]);
  const versions = options.data?.ecus.find((e) => e.ecuId === filter.ecuId)?.versions ?? [];
  const set = (patch: Partial<FilterForm>) => onChange({ ...filter, ...patch });

  if (options.isError) return <ErrorState error={options.error} retry={() => options.refetch()} />;
  return (
    <div className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Model">
          <Select name="model" value={filter.model} onChange={(e) => set({ model: e.target.value })}>
            <option value="">Any model</option>
            {options.data?.models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </Select>
        </Field>
        <Field label="Region">
          <Select name="region" value={filter.region} onChange={(e) => set({ region: e.target.value })}>
            <option value="">Any region</option>
            {options.data?.regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </Select>
        </Field>
        <Field label="ECU" error={error}>
          <Select name="ecuId" value={filter.ecuId} onChange={(e) => set({ ecuId: e.target.value, softwareVersion: '' })}>
            <option value="">Any ECU</option>
            {options.data?.ecus.map((e) => (
              <option key={e.ecuId} value={e.ecuId}>
                ECU {e.ecuId}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Installed version on that ECU">
          <Select name="softwareVersion" value={filter.softwareVersion} disabled={!filter.ecuId} onChange={(e) => set({ softwareVersion: e.target.value })}>
            <option value="">{filter.ecuId ? 'Any version' : 'Choose an ECU first'}</option>
            {versions.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="text-sm" aria-live="polite" data-testid="match-count">
        {matches.isError ? (
          <span className="text-red-600">{(matches.error?.message ?? null)}</span>
        ) : matches.data ? (
          <span className={matches.isFetching ? 'text-slate-400' : 'text-slate-800'}>
            <strong className="tabular-nums">{matches.data.count}</strong> vehicle{matches.data.count === 1 ? '' : 's'} match
            {!filterInput.model && !filterInput.region && !filterInput.ecuId ? ' (no filter chosen: the whole fleet)' : ''}
            {matches.data.sample.length ? <span className="block truncate font-mono text-xs text-slate-500">e.g. {matches.data.sample.join(', ')}{matches.data.count > matches.data.sample.length ? ', …' : ''}</span> : null}
          </span>
        ) : (
          <span className="text-slate-500">Counting…</span>
        )}
      </div>
    </div>
  );
}
