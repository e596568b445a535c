'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, Button, Card, ConfirmButton, ErrorState, Input, QueryState, Table, Td, Th, Time } from '@/app/_components/ui';
import { useTRPC, type RouterOutputs } from '@/app/_trpc/client';

type Setting = RouterOutputs['vehicles']['actionSettings'][number];

const actionHelp: Record<string, string> = {
  GetActionCycle: 'How often the vehicle polls for actions',
  CarConfigInfoUploadNecessity: 'Whether the vehicle must upload its configuration',
  DispConsentInCarHMI: 'Whether the car asks the driver for consent on its screen',
};

/** The three C_03 actions: fleet default, this vehicle's override, and what the vehicle is answered. */
export function ActionOverridesCard({ vin, canOperate }: { vin: string; canOperate: boolean }) {
  const trpc = useTRPC();
  const settings = useQuery({ ...trpc.vehicles.actionSettings.queryOptions({ vin }), refetchInterval: 5000 });
  return (
    <Card title="Action overrides" actions={<span className="text-xs text-slate-500">What C_03 answers this vehicle; an override wins over the fleet default</span>}>
      <QueryState query={settings} loading="Loading actions…">
        {(list) => (
          <div className="-mx-4 -my-4">
            <Table>
              <thead className="bg-slate-50">
                <tr>
                  <Th>Action</Th>
                  <Th>Fleet default</Th>
                  <Th>This vehicle</Th>
                  <Th>Answered</Th>
                  {canOperate ? <Th>Change</Th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.map((s) => (
                  <ActionRow key={s.actionId} vin={vin} setting={s} canOperate={canOperate} />
                ))}
              </tbody>
            </Table>
            {!canOperate ? <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">Operators can set and clear this vehicle’s overrides.</p> : null}
          </div>
        )}
      </QueryState>
    </Card>
  );
}

function ActionRow({ vin, setting: s, canOperate }: { vin: string; setting: Setting; canOperate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const onSuccess = () => {
    setValue('');
    return queryClient.invalidateQueries(trpc.vehicles.actionSettings.queryFilter({ vin }));
  };
  const set = useMutation(trpc.vehicles.setOverride.mutationOptions({ onSuccess }));
  const clear = useMutation(trpc.vehicles.clearOverride.mutationOptions({ onSuccess }));
  const parsed = value.trim() === '' ? null : Number(value);
  const valid = parsed !== null && Number.isInteger(parsed) && parsed >= 0 && parsed <= 2_147_483_647;
  return (
    <tr>
      <Td>
        <div className="font-mono text-sm font-medium">{s.actionId}</div>
        <div className="text-xs text-slate-500">{actionHelp[s.actionId]}</div>
      </Td>
      <Td className="tabular-nums">{s.fleetDefault ?? <span className="text-slate-400" title="No fleet default is set: the vehicle is answered 0">not set</span>}</Td>
      <Td>
        {s.override !== null ? (
          <span className="flex flex-col items-start gap-0.5">
            <Badge tone="violet">override {s.override}</Badge>
            <span className="text-xs text-slate-500">
              since <Time value={s.overrideUpdatedAt} />
            </span>
          </span>
        ) : (
          <span className="text-slate-400">fleet default</span>
        )}
      </Td>
      <Td className="font-semibold tabular-nums">{s.effective}</Td>
      {canOperate ? (
        <Td>
          <form
            className="flex items-start gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (valid) set.mutate({ vin, actionId: s.actionId, value: parsed });
            }}
          >
            <div>
              <Input
                aria-label={`Override of ${s.actionId}`}
                inputMode="numeric"
                placeholder={s.override !== null ? String(s.override) : 'value'}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                className="w-28"
              />
              {value.trim() && !valid ? <p className="mt-1 text-xs text-red-600">A whole number from 0 to 2147483647</p> : null}
            </div>
            <Button type="submit" variant="primary" disabled={!valid || set.isPending}>
              {set.isPending ? 'Saving…' : 'Set'}
            </Button>
            {s.override !== null ? (
              <span>
                <ConfirmButton
                  label="Clear"
                  title={`Clear the override of ${s.actionId}?`}
                  message={
                    <p>
                      {vin} will be answered the fleet default ({s.fleetDefault ?? 0}) instead of {s.override} at its next action poll (C_03).
                    </p>
                  }
                  confirmLabel="Clear override"
                  pending={clear.isPending}
                  onConfirm={() => clear.mutate({ vin, actionId: s.actionId })}
                />
              </span>
            ) : null}
          </form>
          <ErrorState error={set.error ?? clear.error} />
        </Td>
      ) : null}
    </tr>
  );
}
