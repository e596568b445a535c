'use client';

import { Button, Card, Field, Input, Select, Textarea } from '@/app/_components/ui';
import type { BuilderForm, HmiRow } from './form-state';

type Props = { form: BuilderForm; update: (patch: Partial<BuilderForm>) => void; errors: Record<string, string> };

/** The texts vehicles show the driver, one row per locale, and the locale used when the vehicle's own has none. */
export function HmiTextsSection({ form, update, errors }: Props) {
  const rows = form.hmiTexts;
  const setRows = (next: HmiRow[]) => {
    const locales = next.map((r) => r.locale.trim()).filter(Boolean);
    update({ hmiTexts: next, defaultLocale: locales.includes(form.defaultLocale) ? form.defaultLocale : (locales[0] ?? form.defaultLocale) });
  };
  const change = (key: number, patch: Partial<HmiRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const locales = [...new Set(rows.map((r) => r.locale.trim()).filter(Boolean))];

  return (
    <Card
      title="HMI texts"
      actions={
        <Button size="sm" onClick={() => setRows([...rows, { key: Math.max(0, ...rows.map((r) => r.key)) + 1, locale: '', title: '', body: '' }])}>
          Add locale
        </Button>
      }
    >
      <div className="space-y-4">
        {rows.length === 0 ? <p className="text-sm text-slate-500">No HMI texts: vehicles show their own generic message. Add a locale to write one.</p> : null}
        {rows.map((row, index) => (
          <div key={row.key} className="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-[8rem_1fr_auto]" aria-label={`HMI text ${index + 1}`}>
            <Field label="Locale" error={errors[`hmiTexts.${index}.locale`]}>
              <Input value={row.locale} onChange={(e) => change(row.key, { locale: e.target.value })} placeholder="ja-JP" aria-label={`Locale of HMI text ${index + 1}`} />
            </Field>
            <div className="space-y-2">
              <Field label="Title" error={errors[`hmiTexts.${index}.title`]}>
                <Input value={row.title} onChange={(e) => change(row.key, { title: e.target.value })} placeholder="Software update ready" aria-label={`Title of HMI text ${index + 1}`} />
              </Field>
              <Field label="Body" error={errors[`hmiTexts.${index}.body`]}>
                <Textarea rows={2} className="font-sans" value={row.body} onChange={(e) => change(row.key, { body: e.target.value })} placeholder="What changes, how long it takes, whether the car can be driven meanwhile." aria-label={`Body of HMI text ${index + 1}`} />
              </Field>
            </div>
            <div className="pt-6">
              <Button size="sm" variant="ghost" onClick={() => setRows(rows.filter((r) => r.key !== row.key))} aria-label={`Remove HMI text ${index + 1}`}>
                Remove
              </Button>
            </div>
          </div>
        ))}
        {errors['hmiTexts'] ? <p className="text-sm text-red-600">{errors['hmiTexts']}</p> : null}
        {locales.length ? (
          <div className="max-w-xs">
            <Field label="Default locale" hint="Used when a vehicle's locale has no text." error={errors['defaultLocale']}>
              <Select name="defaultLocale" value={form.defaultLocale} onChange={(e) => update({ defaultLocale: e.target.value })}>
                {locales.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null}
      </div>
    </Card>
  );
}
