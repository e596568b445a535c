import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts `npm start` (the production entry on an existing `next build`) with `env` on top of
 * this process's environment, and resolves once it listens. The child is its own process
 * group leader, so that `stop` reaches tsx and node under npm.
 */
export async function startProductionServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; pid: number }> {
  const child = spawn('npm', ['start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (\S+)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code} before listening:\n${output.slice(-2000)}`)));
  });
  // Keep reading so that the pipes never fill up.
  child.stdout!.resume();
  child.stderr!.resume();
  return { url, child, pid: child.pid! };
}

/** Sends `signal` to the server's whole process group (npm, tsx, node). */
export function signalServer(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ESRCH') throw error;
  }
}
