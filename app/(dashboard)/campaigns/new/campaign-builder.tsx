'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTRPC } from '@/app/_trpc/client';
import { Button, ButtonLink, Card, ErrorState, Field, Input, PageHeader, QueryState, Select, Textarea } from '@/app/_components/ui';
import { useCanOperate } from '@/app/_components/use-can-operate';
import { CompatibilitySection } from './compatibility-section';
import { initialForm, validateDraft, type BuilderForm } from './form-state';
import { HmiTextsSection } from './hmi-texts-section';
import { RolloutSection } from './rollout-section';
import { TargetSection } from './target-section';
import { TimeoutsSection } from './timeouts-section';
import { useTargetCount } from './use-target-count';
import { choicesOf, consentLabels, transportLabels } from '../_lib/policy-labels';

const consentChoices = choicesOf(consentLabels);
const transportChoices = choicesOf(transportLabels);

export function CampaignBuilder() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { canOperate, role } = useCanOperate();
  const packages = useQuery(trpc.packages.vehiclePackages.queryOptions());
  const [form, setForm] = useState<BuilderForm>(initialForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitted, setSubmitted] = useState(false);
  const [unknownCount, setUnknownCount] = useState<number | null>(0);
  const update = useCallback((patch: Partial<BuilderForm>) => setForm((f) => ({ ...f, ...patch })), []);
  const create = useMutation(
    trpc.campaigns.create.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries(trpc.campaigns.pathFilter());
        router.push(`/campaigns/${id}`);
      },
    }),
  );
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const targetCount = useTargetCount(form);
  const chosenPackage = packages.data?.find((p) => String(p.id) === form.vehiclePackageId);
  const packageBytes = chosenPackage ? chosenPackage.softwarePackages.reduce((sum, sp) => sum + sp.length, 0) : null;

  // After the first attempt to save, the marks follow the fields as they are corrected.
  useEffect(() => {
    if (submitted) setErrors(validateDraft(form).errors);
  }, [form, submitted]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    const { draft, errors: found } = validateDraft(form);
    setErrors(found);
    if (Object.keys(found).length || unknownCount) return;
    create.mutate(draft);
  }

  const errorCount = Object.keys(errors).length;
  const blocked = !canOperate || create.isPending || unknownCount === null || unknownCount > 0;

  return (
    <form onSubmit={submit} noValidate aria-label="New campaign">
      <PageHeader title="New campaign" subtitle="Saved as a draft: nothing reaches a vehicle until you deploy it from the campaign page." actions={<ButtonLink href="/campaigns">Back to campaigns</ButtonLink>} />
      {role && !canOperate ? (
        <div className="mb-4">
          <ErrorState error={{ message: `Creating campaigns needs the operator role; you are signed in as ${role}. You can look, not save.` }} />
        </div>
      ) : null}
      <div className="space-y-6">
        <Card title="Campaign">
          <div className="grid gap-4 md:grid-cols-2">
            <Field label="Name" error={errors['name']}>
              <Input name="name" value={form.name} onChange={(e) => update({ name: e.target.value })} placeholder="Main ECU 1.2.0 — Japan" />
            </Field>
            <Field label="Vehicle package" error={errors['vehiclePackageId']} hint={packages.data && !packages.data.length ? undefined : 'What the vehicles download and install.'}>
              <QueryState query={packages} loading="Loading vehicle packages…">
                {(list) =>
                    list.length === 0 ? (
                  <p className="text-sm text-slate-600">
                    No vehicle packages yet.{' '}
                    <Link href="/packages" className="font-medium text-blue-600 hover:underline">
                      Compose one on the Packages page
                    </Link>{' '}
                    first.
                  </p>
                ) : (
                  <Select name="vehiclePackageId" value={form.vehiclePackageId} onChange={(e) => update({ vehiclePackageId: e.target.value })}>
                    <option value="">Choose a vehicle package…</option>
                    {list.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name} {p.version} — {p.softwarePackages.map((s) => `ECU ${s.targetEcu} ${s.version}`).join(', ')}
                      </option>
                    ))}
                  </Select>
                  )
                }
              </QueryState>
            </Field>
            <Field label="Description" error={errors['description']}>
              <Textarea name="description" rows={3} className="font-sans" value={form.description} onChange={(e) => update({ description: e.target.value })} placeholder="Why this update, for the operators who follow it." />
            </Field>
            <Field label="Priority" hint="When several campaigns apply to a vehicle, the higher priority goes first." error={errors['priority']}>
              <Input name="priority" type="number" min={0} max={1000} value={form.priority} onChange={(e) => update({ priority: e.target.value })} className="max-w-32" />
            </Field>
          </div>
        </Card>

        <TargetSection form={form} update={update} error={errors['target']} filterError={errors['target.filter.ecuId']} onUnknownCount={setUnknownCount} />

        <RolloutSection form={form} update={update} errors={errors} target={targetCount} />

        <CompatibilitySection form={form} update={update} errors={errors} packageBytes={packageBytes} />

        <Card title="Update policy">
          <p className="mb-4 text-sm text-slate-600">Sent to each vehicle with the campaign: how it retries, over which connections it downloads, and the free space it keeps.</p>
          <div className="grid gap-4 md:grid-cols-3">
            <Field label="Max retries" hint="Per failed step, before the vehicle reports failure." error={errors['reproPolicy.maxRetries']}>
              <Input name="maxRetries" type="number" min={0} max={100} value={form.maxRetries} onChange={(e) => update({ maxRetries: e.target.value })} />
            </Field>
            <Field label="Min free storage (MB)" hint="The vehicle needs at least this much free space." error={errors['reproPolicy.minFreeStorageMb']}>
              <Input name="minFreeStorageMb" type="number" min={0} value={form.minFreeStorageMb} onChange={(e) => update({ minFreeStorageMb: e.target.value })} />
            </Field>
            <fieldset>
              <legend className="text-sm font-medium text-slate-700">Download over</legend>
              <div className="mt-2 flex flex-wrap gap-4">
                {transportChoices.map((t) => (
                  <label key={t.value} className="inline-flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      className="h-4 w-4 rounded border-slate-300"
                      checked={form.transports.includes(t.value)}
                      onChange={(e) => update({ transports: e.target.checked ? [...form.transports, t.value] : form.transports.filter((x) => x !== t.value) })}
                    />
                    {t.label}
                  </label>
                ))}
              </div>
              {errors['reproPolicy.transports'] ? <span className="mt-1 block text-xs text-red-600">{errors['reproPolicy.transports']}</span> : null}
            </fieldset>
          </div>
        </Card>

        <Card title="Consent">
          <div className="grid gap-4 md:grid-cols-3">
            <div className="md:col-span-1">
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="requiresConsent" className="mt-0.5 h-4 w-4 rounded border-slate-300" checked={form.requiresConsent} onChange={(e) => update({ requiresConsent: e.target.checked })} />
                <span>
                  <span className="font-medium text-slate-700">Requires consent</span>
                  <span className="block text-xs text-slate-500">The vehicle shows the HMI text below and waits for the driver to agree.</span>
                </span>
              </label>
            </div>
            <Field label="Ask the driver" hint="When the vehicle asks for consent." error={errors['reproPolicy.consent']}>
              <Select name="consent" value={form.consent} onChange={(e) => update({ consent: e.target.value as BuilderForm['consent'] })}>
                {consentChoices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Offer again after (hours) when a driver declines" hint="Empty: a driver who declines is not asked again." error={errors['reofferDeclinedAfterHours']}>
              <Input name="reofferHours" type="number" min={1} value={form.reofferHours} placeholder="Never" onChange={(e) => update({ reofferHours: e.target.value })} />
            </Field>
          </div>
        </Card>

        <HmiTextsSection form={form} update={update} errors={errors} />

        <Card title="Schedule">
          <div className="grid gap-4 md:grid-cols-3">
            <Field label="Start" hint="Empty: as soon as it is deployed." error={errors['startsAt']}>
              <Input name="startsAt" type="datetime-local" value={form.startsAt} onChange={(e) => update({ startsAt: e.target.value })} />
            </Field>
            <Field label="End" hint="Empty: no end." error={errors['endsAt']}>
              <Input name="endsAt" type="datetime-local" value={form.endsAt} onChange={(e) => update({ endsAt: e.target.value })} />
            </Field>
            <p className="self-center text-sm text-slate-500">
              Times are in your time zone, <strong className="font-medium text-slate-700">{timeZone}</strong>.
            </p>
          </div>
        </Card>

        <TimeoutsSection form={form} update={update} errors={errors} />

        <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
          <Button type="submit" variant="primary" disabled={blocked}>
            {create.isPending ? 'Saving…' : 'Save draft'}
          </Button>
          <ButtonLink href="/campaigns">Cancel</ButtonLink>
          {unknownCount ? <span className="text-sm text-red-600">Remove the {unknownCount} unknown VIN{unknownCount === 1 ? '' : 's'} first.</span> : null}
          {errorCount ? <span className="text-sm text-red-600">Fix the {errorCount === 1 ? 'marked field' : `${errorCount} marked fields`} above.</span> : null}
        </div>
        {create.error ? (
          <div className="whitespace-pre-line">
            <ErrorState error={create.error} />
          </div>
        ) : null}
      </div>
    </form>
  );
}
