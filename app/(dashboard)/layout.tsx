import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { getSessionUser } from '@/server/auth/session';
import { AppShell } from '../_components/app-shell';

export const dynamic = 'force-dynamic';

/** Every page but sign-in needs a session. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect('/signin');
  return <AppShell user={user}>{children}</AppShell>;
}
