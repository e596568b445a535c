// Production instances of the app for end-to-end tests that need more than Playwright's one
// webServer (which has built `.next` by the time a spec runs).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export type Instance = {
  url: string;
  port: number;
  output: () => string;
  stop: () => Promise<void>;
  /** kill -9 of the instance's whole process group (tsx and the node process it runs): no shutdown code runs. */
  kill: () => Promise<void>;
};

/** The one place that says how a production instance starts: `npm start`'s entry on the built app. */
export function productionStartCommand(): { command: string; args: string[] } {
  // What `npm start` runs once a build exists: the production entry (PORT and HOST come from the env).
  return { command: path.resolve('node_modules/.bin/tsx'), args: ['--import', './server/runtime/server-side.mjs', 'server/http/production-server.ts'] };
}

/**
 * Starts one instance with `env` on `port` and waits until /api/health answers 200. `unset`
 * names variables of this process's environment the instance must not inherit. Vehicles may
 * send unsigned requests (VEHICLE_AUTH=open) unless `env` says otherwise.
 */
export async function startProductionInstance(port: number, env: Record<string, string>, unset: string[] = []): Promise<Instance> {
  const { command, args } = productionStartCommand();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.includes(name)));
  const child: ChildProcess = spawn(command, args, { env: { ...inherited, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORT: String(port), HOST: '127.0.0.1', VEHICLE_AUTH: 'open', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the instance on port ${port} exited (${child.exitCode}):\n${output}`);
    const healthy = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the instance on port ${port} did not become healthy in 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
      await exited;
    },
  };
}
