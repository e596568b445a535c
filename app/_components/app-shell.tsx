'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useState, type ReactNode } from 'react';
import type { SessionUser } from '@/server/auth/users';

const nav = [
  { href: '/', label: 'Overview' },
  { href: '/vehicles', label: 'Vehicles' },
  { href: '/campaigns', label: 'Campaigns' },
  { href: '/packages', label: 'Packages' },
  { href: '/commands', label: 'Commands' },
  { href: '/compliance', label: 'Compliance' },
  { href: '/api-docs', label: 'API' },
  { href: '/admin', label: 'Admin', role: 'admin' as const },
];

/** Header with navigation, the VIN lookup every page has, and the signed-in user. */
export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const [vin, setVin] = useState('');
  const active = (href: string) => (href === '/' ? pathname === '/' : pathname.startsWith(href));
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
            <span className="grid h-7 w-7 place-items-center rounded-md bg-blue-600 text-xs font-bold text-white">OTA</span>
            Console
          </Link>
          <nav className="flex flex-wrap gap-1 text-sm">
            {nav
              .filter((item) => !item.role || user.role === item.role)
              .map((item) => (
                <Link
                  key={item.href}
                  href={item.href}
                  className={`rounded-md px-3 py-1.5 font-medium ${active(item.href) ? 'bg-slate-100 text-slate-900' : 'text-slate-600 hover:text-slate-900'}`}
                >
                  {item.label}
                </Link>
              ))}
          </nav>
          <form
            role="search"
            className="ml-auto"
            onSubmit={(e) => {
              e.preventDefault();
              const q = vin.trim();
              if (q) router.push(`/vehicles/lookup?q=${encodeURIComponent(q)}`);
            }}
          >
            <input
              aria-label="Look up a VIN"
              placeholder="Look up a VIN…"
              value={vin}
              onChange={(e) => setVin(e.target.value)}
              className="w-56 rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-blue-500 focus:outline-none focus:ring-1 focus:ring-blue-500"
            />
          </form>
          <div className="flex items-center gap-3 text-sm">
            <span className="text-slate-600" title={user.email}>
              {user.name || user.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{user.role}</span>
            </span>
            <button type="button" className="font-medium text-slate-600 hover:text-slate-900" onClick={() => signOut({ callbackUrl: '/signin' })}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
