'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '@/db/schema/users';
import { useTRPC } from '../../../_trpc/client';
import { Button, Card, Field, FormError, Input } from '@/app/_components/ui';
import { RoleField } from './role-field';

const empty = { email: '', name: '', role: 'support' as Role, password: '' };

/** Problems the server would refuse anyway, said before the round trip. */
function check(form: typeof empty): Partial<Record<keyof typeof empty, string>> {
  const problems: Partial<Record<keyof typeof empty, string>> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) problems.email = 'Enter a valid e-mail address';
  if (form.name.trim().length > 100) problems.name = 'At most 100 characters';
  if (form.password.length < 8) problems.password = 'At least 8 characters';
  return problems;
}

export function CreateUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(empty);
  const [touched, setTouched] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (user) => {
        setCreated(`${user.email} can sign in now as ${user.role}, with the password you set. Share it over a safe channel.`);
        setForm(empty);
        setTouched(false);
        return Promise.all([queryClient.invalidateQueries(trpc.users.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]);
      },
    }),
  );
  const problems = touched ? check(form) : {};
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => {
    setCreated(null);
    setForm({ ...form, [key]: e.target.value });
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(check(form)).length) return;
    create.mutate({ email: form.email.trim(), name: form.name.trim(), role: form.role, password: form.password });
  }

  return (
    <Card title="Add a user" className="self-start">
      <form className="space-y-4" onSubmit={submit} noValidate>
        <Field label="E-mail" error={problems.email}>
          <Input type="email" name="new-user-email" autoComplete="off" value={form.email} onChange={set('email')} placeholder="name@example.com" />
        </Field>
        <Field label="Name" hint="Shown in the header when they sign in" error={problems.name}>
          <Input name="new-user-name" autoComplete="off" value={form.name} onChange={set('name')} />
        </Field>
        <RoleField name="new-user-role" value={form.role} onChange={set('role')} />
        <Field label="Initial password" hint="At least 8 characters" error={problems.password}>
          <Input type="password" name="new-user-password" autoComplete="new-password" value={form.password} onChange={set('password')} />
        </Field>
        <FormError message={create.error?.message} />
        {created ? (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            {created}
          </p>
        ) : null}
        <Button type="submit" variant="primary" className="w-full" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add user'}
        </Button>
      </form>
    </Card>
  );
}
