import { redirect } from 'next/navigation';
import { getSessionUser } from '@/server/auth/session';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

export default async function SignInPage() {
  if (await getSessionUser()) redirect('/');
  return (
    <main className="grid min-h-screen place-items-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <span className="mx-auto grid h-10 w-10 place-items-center rounded-lg bg-blue-600 text-sm font-bold text-white">OTA</span>
          <h1 className="mt-3 text-xl font-semibold">Sign in to the OTA Console</h1>
          <p className="mt-1 text-sm text-slate-500">Software updates for your fleet</p>
        </div>
        <SignInForm />
      </div>
    </main>
  );
}
