// npm run bench:download: does a 1 GiB download stream with flat memory? Creates a 1 GiB
// software package in a temporary DATA_DIR (embedded database), starts the production entry
// (`--entry start`, needs `npm run build` first) or the lean one (`--entry lean`) on it,
// downloads the file over loopback through a signed C_14 URL, and samples the server's
// resident memory (RSS, from /proc) every 50 ms while it streams. Prints the RSS before, the
// peak during the download, and the throughput. Linux only (reads /proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: 'start' },
    mib: { type: 'string', default: '1024' },
    port: { type: 'string', default: '3391' },
  },
});
const root = path.resolve(import.meta.dirname, '../..');
const entries: Record<string, string> = { start: 'server/http/production-server.ts', lean: 'server/http/lean-server.ts' };
const entry = entries[values.entry];
if (!entry) throw new Error(`--entry must be start or lean, not ${values.entry}`);
if (values.entry === 'start' && !existsSync(path.join(root, '.next/BUILD_ID'))) {
  console.error('no production build: run `npm run build` first (or use --entry lean)');
  process.exit(1);
}
const size = Number(values.mib) * 1024 * 1024;
const port = Number(values.port);
const dataDir = mkdtempSync(path.join(tmpdir(), 'ota-download-bench-'));
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', URL_SIGNING_SECRET: 'download-bench-url-signing-secret-0123456789', DEMO_DATA: 'false' };
delete env.DATABASE_URL;
Object.assign(process.env, env);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The package, stored and recorded before the server starts (an embedded database has one owner at a time). */
async function createPackage(): Promise<number> {
  const { openDatabase } = await import('@/db/client');
  const { createSoftwarePackage } = await import('../packages/software-packages');
  const { getBlobStore } = await import('../storage');
  const handle = await openDatabase({ dataDir });
  try {
    const chunk = new Uint8Array(1024 * 1024).fill(0x5a);
    async function* body() {
      for (let sent = 0; sent < size; sent += chunk.byteLength) yield chunk;
    }
    const pkg = await createSoftwarePackage(handle.db, getBlobStore(), { name: 'bench', version: '1', targetEcu: '1', fileName: 'bench-1gib.bin' }, body());
    return pkg.id;
  } finally {
    await handle.close();
  }
}

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/\d+/)?.[0] ?? 0) * 1024;
}

async function startServer(): Promise<ChildProcess> {
  const args = ['--import', 'tsx', '--import', path.join(root, 'server/runtime/server-side.mjs'), path.join(root, entry!)];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.stdout!.on('data', (data: Buffer) => {
      if (data.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

function download(url: string): Promise<{ bytes: number; contentLength: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`download answered ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (data: Buffer) => (bytes += data.byteLength));
      res.on('end', () => resolve({ bytes, contentLength: res.headers['content-length'] }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

console.log(`creating a ${mib(size)} package in ${dataDir} …`);
const id = await createPackage();
const { signUrl } = await import('../storage/signed-url');
const url = signUrl(`http://127.0.0.1:${port}`, 'GET', `/cdn/v1/software-packages/${id}`, 3600);
const server = await startServer();
try {
  const pid = server.pid!;
  const before = rssOf(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  const started = performance.now();
  const result = await download(url);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(pid));
  if (result.bytes !== size) throw new Error(`received ${result.bytes} bytes of ${size}`);
  console.log(`entry: ${values.entry} (${entry})`);
  console.log(`downloaded ${mib(result.bytes)} in ${seconds.toFixed(1)} s (${(result.bytes / 1024 / 1024 / seconds).toFixed(0)} MiB/s), content-length ${result.contentLength}`);
  console.log(`server RSS: ${mib(before)} before, ${mib(peak)} peak during the download (+${mib(peak - before)})`);
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
