'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/client';
import { Button, Card, Field, Input } from '@/app/_components/ui';
import { parseVersions, type BuilderForm, type EcuRow } from './form-state';

type Props = {
  form: BuilderForm;
  update: (patch: Partial<BuilderForm>) => void;
  errors: Record<string, string>;
  /** Size of the chosen vehicle package's files, in bytes (null: none chosen). */
  packageBytes: number | null;
};

const MiB = 1024 * 1024;

/** UN R156 preconditions: ECUs the vehicle must have (at accepted versions) and free storage beyond the package. */
export function CompatibilitySection({ form, update, errors, packageBytes }: Props) {
  const trpc = useTRPC();
  const options = useQuery(trpc.campaigns.filterOptions.queryOptions());
  const rows = form.ecus;
  const setRows = (ecus: EcuRow[]) => update({ ecus });
  const change = (key: number, patch: Partial<EcuRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const fleetVersions = (ecuId: string) => options.data?.ecus.find((e) => e.ecuId === ecuId.trim())?.versions ?? [];

  const extra = Number(form.extraStorageMb);
  const reproMin = Number(form.minFreeStorageMb);
  const packageMb = packageBytes === null ? null : Math.ceil(packageBytes / MiB);
  const needed = packageMb === null || !Number.isFinite(extra) ? null : Math.max(packageMb + extra, Number.isFinite(reproMin) ? reproMin : 0);

  return (
    <Card
      title="Compatibility (preconditions)"
      actions={
        <Button size="sm" onClick={() => setRows([...rows, { key: Math.max(0, ...rows.map((r) => r.key)) + 1, ecuId: '', versions: '' }])} disabled={rows.length >= 50}>
          Add required ECU
        </Button>
      }
    >
      <div className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <strong className="font-medium">UN R156: checked before the update is issued.</strong> Vehicles whose last known configuration does not meet these are <strong className="font-medium">not offered</strong> the campaign; the campaign page
        lists them as blocked, with the reason. Vehicles whose configuration is unknown are asked to upload it first, and are offered the campaign once it fits.
      </div>
      <datalist id="fleet-ecus">
        {options.data?.ecus.map((e) => (
          <option key={e.ecuId} value={e.ecuId} />
        ))}
      </datalist>
      <div className="space-y-3">
        {rows.length === 0 ? <p className="text-sm text-slate-500">No ECU required: only free storage is checked. Add a required ECU to accept only vehicles running certain versions.</p> : null}
        {rows.map((row, index) => {
          const known = fleetVersions(row.ecuId);
          const typed = parseVersions(row.versions);
          return (
            <div key={row.key} className="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-[12rem_1fr_auto]" aria-label={`Required ECU ${index + 1}`}>
              <Field label="ECU id" error={errors[`preconditions.ecus.${index}.ecuId`]}>
                <Input value={row.ecuId} list="fleet-ecus" onChange={(e) => change(row.key, { ecuId: e.target.value })} placeholder="1" aria-label={`ECU id of required ECU ${index + 1}`} />
              </Field>
              <Field
                label="Accepted installed versions"
                error={errors[`preconditions.ecus.${index}.versions`] ?? errors[`preconditions.ecus.${index}.versions.0`]}
                hint={
                  <>
                    Comma-separated; empty accepts any version (the ECU must only be present).
                    {known.length ? (
                      <>
                        {' '}
                        In the fleet:{' '}
                        {known.map((v, i) => (
                          <span key={v}>
                            {i ? ', ' : ''}
                            <button
                              type="button"
                              className={`font-mono hover:underline ${typed.includes(v) ? 'text-slate-400' : 'text-blue-700'}`}
                              disabled={typed.includes(v)}
                              onClick={() => change(row.key, { versions: [...typed, v].join(', ') })}
                              title={typed.includes(v) ? 'Already accepted' : `Accept ${v}`}
                            >
                              {v}
                            </button>
                          </span>
                        ))}
                      </>
                    ) : null}
                  </>
                }
              >
                <Input value={row.versions} onChange={(e) => change(row.key, { versions: e.target.value })} placeholder="Any version" aria-label={`Accepted versions of required ECU ${index + 1}`} />
              </Field>
              <div className="pt-6">
                <Button size="sm" variant="ghost" onClick={() => setRows(rows.filter((r) => r.key !== row.key))} aria-label={`Remove required ECU ${index + 1}`}>
                  Remove
                </Button>
              </div>
            </div>
          );
        })}
        {errors['preconditions.ecus'] ? <p className="text-sm text-red-600">{errors['preconditions.ecus']}</p> : null}
        <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
          <Field label="Extra free storage (MB)" hint="Beyond the package's own size." error={errors['preconditions.minFreeStorageMb']}>
            <Input name="extraStorageMb" type="number" min={0} value={form.extraStorageMb} onChange={(e) => update({ extraStorageMb: e.target.value })} />
          </Field>
          <p className="self-center text-sm text-slate-600" aria-live="polite">
            {needed === null ? (
              'Choose a vehicle package to see the free storage each vehicle needs.'
            ) : (
              <>
                Each vehicle needs <strong className="font-medium text-slate-800">{needed.toLocaleString()} MB</strong> free: the package ({packageMb!.toLocaleString()} MB) plus {Number.isFinite(extra) ? extra.toLocaleString() : '?'} MB, and at
                least the update policy&apos;s minimum ({Number.isFinite(reproMin) ? reproMin.toLocaleString() : '?'} MB).
              </>
            )}
          </p>
        </div>
      </div>
    </Card>
  );
}
