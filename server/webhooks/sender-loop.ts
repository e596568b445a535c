import type { Db } from '@/db/client';
import { logger } from '../logging/logger';
import { sendDueWebhooks, type SenderOptions } from './sender';

const LOOP = Symbol.for('ota.webhook-sender');
type Loop = { timer: NodeJS.Timeout | null; running: boolean; stopped: boolean; wake: () => void; stop: () => Promise<void> };
type LoopGlobal = typeof globalThis & { [LOOP]?: Loop };

/**
 * The webhook sender of this process: every `intervalMs` (and at once when woken) it sends the
 * due deliveries, round after round while rounds come back full. Every instance runs one;
 * SKIP LOCKED and the lease keep them off each other's deliveries. Once per process.
 */
export function startWebhookSender(getDb: () => Promise<Db>, options: SenderOptions, intervalMs = 1000): Loop {
  const g = globalThis as LoopGlobal;
  if (g[LOOP] && !g[LOOP].stopped) return g[LOOP];
  let current: Promise<void> = Promise.resolve();
  const loop: Loop = {
    timer: null,
    running: false,
    stopped: false,
    wake: () => {
      if (loop.running || loop.stopped) return;
      if (loop.timer) clearTimeout(loop.timer);
      current = tick();
    },
    stop: async () => {
      loop.stopped = true;
      if (loop.timer) clearTimeout(loop.timer);
      await current;
    },
  };
  const batchSize = options.batchSize ?? 10;
  async function tick(): Promise<void> {
    loop.running = true;
    try {
      const db = await getDb();
      for (;;) {
        const round = await sendDueWebhooks(db, options);
        if (round.claimed < batchSize || loop.stopped) break;
      }
    } catch (error) {
      logger.error({ err: error }, 'webhook sender round failed');
    } finally {
      loop.running = false;
      if (!loop.stopped) {
        loop.timer = setTimeout(() => (current = tick()), intervalMs);
        loop.timer.unref();
      }
    }
  }
  loop.timer = setTimeout(() => (current = tick()), intervalMs);
  loop.timer.unref();
  g[LOOP] = loop;
  return loop;
}

/** After a commit that wrote deliveries: send now rather than at the next tick (no-op without a sender). */
export function wakeWebhookSender(): void {
  (globalThis as LoopGlobal)[LOOP]?.wake();
}
