import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// bcrypt costs ~80 ms of CPU per hash. Run on the event loop, 32 concurrent guessers stalled the
// vehicle polls for seconds; here it runs in a small pool of worker threads, so the event loop
// only posts a message and waits. bcryptjs stays the implementation (pure JS, no install script).

const COST = 10;

/**
 * A bcrypt hash of a random password nobody knows: an unknown or disabled account is checked
 * against it, so that it takes as long to refuse as a known one (no enumeration by timing).
 */
const DUMMY_HASH = '$2b$10$NXU7irZMkHFmO/ZnNYQAC./LhcygSdA6mVLwtZtNpBZ/CdXxCt26C';

// CommonJS, evaluated in each worker: bcryptjs is loaded from the project's node_modules.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require('node:module').createRequire(workerData.root + '/package.json')('bcryptjs');
parentPort.on('message', ({ id, op, password, hash, cost }) => {
  try {
    const result = op === 'hash' ? bcrypt.hashSync(password, cost) : bcrypt.compareSync(password, hash);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

type Job = { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };
type Slot = { worker: Worker; busy: number };
type Pending = { resolve: (value: string | boolean) => void; reject: (error: Error) => void; slot: Slot };
type Pool = { slots: Slot[]; pending: Map<number, Pending>; nextId: number; checks: number };

const POOL = Symbol.for('ota.auth.bcrypt-pool');

/** One pool per process (Next's bundle and the production entry's modules share it). */
function pool(): Pool {
  const g = globalThis as typeof globalThis & { [POOL]?: Pool };
  g[POOL] ??= { slots: [], pending: new Map(), nextId: 1, checks: 0 };
  return g[POOL];
}

function startWorker(p: Pool): Slot {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root: process.cwd() } });
  const slot: Slot = { worker, busy: 0 };
  worker.on('message', ({ id, result, error }: { id: number; result?: string | boolean; error?: string }) => {
    slot.busy--;
    const job = p.pending.get(id);
    p.pending.delete(id);
    if (!job) return;
    if (error !== undefined) job.reject(new Error(`bcrypt failed: ${error}`));
    else job.resolve(result!);
  });
  worker.on('error', (error) => {
    // A crashed worker leaves the pool; its jobs fail and the next call starts a new one.
    p.slots = p.slots.filter((s) => s !== slot);
    for (const [id, job] of p.pending) if (job.slot === slot) {
      p.pending.delete(id);
      job.reject(error);
    }
  });
  // Idle workers must not keep a CLI or a test process alive.
  worker.unref();
  return slot;
}

function run(job: Job): Promise<string | boolean> {
  const p = pool();
  // One core is left to the event loop (on 2 cores: one worker), so guessers cannot take all the CPU the polls need.
  const size = Math.max(1, Math.min(2, availableParallelism() - 1));
  let slot = p.slots.reduce<Slot | undefined>((best, s) => (!best || s.busy < best.busy ? s : best), undefined);
  if (!slot || (slot.busy > 0 && p.slots.length < size)) {
    slot = startWorker(p);
    p.slots.push(slot);
  }
  const id = p.nextId++;
  slot.busy++;
  const target = slot;
  return new Promise((resolve, reject) => {
    p.pending.set(id, { resolve, reject, slot: target });
    target.worker.postMessage({ id, ...job });
  });
}

export const hashPassword = async (password: string) => (await run({ op: 'hash', password, cost: COST })) as string;

/** True when `password` matches `hash`; with `hash` null (no such account) it checks against a dummy hash and answers false, in the same time. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  pool().checks++;
  const matches = (await run({ op: 'compare', password, hash: hash ?? DUMMY_HASH })) as boolean;
  return hash !== null && matches;
}

/** How many password checks this process has made (tests: an unknown e-mail costs one too). */
export const passwordChecks = () => pool().checks;
