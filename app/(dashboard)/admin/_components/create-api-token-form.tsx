'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '@/db/schema/users';
import { useTRPC } from '../../../_trpc/client';
import { Button, Card, Field, FormError, Input } from '@/app/_components/ui';
import { RoleField } from './role-field';

const empty = { name: '', role: 'operator' as Role, expiresInDays: '' };

function check(form: typeof empty): Partial<Record<keyof typeof empty, string>> {
  const problems: Partial<Record<keyof typeof empty, string>> = {};
  if (!form.name.trim()) problems.name = 'Give the token a name';
  if (form.expiresInDays && !/^\d+$/.test(form.expiresInDays)) problems.expiresInDays = 'Whole days, or empty for no expiry';
  return problems;
}

/** Makes a token and shows it once, with a copy button; the server keeps only its hash. */
export function CreateApiTokenForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(empty);
  const [touched, setTouched] = useState(false);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation(
    trpc.apiTokens.create.mutationOptions({
      onSuccess: ({ token, apiToken }) => {
        setCreated({ token, name: apiToken.name });
        setCopied(false);
        setForm(empty);
        setTouched(false);
        return Promise.all([queryClient.invalidateQueries(trpc.apiTokens.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]);
      },
    }),
  );
  const problems = touched ? check(form) : {};
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(check(form)).length) return;
    create.mutate({ name: form.name.trim(), role: form.role, expiresInDays: form.expiresInDays ? Number(form.expiresInDays) : undefined });
  }

  return (
    <Card title="Create an API token" className="self-start">
      {created ? (
        <div role="status" className="mb-4 space-y-2 rounded-md bg-emerald-50 px-3 py-3 text-sm text-emerald-900">
          <p className="font-medium">Token “{created.name}” created. Copy it now: it is not shown again.</p>
          <code data-testid="new-api-token" className="block break-all rounded bg-white px-2 py-1.5 font-mono text-xs text-slate-900 ring-1 ring-emerald-200">
            {created.token}
          </code>
          <div className="flex gap-2">
            <Button
              size="sm"
              variant="secondary"
              onClick={() => navigator.clipboard?.writeText(created.token).then(() => setCopied(true), () => setCopied(false))}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setCreated(null)}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
      <form className="space-y-4" onSubmit={submit} noValidate>
        <Field label="Name" hint="What uses it, e.g. “release pipeline”; the audit log names the token so" error={problems.name}>
          <Input name="new-token-name" autoComplete="off" value={form.name} onChange={set('name')} />
        </Field>
        <RoleField name="new-token-role" value={form.role} onChange={set('role')} />
        <Field label="Expires after (days)" hint="Empty: until revoked" error={problems.expiresInDays}>
          <Input name="new-token-expiry" inputMode="numeric" autoComplete="off" value={form.expiresInDays} onChange={set('expiresInDays')} placeholder="e.g. 90" />
        </Field>
        <FormError message={create.error?.message} />
        <Button type="submit" variant="primary" className="w-full" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </Button>
      </form>
    </Card>
  );
}
