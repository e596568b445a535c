import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { redactPaths } from './logger';

// The redaction list as the server's logger applies it, on a logger that writes to memory.
function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, log: pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, sink) };
}

describe('the log redaction', () => {
  it('never writes secrets, tokens, passwords, auth headers or bodies', () => {
    const { lines, log } = capture();
    log.info({ secret: 'whsec_abc', endpoint: { url: 'https://x', secret: 'whsec_def' }, headers: { authorization: 'Bearer t0k3n', cookie: 'next-auth=1' }, body: '{"signed":{}}', vin: 'V1' }, 'x');
    log.info({ req: { headers: { authorization: 'Bearer t0k3n' } }, user: { password: 'hunter22' }, token: 'tok' }, 'y');
    const text = JSON.stringify(lines);
    for (const secret of ['whsec_abc', 'whsec_def', 't0k3n', 'next-auth=1', '"signed"', 'hunter22', '"tok"']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ vin: 'V1', endpoint: { url: 'https://x', secret: '[redacted]' } });
  });
});
