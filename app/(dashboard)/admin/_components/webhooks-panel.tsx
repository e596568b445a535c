'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { webhookEventTypes, type WebhookEventType } from '@/db/schema/webhook-event-types';
import { useTRPC, type RouterOutputs } from '../../../_trpc/client';
import { Badge, Button, Card, ConfirmButton, Field, FormError, Input, QueryState, Select, Table, Td, Th, Time } from '@/app/_components/ui';

type Endpoint = RouterOutputs['webhooks']['list'][number];
type Delivery = RouterOutputs['webhooks']['deliveries'][number];

const eventHelp: Record<WebhookEventType, string> = {
  'campaign.status_changed': 'A campaign is deployed, suspended, resumed, cancelled or completed',
  'campaign.suspended': 'A campaign is suspended, with the reason (also automatic suspensions)',
  'wave.started': 'A wave of a campaign is released',
  'vehicle.update_completed': 'A vehicle finished its update',
  'vehicle.update_failed': 'A vehicle’s update failed, with its error codes',
  'vehicle.blocked': 'A vehicle cannot take a campaign (preconditions), with the reason',
};

export function WebhooksPanel() {
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.webhooks.list.queryOptions());
  return (
    <div className="space-y-6">
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Card title="Endpoints" className="min-w-0 self-start" actions={endpoints.data ? <span className="text-xs text-slate-500">{endpoints.data.length} registered</span> : null}>
          <QueryState query={endpoints} loading="Loading endpoints…" empty={{ title: 'No webhook endpoints yet', body: 'Register a receiver with the form; it gets a signed POST for each event it subscribes to.' }}>
            {(list) => (
              <Table label="Webhook endpoints">
                <thead>
                  <tr>
                    <Th>URL</Th>
                    <Th>Events</Th>
                    <Th>Status</Th>
                    <Th>Created</Th>
                    <Th className="text-right">Actions</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {list.map((e) => (
                    <EndpointRow key={e.id} endpoint={e} />
                  ))}
                </tbody>
              </Table>
            )}
          </QueryState>
          <p className="mt-3 text-xs text-slate-500">
            Failed deliveries are retried with a growing wait for 24 h. An endpoint whose deliveries all fail for 24 h is disabled; enable it once the receiver works again and redeliver what it missed.
          </p>
        </Card>
        <RegisterEndpointForm />
      </div>
      <DeliveriesCard />
    </div>
  );
}

function EndpointRow({ endpoint }: { endpoint: Endpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => Promise.all([queryClient.invalidateQueries(trpc.webhooks.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]);
  const setEnabled = useMutation(trpc.webhooks.setEnabled.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: refresh }));
  const error = setEnabled.error ?? remove.error;
  return (
    <tr className={endpoint.enabled ? undefined : 'bg-slate-50'}>
      <Td>
        <div className="max-w-[16rem] truncate font-mono text-xs text-slate-900" title={endpoint.url}>
          {endpoint.url}
        </div>
        <div className="text-xs text-slate-500">by {endpoint.createdBy}</div>
      </Td>
      <Td>
        <div className="flex max-w-xs flex-wrap gap-1">
          {endpoint.events.map((t) => (
            <Badge key={t} tone="slate" title={eventHelp[t]}>
              {t}
            </Badge>
          ))}
        </div>
      </Td>
      <Td>
        {endpoint.enabled ? (
          endpoint.consecutiveFailures > 0 ? (
            <Badge tone="amber" title={`failing since ${endpoint.failingSince?.toLocaleString() ?? '?'}`}>
              Failing ({endpoint.consecutiveFailures})
            </Badge>
          ) : (
            <Badge tone="green">Enabled</Badge>
          )
        ) : (
          <>
            <Badge tone="red">Disabled</Badge>
            {endpoint.disabledReason ? <p className="mt-1 max-w-xs text-xs text-slate-600">{endpoint.disabledReason}</p> : null}
          </>
        )}
      </Td>
      <Td className="text-xs">
        <Time value={endpoint.createdAt} relative />
      </Td>
      <Td className="text-right">
        <div className="flex flex-col items-end gap-1.5">
          {endpoint.enabled ? (
            <ConfirmButton
              size="sm"
              label="Disable"
              title={`Disable ${endpoint.url}?`}
              message="Nothing more is sent to it, and its pending deliveries are marked failed (you can redeliver them after enabling it again)."
              pending={setEnabled.isPending}
              onConfirm={() => setEnabled.mutate({ id: endpoint.id, enabled: false })}
            />
          ) : (
            <Button size="sm" disabled={setEnabled.isPending} onClick={() => setEnabled.mutate({ id: endpoint.id, enabled: true })}>
              Enable
            </Button>
          )}
          <ConfirmButton
            size="sm"
            variant="danger"
            label="Delete"
            title={`Delete ${endpoint.url}?`}
            message="The endpoint and its delivery history are removed. Its receiver gets nothing more."
            pending={remove.isPending}
            onConfirm={() => remove.mutate({ id: endpoint.id })}
          />
        </div>
        {error ? <p className="mt-1 text-xs text-red-600">{error.message}</p> : null}
      </Td>
    </tr>
  );
}

const emptyForm = { url: '', secret: '', events: [...webhookEventTypes] as WebhookEventType[] };

function RegisterEndpointForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(emptyForm);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (created) => {
        setSecret({ url: created.endpoint.url, secret: created.secret });
        setForm(emptyForm);
        return Promise.all([queryClient.invalidateQueries(trpc.webhooks.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]);
      },
    }),
  );
  const toggle = (type: WebhookEventType) =>
    setForm({ ...form, events: form.events.includes(type) ? form.events.filter((t) => t !== type) : webhookEventTypes.filter((t) => t === type || form.events.includes(t)) });

  function submit(e: FormEvent) {
    e.preventDefault();
    setSecret(null);
    create.mutate({ url: form.url.trim(), events: form.events, ...(form.secret ? { secret: form.secret } : {}) });
  }

  return (
    <Card title="Register an endpoint" className="self-start">
      <form className="space-y-4" onSubmit={submit} noValidate>
        <Field label="URL" hint="Gets a POST with a JSON body for each event">
          <Input name="webhook-url" type="url" autoComplete="off" placeholder="https://hooks.example.com/ota" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
        </Field>
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Events</legend>
          <div className="space-y-1">
            {webhookEventTypes.map((t) => (
              <label key={t} className="flex items-start gap-2 text-sm text-slate-700" title={eventHelp[t]}>
                <input type="checkbox" className="mt-0.5" checked={form.events.includes(t)} onChange={() => toggle(t)} />
                <span>
                  <span className="font-mono text-xs">{t}</span>
                  <span className="block text-xs text-slate-500">{eventHelp[t]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Secret (optional)" hint="The key of X-OTA-Signature; one is generated when left empty">
          <Input name="webhook-secret" type="password" autoComplete="new-password" value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} />
        </Field>
        <FormError message={create.error?.message} />
        {secret ? (
          <div role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            <p>Registered {secret.url}. Its signing secret, shown this once: give it to the receiver now.</p>
            <code className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900">{secret.secret}</code>
          </div>
        ) : null}
        <Button type="submit" variant="primary" className="w-full" disabled={create.isPending || form.events.length === 0 || !form.url.trim()}>
          {create.isPending ? 'Registering…' : 'Register endpoint'}
        </Button>
      </form>
    </Card>
  );
}

const statusTone = { pending: 'amber', delivered: 'green', failed: 'red' } as const;

function DeliveriesCard() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<'' | Delivery['status']>('');
  const deliveries = useQuery({ ...trpc.webhooks.deliveries.queryOptions({ limit: 100, ...(status ? { status } : {}) }), refetchInterval: 5000 });
  return (
    <Card
      title="Deliveries"
      actions={
        <div className="w-40">
          <Select aria-label="Delivery status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)} className="py-1">
            <option value="">All statuses</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="failed">Failed</option>
          </Select>
        </div>
      }
    >
      <QueryState query={deliveries} loading="Loading deliveries…" empty={{ title: 'No deliveries', body: 'Events to registered endpoints show here, newest first.' }}>
        {(list) => (
          <Table label="Webhook deliveries">
            <thead>
              <tr>
                <Th>Event</Th>
                <Th>Endpoint</Th>
                <Th>Status</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Response</Th>
                <Th className="text-right">Latency</Th>
                <Th>Created</Th>
                <Th className="text-right" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.map((d) => (
                <DeliveryRow key={d.id} delivery={d} />
              ))}
            </tbody>
          </Table>
        )}
      </QueryState>
    </Card>
  );
}

function DeliveryRow({ delivery: d }: { delivery: Delivery }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const redeliver = useMutation(
    trpc.webhooks.redeliver.mutationOptions({
      onSuccess: () => Promise.all([queryClient.invalidateQueries(trpc.webhooks.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]),
    }),
  );
  return (
    <tr>
      <Td>
        <div className="font-mono text-xs text-slate-900">{d.type}</div>
        <div className="font-mono text-[11px] text-slate-400" title="X-OTA-Delivery">
          {d.eventId}
        </div>
      </Td>
      <Td>
        <div className="max-w-[10rem] truncate font-mono text-xs" title={d.endpointUrl}>
          {d.endpointUrl}
        </div>
      </Td>
      <Td>
        <Badge tone={statusTone[d.status]}>{d.status}</Badge>
        {d.status === 'pending' && d.attempts > 0 ? (
          <div className="mt-0.5 text-xs text-slate-500">
            next try <Time value={d.nextAttemptAt} relative />
          </div>
        ) : null}
      </Td>
      <Td className="text-right tabular-nums">{d.attempts}</Td>
      <Td className="text-xs">
        {d.lastStatusCode ? <span className="font-mono">HTTP {d.lastStatusCode}</span> : null}
        {d.lastError ? (
          <div className="max-w-[13rem] truncate text-red-700" title={d.lastError}>
            {d.lastError}
          </div>
        ) : null}
        {!d.lastStatusCode && !d.lastError ? <span className="text-slate-400">—</span> : null}
      </Td>
      <Td className="text-right text-xs tabular-nums">{d.lastLatencyMs !== null ? `${d.lastLatencyMs} ms` : '—'}</Td>
      <Td className="text-xs">
        <Time value={d.createdAt} relative />
        {d.deliveredAt ? (
          <div className="text-slate-500">
            delivered <Time value={d.deliveredAt} relative />
          </div>
        ) : null}
      </Td>
      <Td className="text-right">
        {d.status !== 'pending' ? (
          <Button size="sm" disabled={redeliver.isPending} onClick={() => redeliver.mutate({ deliveryId: d.id })}>
            {redeliver.isPending ? 'Queuing…' : 'Redeliver'}
          </Button>
        ) : null}
        {redeliver.error ? <p className="mt-1 max-w-[12rem] text-xs text-red-600">{redeliver.error.message}</p> : null}
      </Td>
    </tr>
  );
}
