// npm run fuzz -- --requests 10000 [--url http://127.0.0.1:3000] [--seed 1] [--concurrency 16] [--allow-unavailable]
//
// Sends hostile requests (server/fuzz/hostile-requests.ts) to a running server, or, without
// --url, to a vehicle-API instance it starts on a fresh embedded database. Prints the counts by
// status and exits 1 on any 5xx or request left without an answer (503 too, unless
// --allow-unavailable: for a run during a deliberate database outage).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeReport, hostileRequests, runFuzz } from './hostile-requests';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    url: { type: 'string' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '16' },
    'allow-unavailable': { type: 'boolean', default: false },
  },
});

/** Starts `npm run serve:vehicle-api` on an embedded database in a temporary folder; resolves with its URL. */
async function startLeanServer(): Promise<{ url: string; child: ChildProcess }> {
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: port, HOST: '127.0.0.1', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ota-fuzz-')) };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './server/runtime/server-side.mjs', 'server/http/lean-server.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const found = /listening on (\S+)/.exec(chunk.toString());
      if (found) resolve(found[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  return { url, child };
}

const started = values.url ? null : await startLeanServer();
const url = values.url ?? started!.url;
const requests = hostileRequests(Number(values.requests), Number(values.seed));
console.log(`fuzz: ${requests.length} hostile requests (seed ${values.seed}) to ${url}, ${values.concurrency} at a time`);
const report = await runFuzz(url, requests, { concurrency: Number(values.concurrency), allowUnavailable: values['allow-unavailable'] });
console.log(describeReport(report));
const health = await fetch(new URL('/api/health', url)).then((r) => r.status, (e: Error) => e.message);
console.log(`afterwards /api/health answers ${health}`);
started?.child.kill('SIGTERM');
process.exit(report.failures.length || health !== 200 ? 1 : 0);
