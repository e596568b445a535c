'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, Button, Card, ConfirmButton, DataTable, ErrorState, Field, Input, QueryState, Textarea, Time, type Columns, type Tone } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';

type Keys = RouterOutputs['vehicles']['keys'];
type Key = Keys['keys'][number];

const statusTone: Record<Key['status'], Tone> = { active: 'green', pending: 'amber', retired: 'slate', revoked: 'red' };
const shortId = (keyid: string) => `${keyid.slice(0, 16)}…`;

const policyText: Record<Keys['vehicleAuth'], string> = {
  signature: 'This server requires every vehicle to sign every request with its enrolled key (VEHICLE_AUTH=signature).',
  'mtls-header': 'This server identifies vehicles by their TLS client certificate (VEHICLE_AUTH=mtls-header); a key enrolled here is used for signed downloads only when a vehicle signs.',
  open: 'This server accepts unsigned requests from vehicles without a key (VEHICLE_AUTH=open); a vehicle with a key must sign.',
};

/** The vehicle's public keys: the one it signs with, the history, and (operators) enrol, rotate, revoke. */
export function KeysCard({ vin, canOperate }: { vin: string; canOperate: boolean }) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.vehicles.keys.queryOptions({ vin }));
  return (
    <Card title="Vehicle key" actions={<span className="text-xs text-slate-500">ed25519 public keys this vehicle signs its requests with</span>}>
      <QueryState query={keys} loading="Loading keys…">
        {(data) => (
          <div className="space-y-4">
            <p className="text-sm text-slate-600">{policyText[data.vehicleAuth]}</p>
            <p className="text-sm">
              <span className="text-slate-500">Current key: </span>
              {data.current ? (
                <span className="font-mono" title={data.current.keyid}>
                  {shortId(data.current.keyid)} <Badge tone={statusTone[data.current.status]}>{data.current.status}</Badge>
                </span>
              ) : (
                <span className="text-slate-500">none enrolled</span>
              )}
            </p>
            <KeyHistory vin={vin} keys={data.keys} canOperate={canOperate} />
            {canOperate ? <KeyForm vin={vin} mode={data.current ? 'rotate' : 'enrol'} /> : <p className="text-xs text-slate-500">Operators can enrol, rotate and revoke keys.</p>}
          </div>
        )}
      </QueryState>
    </Card>
  );
}

function KeyHistory({ vin, keys, canOperate }: { vin: string; keys: Key[]; canOperate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.vehicles.revokeKey.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.vehicles.pathFilter()) }));
  const columns: Columns<Key> = [
    { header: 'Key id', className: 'font-mono text-xs', cell: (k) => <span title={k.keyid}>{shortId(k.keyid)}</span> },
    {
      header: 'Status',
      cell: (k) => (
        <span className="flex items-center gap-1">
          <Badge tone={statusTone[k.status]}>{k.status}</Badge>
          {k.expired ? <Badge tone="red" title="Its grace period has ended: no longer accepted">expired</Badge> : null}
        </span>
      ),
    },
    { header: 'Added', cell: (k) => <Time value={k.createdAt} /> },
    { header: 'Active since', cell: (k) => (k.activatedAt ? <Time value={k.activatedAt} /> : '—') },
    { header: 'Retired', cell: (k) => (k.retiredAt ? <Time value={k.retiredAt} /> : '—') },
    { header: 'Valid until', cell: (k) => (k.validUntil ? <Time value={k.validUntil} /> : '—') },
    canOperate && {
      header: '',
      cell: (k) =>
        (k.status === 'active' || k.status === 'pending') && !k.expired ? (
          <ConfirmButton
            label="Revoke"
            size="sm"
            title={`Revoke key ${shortId(k.keyid)}?`}
            message={<p>Requests of {vin} signed with this key are refused from now on. This cannot be undone; a revoked key is never enrolled again.</p>}
            confirmLabel="Revoke key"
            confirmVariant="danger"
            pending={revoke.isPending}
            onConfirm={() => revoke.mutate({ vin, keyid: k.keyid })}
          />
        ) : null,
    },
  ];
  return (
    <div>
      <DataTable columns={columns} rows={keys} rowKey={(k) => k.keyid} empty={{ title: 'No keys yet', body: 'This vehicle has never had a public key.' }} label="Key history" />
      <ErrorState error={revoke.error} />
    </div>
  );
}

function KeyForm({ vin, mode }: { vin: string; mode: 'enrol' | 'rotate' }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [publicKey, setPublicKey] = useState('');
  const [graceHours, setGraceHours] = useState('');
  const onSuccess = () => {
    setPublicKey('');
    setGraceHours('');
    return queryClient.invalidateQueries(trpc.vehicles.pathFilter());
  };
  const enrol = useMutation(trpc.vehicles.enrolKey.mutationOptions({ onSuccess }));
  const rotate = useMutation(trpc.vehicles.rotateKey.mutationOptions({ onSuccess }));
  const pending = enrol.isPending || rotate.isPending;
  const grace = graceHours.trim() === '' ? undefined : Number(graceHours);
  const graceValid = grace === undefined || (Number.isFinite(grace) && grace > 0 && grace <= 8760);
  return (
    <form
      className="space-y-3 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!publicKey.trim() || !graceValid) return;
        if (mode === 'enrol') enrol.mutate({ vin, publicKey });
        else rotate.mutate({ vin, publicKey, graceHours: grace });
      }}
    >
      <Field
        label={mode === 'enrol' ? 'Enrol a public key' : 'Rotate to a new public key'}
        hint={
          mode === 'enrol'
            ? 'ed25519, as SPKI PEM (-----BEGIN PUBLIC KEY-----), base64 DER or the raw 32 bytes in base64.'
            : 'The current key stays valid until the vehicle first signs with the new one, or until the grace period ends.'
        }
      >
        <Textarea rows={3} value={publicKey} onChange={(e) => setPublicKey(e.target.value)} placeholder="-----BEGIN PUBLIC KEY-----" aria-label="Public key" />
      </Field>
      {mode === 'rotate' ? (
        <Field label="Grace period (hours)" hint="Empty: the server's default (VEHICLE_KEY_GRACE_HOURS)." error={graceValid ? null : 'A number of hours from 0 to 8760'}>
          <Input inputMode="decimal" value={graceHours} onChange={(e) => setGraceHours(e.target.value)} className="w-28" aria-label="Grace period in hours" />
        </Field>
      ) : null}
      <Button type="submit" variant="primary" disabled={!publicKey.trim() || !graceValid || pending}>
        {pending ? 'Saving…' : mode === 'enrol' ? 'Enrol key' : 'Rotate key'}
      </Button>
      <ErrorState error={enrol.error ?? rotate.error} />
    </form>
  );
}
