import Link from 'next/link';
import type { ReactNode } from 'react';
import { getSessionUser } from '@/server/auth/session';
import { PageHeader } from '@/app/_components/ui';
import { AdminTabs } from './_components/admin-tabs';

/** Admin pages: users, action defaults, audit log, API tokens. The server enforces the role on every call; this says so up front. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (user?.role !== 'admin') {
    return (
      <>
        <PageHeader title="Admin" />
        <div role="alert" className="rounded-lg border border-amber-200 bg-amber-50 px-5 py-4 text-sm text-amber-900">
          <p className="font-medium">This page needs the admin role.</p>
          <p className="mt-1">
            You are signed in as {user?.email ?? 'someone else'}
            {user ? ` with the ${user.role} role` : ''}. Users, fleet action defaults, API tokens, webhooks and the audit log are managed by admins; ask one to change your role if you need
            access.
          </p>
          <Link href="/" className="mt-3 inline-block font-medium text-amber-900 underline">
            Back to the overview
          </Link>
        </div>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Admin" subtitle="Users and roles, the fleet’s action defaults, every change made in the console, API tokens and webhooks" />
      <AdminTabs />
      {children}
    </>
  );
}
