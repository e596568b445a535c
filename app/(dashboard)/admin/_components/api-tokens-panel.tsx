'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC, type RouterOutputs } from '../../../_trpc/client';
import { Badge, Card, ConfirmButton, QueryState, Table, Td, Th, Time } from '@/app/_components/ui';
import { CreateApiTokenForm } from './create-api-token-form';

type ApiToken = RouterOutputs['apiTokens']['list'][number];

function stateOf(token: ApiToken): { label: string; tone: 'green' | 'red' | 'slate' } {
  if (token.revokedAt) return { label: 'Revoked', tone: 'red' };
  if (token.expiresAt && new Date(token.expiresAt) <= new Date()) return { label: 'Expired', tone: 'slate' };
  return { label: 'Active', tone: 'green' };
}

/** Admin → API tokens: the tokens of the REST management API, a form to make one, and revoke. */
export function ApiTokensPanel() {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.apiTokens.list.queryOptions());

  return (
    <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
      <Card title="API tokens" actions={tokens.data ? <span className="text-xs text-slate-500">{tokens.data.length === 1 ? "1 token" : `${tokens.data.length} tokens`}</span> : null}>
        <QueryState query={tokens} loading="Loading tokens…" empty={{ title: 'No API tokens yet', body: 'Create one with the form for a release pipeline or a script.' }}>
          {(list) => (
            <>
              <Table>
                <thead>
                  <tr>
                    <Th>Token</Th>
                    <Th>Role</Th>
                    <Th>Status</Th>
                    <Th>Created</Th>
                    <Th>Expires</Th>
                    <Th>Last used</Th>
                    <Th className="text-right">Access</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {list.map((t) => (
                    <TokenRow key={t.id} token={t} />
                  ))}
                </tbody>
              </Table>
              <p className="mt-3 text-xs text-slate-500">
                Requests send a token as <code>Authorization: Bearer ota_…</code>; the audit log names it <code>token:NAME</code>. The operations and their roles are in the{' '}
                <Link href="/api-docs" className="text-blue-700 underline">
                  API reference
                </Link>
                .
              </p>
            </>
          )}
        </QueryState>
      </Card>
      <CreateApiTokenForm />
    </div>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.apiTokens.revoke.mutationOptions({
      onSuccess: () => Promise.all([queryClient.invalidateQueries(trpc.apiTokens.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]),
    }),
  );
  const state = stateOf(token);
  return (
    <tr className={state.label === 'Active' ? undefined : 'bg-slate-50 text-slate-500'}>
      <Td>
        <div className="font-medium text-slate-900">{token.name}</div>
        <div className="font-mono text-xs text-slate-500">{token.prefix}…</div>
      </Td>
      <Td>{token.role}</Td>
      <Td>
        <Badge tone={state.tone}>{state.label}</Badge>
        {token.revokedAt ? (
          <div className="mt-0.5 text-xs">
            <Time value={token.revokedAt} relative />
          </div>
        ) : null}
      </Td>
      <Td className="text-xs">
        <Time value={token.createdAt} relative />
        <div className="text-slate-500">by {token.createdBy}</div>
      </Td>
      <Td className="text-xs">{token.expiresAt ? <Time value={token.expiresAt} /> : <span className="text-slate-400">Never</span>}</Td>
      <Td className="text-xs">{token.lastUsedAt ? <Time value={token.lastUsedAt} relative /> : <span className="text-slate-400">Never</span>}</Td>
      <Td className="text-right">
        {token.revokedAt ? null : (
          <ConfirmButton
            label="Revoke"
            variant="secondary"
            title={`Revoke the token "${token.name}"?`}
            message="Its next request is refused (401). This cannot be undone: create a new token if it is needed again."
            pending={revoke.isPending}
            onConfirm={() => revoke.mutate({ id: token.id })}
          />
        )}
        {revoke.error ? <p className="mt-1 text-xs text-red-600">{revoke.error.message}</p> : null}
      </Td>
    </tr>
  );
}
