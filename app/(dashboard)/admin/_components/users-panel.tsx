'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, type RouterOutputs } from '../../../_trpc/client';
import { Badge, Button, Card, ConfirmButton, QueryState, Select, Table, Td, Th, Time } from '@/app/_components/ui';
import { CreateUserForm } from './create-user-form';
import { roleHelp, roleOptions } from './roles';

type User = RouterOutputs['users']['list'][number];

export function UsersPanel() {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const me = useQuery(trpc.users.me.queryOptions());

  return (
    <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
      <Card title="Users" actions={users.data ? <span className="text-xs text-slate-500">{users.data.length} accounts</span> : null}>
        <QueryState query={users} loading="Loading users…" empty={{ title: 'No users yet', body: 'Add the first one with the form.' }}>
          {(list) => (
            <>
              <Table>
                <thead>
                  <tr>
                    <Th>User</Th>
                    <Th>Role</Th>
                    <Th>Status</Th>
                    <Th>Last sign-in</Th>
                    <Th>Created</Th>
                    <Th className="text-right">Account</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {list.map((u) => (
                    <UserRow key={u.id} user={u} isMe={u.id === me.data?.id} />
                  ))}
                </tbody>
              </Table>
              <p className="mt-3 text-xs text-slate-500">
                A role change or a disabled account applies at once: a disabled user is signed out on their next click. Every change is written to the audit log.
              </p>
            </>
          )}
        </QueryState>
      </Card>
      <CreateUserForm />
    </div>
  );
}

function UserRow({ user, isMe }: { user: User; isMe: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState(user.role);
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: (saved) => {
        setRole(saved.role);
        return Promise.all([queryClient.invalidateQueries(trpc.users.pathFilter()), queryClient.invalidateQueries(trpc.audit.pathFilter())]);
      },
    }),
  );
  const changed = role !== user.role;
  const selfNote = isMe ? 'You cannot demote or disable yourself; ask another admin.' : undefined;

  return (
    <tr className={user.disabled ? 'bg-slate-50 text-slate-500' : undefined}>
      <Td>
        <div className="font-medium text-slate-900">
          {user.name || <span className="text-slate-400">No name</span>}
          {isMe ? <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span> : null}
        </div>
        <div className="text-xs text-slate-500">{user.email}</div>
      </Td>
      <Td>
        <div className="flex items-center gap-2">
          <Select
            aria-label={`Role of ${user.email}`}
            value={role}
            disabled={isMe || update.isPending}
            title={selfNote ?? roleHelp[role]}
            onChange={(e) => setRole(e.target.value as User['role'])}
            className="w-32 py-1"
          >
            {roleOptions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
          {changed ? (
            <>
              <Button size="sm" variant="primary" disabled={update.isPending} onClick={() => update.mutate({ id: user.id, role })}>
                {update.isPending ? 'Saving…' : 'Save'}
              </Button>
              <Button size="sm" variant="ghost" disabled={update.isPending} onClick={() => setRole(user.role)}>
                Undo
              </Button>
            </>
          ) : null}
        </div>
        {update.error ? <p className="mt-1 max-w-xs text-xs text-red-600">{(update.error?.message ?? null)}</p> : null}
      </Td>
      <Td>{user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</Td>
      <Td className="text-xs">{user.lastSignInAt ? <Time value={user.lastSignInAt} relative /> : <span className="text-slate-400">Never</span>}</Td>
      <Td className="text-xs">
        <Time value={user.createdAt} relative />
      </Td>
      <Td className="text-right">
        {user.disabled ? (
          <ConfirmButton
            label="Enable"
            title={`Enable ${user.email}?`}
            message={`${user.email} can sign in again with their password, as ${user.role}.`}
            pending={update.isPending}
            onConfirm={() => update.mutate({ id: user.id, disabled: false })}
          />
        ) : (
          <span title={selfNote}>
            <ConfirmButton
              label="Disable"
              variant="secondary"
              title={`Disable ${user.email}?`}
              message={`${user.email} can no longer sign in. Nothing they did is removed, and you can enable the account again at any time.`}
              disabled={isMe}
              pending={update.isPending}
              onConfirm={() => update.mutate({ id: user.id, disabled: true })}
            />
          </span>
        )}
      </Td>
    </tr>
  );
}
