'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRef, useState } from 'react';
import { Button, Card } from '@/app/_components/ui';
import { useTRPC } from '@/app/_trpc/client';
import { vehicleHref } from './_components/format';

type Problem = { path: string; message: string };

/** Upload a CSV of vehicles; the server checks the whole file and imports all of it or nothing. */
export function ImportCsv({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const importCsv = useMutation(
    trpc.vehicles.importCsv.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.vehicles.pathFilter()),
    }),
  );
  const problems = ((importCsv.error?.data as { details?: Problem[] } | undefined)?.details ?? []) as Problem[];

  const submit = async () => {
    if (!file) return;
    setReadError(null);
    importCsv.reset();
    let csv: string;
    try {
      csv = await file.text();
    } catch {
      setReadError(`The file ${file.name} could not be read. Choose it again.`);
      return;
    }
    importCsv.mutate({ csv, fileName: file.name });
  };

  return (
    <Card title="Import vehicles from CSV" className="mb-6">
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="space-y-3 text-sm text-slate-600">
          <p>
            The first line must be the header <code className="rounded bg-slate-100 px-1 font-mono">vin,model,region</code>, optionally with a{' '}
            <code className="rounded bg-slate-100 px-1 font-mono">primaryId</code> column (0 when empty) and a{' '}
            <code className="rounded bg-slate-100 px-1 font-mono">public_key</code> column (the vehicle’s ed25519 key: base64, or PEM in quotes; enrolled as its key). One vehicle per line.
          </p>
          <pre className="rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-700">{'vin,model,region,primaryId\nJT2AB12C3D4567890,Aurora EV,JP,0\nWVW1234567890ABCD,Boreal Hybrid,EU,'}</pre>
          <p>The whole file is checked first. If any line is wrong (bad VIN, a VIN twice, a VIN already registered), nothing is imported and every problem is listed with its line.</p>
        </div>
        <div className="space-y-3">
          <label className="block text-sm font-medium text-slate-700">
            CSV file
            <input
              ref={input}
              type="file"
              accept=".csv,text/csv"
              className="mt-1 block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-50"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                importCsv.reset();
              }}
            />
          </label>
          <div className="flex gap-2">
            <Button variant="primary" disabled={!file || importCsv.isPending} onClick={submit}>
              {importCsv.isPending ? 'Importing…' : 'Import'}
            </Button>
            <Button onClick={onDone}>Close</Button>
          </div>

          {readError ? <p className="text-sm text-red-700">{readError}</p> : null}
          {importCsv.isSuccess ? (
            <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
              <p className="font-medium">
                Imported {importCsv.data.imported} vehicle{importCsv.data.imported === 1 ? '' : 's'} from {file?.name}.
              </p>
              <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
                {importCsv.data.vins.map((vin) => (
                  <Link key={vin} href={vehicleHref(vin)} className="font-mono text-emerald-800 underline">
                    {vin}
                  </Link>
                ))}
                {importCsv.data.imported > importCsv.data.vins.length ? <span>and {importCsv.data.imported - importCsv.data.vins.length} more</span> : null}
              </p>
            </div>
          ) : null}
          {importCsv.isError ? (
            <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
              <p className="font-medium">{importCsv.error.message}</p>
              {problems.length ? (
                <ul className="mt-2 max-h-64 space-y-1 overflow-auto">
                  {problems.map((p, i) => (
                    <li key={i}>
                      <span className="font-mono text-xs font-semibold">{p.path}</span> — {p.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>
    </Card>
  );
}
