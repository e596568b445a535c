'use client';

import { signIn } from 'next-auth/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { Button, Field, FormError, Input } from '@/app/_components/ui';

function Form() {
  const router = useRouter();
  const params = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      onSubmit={async (e) => {
        e.preventDefault();
        setPending(true);
        setError(null);
        // A 429 from the server's front door (too many attempts from this address) is not next-auth's JSON: signIn throws.
        const result = await signIn('credentials', { email, password, redirect: false }).catch(() => ({
          error: 'Too many sign-in attempts from your network, or the server cannot be reached. Wait a minute and try again.',
        }));
        setPending(false);
        if (!result || result.error) {
          // A wrong password is "CredentialsSignin"; any other error is the server's own sentence (too many attempts, outage).
          const refused = !result || result.error === 'CredentialsSignin';
          setError(refused ? 'That e-mail and password do not match an active account. Check both and try again.' : result.error);
          return;
        }
        const next = params.get('callbackUrl');
        router.replace(next && next.startsWith('/') ? next : '/');
        router.refresh();
      }}
    >
      <Field label="E-mail">
        <Input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label="Password">
        <Input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <FormError message={error} />
      <Button type="submit" variant="primary" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

export function SignInForm() {
  return (
    <Suspense>
      <Form />
    </Suspense>
  );
}
