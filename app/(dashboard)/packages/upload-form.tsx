'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTRPC } from '@/app/_trpc/client';
import { Button, Card, ErrorState, Field, Input, ProgressBar } from '@/app/_components/ui';
import { formatBytes } from '@/server/packages/format-bytes';

type Upload = { loaded: number; total: number };

/**
 * Streams the chosen file as the raw request body (not multipart) with XMLHttpRequest, so the
 * browser reports upload progress; the server hashes it on the way.
 */
export function UploadForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const limit = useQuery(trpc.packages.uploadLimit.queryOptions(undefined, { staleTime: Infinity }));
  const ecus = useQuery(trpc.campaigns.filterOptions.queryOptions());
  const known = useQuery(trpc.packages.softwarePackages.queryOptions());
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [targetEcu, setTargetEcu] = useState('');
  const [upload, setUpload] = useState<Upload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const xhr = useRef<XMLHttpRequest | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const ecuSuggestions = [...new Set([...(ecus.data?.ecus.map((e) => e.ecuId) ?? []), ...(known.data?.map((p) => p.targetEcu) ?? [])])].sort();
  const tooLarge = file && limit.data && file.size > limit.data.bytes;

  function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    const missing = [!file && 'a file', !name.trim() && 'a name', !version.trim() && 'a version', !targetEcu.trim() && 'the target ECU'].filter(Boolean);
    if (missing.length) return setError(`Choose ${missing.join(', ')}.`);
    if (!file) return;
    if (file.size === 0) return setError('The file is empty: choose a file with content.');
    if (tooLarge) return setError(`The file (${formatBytes(file.size)}) is larger than the limit of ${limit.data!.text}.`);

    const params = new URLSearchParams({ name: name.trim(), version: version.trim(), targetEcu: targetEcu.trim(), fileName: file.name });
    const request = new XMLHttpRequest();
    xhr.current = request;
    request.open('POST', `/api/packages/upload?${params}`);
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.responseType = 'json';
    request.upload.onprogress = (e) => setUpload({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    request.onload = () => {
      xhr.current = null;
      setUpload(null);
      const body = request.response as { package?: { name: string; version: string; sha256: string }; error?: { message: string } } | null;
      if (request.status === 201 && body?.package) {
        setDone(`Uploaded ${body.package.name} ${body.package.version} (sha256 ${body.package.sha256.slice(0, 12)}…).`);
        setFile(null);
        setName('');
        setVersion('');
        if (fileInput.current) fileInput.current.value = '';
        void queryClient.invalidateQueries(trpc.packages.pathFilter());
      } else {
        setError(body?.error?.message ?? `The server answered ${request.status} ${request.statusText}. Try again.`);
      }
    };
    request.onerror = () => {
      xhr.current = null;
      setUpload(null);
      setError('The upload was interrupted (the connection failed or the server closed it). Check your connection and the size limit, then try again.');
    };
    request.onabort = () => {
      xhr.current = null;
      setUpload(null);
      setError('Upload cancelled; nothing was stored.');
    };
    setUpload({ loaded: 0, total: file.size });
    request.send(file);
  }

  const busy = upload !== null;
  const percent = upload && upload.total ? (100 * upload.loaded) / upload.total : 0;

  return (
    <Card title="Upload a software package">
      <form onSubmit={submit} className="space-y-4" aria-label="Upload a software package">
        <Field
          label="File"
          hint={limit.data ? `Up to ${limit.data.text}. It is streamed to storage and its SHA-256 computed on the way.` : undefined}
          error={tooLarge ? `This file is ${formatBytes(file.size)}: over the limit of ${limit.data!.text}.` : null}
        >
          <input
            ref={fileInput}
            type="file"
            name="file"
            disabled={busy}
            onChange={(e) => {
              const chosen = e.target.files?.[0] ?? null;
              setFile(chosen);
              setDone(null);
              setError(null);
              if (chosen && !name) setName(chosen.name.replace(/\.[^.]+$/, ''));
            }}
            className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-50"
          />
          {file ? <span className="mt-1 block text-xs text-slate-500">{formatBytes(file.size)}</span> : null}
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Name">
            <Input name="name" value={name} disabled={busy} onChange={(e) => setName(e.target.value)} placeholder="Main ECU firmware" />
          </Field>
          <Field label="Version">
            <Input name="version" value={version} disabled={busy} onChange={(e) => setVersion(e.target.value)} placeholder="1.2.0" />
          </Field>
          <Field label="Target ECU" hint="The ECU id as vehicles report it">
            <Input name="targetEcu" list="known-ecus" value={targetEcu} disabled={busy} onChange={(e) => setTargetEcu(e.target.value)} placeholder="1" />
            <datalist id="known-ecus">
              {ecuSuggestions.map((ecu) => (
                <option key={ecu} value={ecu} />
              ))}
            </datalist>
          </Field>
        </div>
        {upload ? (
          <div className="space-y-1" aria-live="polite">
            <ProgressBar value={percent} />
            <div className="flex justify-between text-xs text-slate-600">
              <span>
                {percent >= 100 ? 'Checking and saving…' : `Uploading… ${formatBytes(upload.loaded)} of ${formatBytes(upload.total)}`}
              </span>
              <span className="tabular-nums">{Math.floor(percent)}%</span>
            </div>
          </div>
        ) : null}
        {error ? <ErrorState error={{ message: error }} /> : null}
        {done ? (
          <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
            {done}
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={busy || !!tooLarge}>
            {busy ? 'Uploading…' : 'Upload'}
          </Button>
          {busy ? <Button onClick={() => xhr.current?.abort()}>Cancel upload</Button> : null}
        </div>
      </form>
    </Card>
  );
}
