'use client';

import { Button, Card, Field, Input, Select } from '@/app/_components/ui';
import { waveSizes } from '@/server/rollout/waves';
import { WaveSplitBar } from '../_lib/wave-split-bar';
import type { BuilderForm, WaveRow } from './form-state';
import type { TargetCount } from './use-target-count';

type Props = {
  form: BuilderForm;
  update: (patch: Partial<BuilderForm>) => void;
  errors: Record<string, string>;
  /** How many vehicles the target holds. */
  target: TargetCount;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Waves (size by count or percent), the thresholds that gate them, automatic or manual advance, and a live split preview. */
export function RolloutSection({ form, update, errors, target }: Props) {
  const targetCount = target.chosen ? target.count : null;
  const rows = form.waves;
  const setRows = (waves: WaveRow[]) => update({ waves });
  const change = (key: number, patch: Partial<WaveRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const addWave = () => setRows([...rows, { key: Math.max(0, ...rows.map((r) => r.key)) + 1, size: '', unit: rows.at(-1)?.unit ?? 'percent' }]);

  // The preview follows the rows as typed; a row not (yet) a positive number counts as empty.
  const typed = rows.map((r) => ({ size: Math.max(0, Math.floor(Number(r.size)) || 0), unit: r.unit }));
  const sizes = targetCount !== null ? waveSizes(targetCount, { waves: typed }) : null;
  const percentSum = typed.filter((w) => w.unit === 'percent').reduce((sum, w) => sum + w.size, 0);
  const empty = sizes ? sizes.map((n, i) => (n === 0 ? i + 1 : 0)).filter(Boolean) : [];
  const success = Number(form.successThreshold);
  const error = Number(form.errorThreshold);

  return (
    <Card
      title="Rollout"
      actions={
        <Button size="sm" onClick={addWave} disabled={rows.length >= 20}>
          Add wave
        </Button>
      }
    >
      <p className="mb-4 text-sm text-slate-600">
        The campaign is released wave by wave: only the first wave&apos;s vehicles get StartCampaign at deployment; each next wave waits until enough of the one before completed. Percentages are of all the campaign&apos;s vehicles; the last wave
        takes whoever is left.
      </p>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div>
          <ol className="space-y-2" aria-label="Waves">
            {rows.map((row, index) => (
              <li key={row.key} className="grid grid-cols-[4.5rem_7rem_11rem_1fr_auto] items-start gap-2" aria-label={`Wave ${index + 1}`}>
                <span className="pt-2 text-sm font-medium text-slate-700">Wave {index + 1}</span>
                <div>
                  <Input type="number" min={1} value={row.size} onChange={(e) => change(row.key, { size: e.target.value })} aria-label={`Size of wave ${index + 1}`} />
                  {errors[`rollout.waves.${index}.size`] ? <span className="mt-1 block text-xs text-red-600">{errors[`rollout.waves.${index}.size`]}</span> : null}
                </div>
                <Select value={row.unit} onChange={(e) => change(row.key, { unit: e.target.value as WaveRow['unit'] })} aria-label={`Unit of wave ${index + 1}`}>
                  <option value="percent">% of the vehicles</option>
                  <option value="count">vehicles</option>
                </Select>
                <span className="pt-2 text-sm tabular-nums text-slate-600" data-testid={`wave-preview-${index + 1}`}>
                  {sizes ? (
                    <>
                      → <strong className={sizes[index] ? 'font-medium text-slate-900' : 'font-medium text-amber-700'}>{plural(sizes[index] ?? 0, 'vehicle')}</strong>
                      {index === rows.length - 1 && rows.length > 1 ? <span className="text-slate-400"> (the rest)</span> : null}
                    </>
                  ) : null}
                </span>
                <Button size="sm" variant="ghost" className="mt-1" disabled={rows.length === 1} onClick={() => setRows(rows.filter((r) => r.key !== row.key))} aria-label={`Remove wave ${index + 1}`}>
                  Remove
                </Button>
              </li>
            ))}
          </ol>
          {errors['rollout.waves'] ? <p className="mt-2 text-sm text-red-600">{errors['rollout.waves']}</p> : null}
          <div className="mt-4 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" aria-live="polite" data-testid="wave-preview">
            {!target.chosen ? (
              <span className="text-slate-500">Choose the target vehicles above to see how many each wave gets.</span>
            ) : target.error ? (
              <span className="text-red-600">Could not count the target vehicles: {target.error}</span>
            ) : targetCount === null ? (
              <span className="text-slate-500">{target.counting ? 'Counting the target vehicles…' : 'Finish choosing the target vehicles above to see how many each wave gets.'}</span>
            ) : targetCount === 0 ? (
              <span className="text-slate-500">No registered vehicle targeted yet: every wave is empty.</span>
            ) : (
              <>
                <div className="mb-2 font-medium text-slate-700">
                  {plural(targetCount, 'targeted vehicle')} in {plural(rows.length, 'wave')}
                  {target.counting ? <span className="ml-2 text-xs font-normal text-slate-400">counting…</span> : null}
                </div>
                <WaveSplitBar sizes={sizes ?? []} />
                {percentSum > 100 && !errors['rollout.waves'] ? <p className="mt-2 text-amber-700">The percentages add up to {percentSum}%: the waves after 100% get nobody.</p> : null}
                {empty.length && percentSum <= 100 ? (
                  <p className="mt-2 text-amber-700">
                    {empty.length === 1 ? 'Wave' : 'Waves'} {empty.join(', ')} would get no vehicle with {plural(targetCount, 'vehicle')} targeted: an empty wave passes at once.
                  </p>
                ) : null}
              </>
            )}
          </div>
        </div>

        <div className="space-y-4">
          <div className="grid grid-cols-2 gap-4">
            <Field label="Success threshold (%)" hint="Completed share of a wave before the next one starts." error={errors['rollout.successThreshold']}>
              <Input name="successThreshold" type="number" min={1} max={100} value={form.successThreshold} onChange={(e) => update({ successThreshold: e.target.value })} />
            </Field>
            <Field label="Error threshold (%)" hint="Failed share of a wave that suspends the campaign." error={errors['rollout.errorThreshold']}>
              <Input name="errorThreshold" type="number" min={1} max={100} value={form.errorThreshold} onChange={(e) => update({ errorThreshold: e.target.value })} />
            </Field>
          </div>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="autoAdvance" className="mt-0.5 h-4 w-4 rounded border-slate-300" checked={form.autoAdvance} onChange={(e) => update({ autoAdvance: e.target.checked })} />
            <span>
              <span className="font-medium text-slate-700">Start the next wave automatically</span>
              <span className="block text-xs text-slate-500">Otherwise the campaign waits at the success threshold until an operator starts the next wave on the campaign page.</span>
            </span>
          </label>
          <p className="rounded-md bg-blue-50 px-3 py-2 text-xs text-blue-900">
            {success >= 1 && success <= 100 && error >= 1 && error <= 100 ? (
              <>
                When {success}% of a wave&apos;s vehicles completed, {rows.length > 1 ? (form.autoAdvance ? 'the next wave starts on its own' : 'the next wave waits for your click') : 'the campaign completes once nobody is left on the way'}. When {error}% of
                a wave&apos;s vehicles failed, the campaign suspends itself and says why. Vehicles not offered the campaign (see Compatibility) do not count.
              </>
            ) : (
              'Enter both thresholds between 1% and 100%.'
            )}
          </p>
        </div>
      </div>
    </Card>
  );
}
