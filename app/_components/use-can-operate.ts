'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/client';

/**
 * Whether the signed-in user may change things (operator or admin). Only hides
 * buttons: the server enforces the role on every change.
 */
export function useCanOperate(): { canOperate: boolean; role: string | null } {
  const trpc = useTRPC();
  const me = useQuery(trpc.users.me.queryOptions(undefined, { staleTime: 60_000 }));
  const role = me.data?.role ?? null;
  return { canOperate: role === 'operator' || role === 'admin', role };
}
