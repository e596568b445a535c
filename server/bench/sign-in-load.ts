// npm run bench:sign-in -- --url http://127.0.0.1:3000 [--guessers 32] [--seconds 10]
//
// What password guessers cost the vehicles: C_36 poll latency (4 clients) alone, then while
// --guessers clients post wrong passwords for unknown e-mails to next-auth as fast as they can
// (each costs a bcrypt comparison against the dummy hash). Run the server with
// SIGN_IN_MAX_FAILURES_PER_IP high, or the guessers' address is locked after 50 failures and
// they stop costing anything. Polls use --vin (default the demo's vinUpdate20231008).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    guessers: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '10' },
    vin: { type: 'string', default: 'vinUpdate20231008' },
  },
});
const base = values.url!;
const ms = Number(values.seconds) * 1000;

async function pollLatencies(until: number): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const res = await fetch(`${base}/api/ota/v1/C_36`, { method: 'POST', body: JSON.stringify({ signed: { vin: values.vin, primaryId: '0' } }) });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

async function guess(until: number): Promise<{ attempts: number; statuses: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  let attempts = 0;
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  while (performance.now() < until) {
    const body = new URLSearchParams({ csrfToken, email: `nobody-${randomUUID()}@example.com`, password: 'guess', json: 'true' });
    const res = await fetch(`${base}/api/auth/callback/credentials`, { method: 'POST', body, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    attempts++;
  }
  return { attempts, statuses };
}

const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!.toFixed(1) : '-');
const quiet = await pollLatencies(performance.now() + ms);
console.log(`C_36 alone: ${quiet.length} polls, p50 ${pct(quiet, 50)} ms, p99 ${pct(quiet, 99)} ms`);
const until = performance.now() + ms;
const [busy, guesses] = await Promise.all([pollLatencies(until), Promise.all(Array.from({ length: Number(values.guessers) }, () => guess(until)))]);
const attempts = guesses.reduce((n, g) => n + g.attempts, 0);
const statuses: Record<string, number> = {};
for (const g of guesses) for (const [k, v] of Object.entries(g.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
console.log(`C_36 with ${values.guessers} guessers (${attempts} sign-in attempts, ${(attempts / (ms / 1000)).toFixed(0)}/s, answered ${JSON.stringify(statuses)}): ${busy.length} polls, p50 ${pct(busy, 50)} ms, p99 ${pct(busy, 99)} ms`);
