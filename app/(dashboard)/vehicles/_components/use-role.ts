'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/client';

/** Whether the signed-in user may change things (operator or admin); undefined while unknown. */
export function useCanOperate(): boolean | undefined {
  const trpc = useTRPC();
  const me = useQuery(trpc.users.me.queryOptions(undefined, { staleTime: 60_000 }));
  return me.data ? me.data.role === 'operator' || me.data.role === 'admin' : undefined;
}
