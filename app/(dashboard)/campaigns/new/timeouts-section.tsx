'use client';

import { Card, Field, Input } from '@/app/_components/ui';
import type { BuilderForm } from './form-state';

type Props = { form: BuilderForm; update: (patch: Partial<BuilderForm>) => void; errors: Record<string, string> };

/** How long StartCampaign waits for its acknowledgement, how often it is handed out again, and when a silent vehicle is flagged. */
export function TimeoutsSection({ form, update, errors }: Props) {
  const ack = Number(form.ackTimeoutMinutes);
  const redeliveries = Number(form.maxRedeliveries);
  const giveUp = Number.isFinite(ack) && Number.isFinite(redeliveries) && ack > 0 && redeliveries >= 0 ? ack * (redeliveries + 1) : null;
  return (
    <Card title="Timeouts">
      <div className="grid gap-4 md:grid-cols-3">
        <Field label="StartCampaign acknowledgement timeout (minutes)" hint="A vehicle that got StartCampaign and did not act on it within this time is handed it again." error={errors['timeouts.ackTimeoutMinutes']}>
          <Input name="ackTimeoutMinutes" type="number" min={1} value={form.ackTimeoutMinutes} onChange={(e) => update({ ackTimeoutMinutes: e.target.value })} />
        </Field>
        <Field
          label="Max redeliveries"
          hint={giveUp !== null ? `After that the vehicle counts as failed in this campaign (START_TIMEOUT): ${giveUp.toLocaleString()} minutes after the first delivery.` : 'After that the vehicle counts as failed in this campaign (START_TIMEOUT).'}
          error={errors['timeouts.maxRedeliveries']}
        >
          <Input name="maxRedeliveries" type="number" min={0} value={form.maxRedeliveries} onChange={(e) => update({ maxRedeliveries: e.target.value })} />
        </Field>
        <Field label="Show a vehicle as stalled after (minutes of silence)" hint="A vehicle on its way that reports nothing for this long is flagged stalled on the campaign page." error={errors['timeouts.stallAfterMinutes']}>
          <Input name="stallAfterMinutes" type="number" min={1} value={form.stallAfterMinutes} onChange={(e) => update({ stallAfterMinutes: e.target.value })} />
        </Field>
      </div>
    </Card>
  );
}
