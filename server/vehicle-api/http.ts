import type { z } from 'zod';
import { DomainError, issuesToDetails } from '../errors';
import { bufferedBodyOf, jsonText } from '../http/endpoint';
import { canonicalJson } from '../vehicle-protocol/canonical-json';
import { assertStorableJson } from '../vehicle-protocol/json-limits';
import { parseLenientJson } from '../vehicle-protocol/lenient-json';
import { signCanonical } from '../vehicle-protocol/signatures';
import type { VehicleIdentity } from '../vehicles/require-vehicle';
import { certificateNamesOf } from './client-certificate';
import { addToRequestContext } from '../logging/logger';
import { limitVehicle } from './rate-limits';
import { getServerKey } from './server-key';

export const MAX_JSON_BYTES = 1024 * 1024;

/**
 * `{"signatures": [...], "signed": {"body": …}}`: the envelope every vehicle answer uses,
 * signed with the server's current ed25519 key (server-key.ts) over the canonical JSON of `signed`.
 * `repeats`: an answer that a vehicle gets again and again (an idle vehicle's poll), whose
 * signature is remembered (repeatedSignature).
 */
export function signedResponse(body: unknown, init: ResponseInit = {}, options: { repeats?: boolean } = {}): Response {
  const signed = { body };
  const key = getServerKey();
  // Never unsigned: the keys are loaded when the database opens, which every endpoint awaits first.
  if (!key) throw new DomainError('UNAVAILABLE', 'the server signing key is not available yet; retry shortly');
  // `signed` is serialised once: its canonical JSON is both what is signed and what is sent.
  const canonical = canonicalJson(signed);
  const sign = () => JSON.stringify(signCanonical(canonical, key.privateKey, key.keyid));
  const signature = options.repeats ? repeatedSignature(`${key.keyid} ${canonical}`, sign) : sign();
  return jsonText(`{"signatures":[${signature}],"signed":${canonical}}`, init);
}

/**
 * The signatures of answers that repeat, by key id and text: ed25519 is deterministic, so the
 * signature of a text signed before is the one computed then (a poll that finds nothing for
 * the vehicle answers the same every time, and signing was a sixth of the poll's CPU). Bounded:
 * past REPEATED_SIGNATURES entries the oldest goes. A cache of a pure function: another
 * instance computes the same signatures.
 */
const REPEATED_SIGNATURES = 50_000;
const repeated = new Map<string, string>();
function repeatedSignature(text: string, sign: () => string): string {
  let signature = repeated.get(text);
  if (signature === undefined) {
    signature = sign();
    if (repeated.size >= REPEATED_SIGNATURES) repeated.delete(repeated.keys().next().value!);
    repeated.set(text, signature);
  }
  return signature;
}

/** Reads at most MAX_JSON_BYTES of the body and parses it (trailing commas tolerated). */
export async function readJsonBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > MAX_JSON_BYTES) throw tooLarge();
  const buffered = bufferedBodyOf(req);
  if (buffered && buffered.byteLength > MAX_JSON_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = buffered ? [buffered] : [];
  let size = 0;
  if (!buffered && req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_JSON_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (/(^|[^\\])(\\\\)*\\u0000|\u0000/i.test(text)) throw new DomainError('INVALID_REQUEST', 'strings must not contain the character U+0000; remove it', [{ path: '(body)', message: 'contains U+0000' }]);
  if (!text.trim()) throw new DomainError('INVALID_JSON', 'the request body is empty; send a JSON object {"signed": {...}}');
  let value: unknown;
  try {
    value = parseLenientJson(text);
  } catch (error) {
    throw new DomainError('INVALID_JSON', `the request body is not JSON: ${(error as Error).message}`);
  }
  assertStorableJson(value);
  return value;
}

const tooLarge = () => new DomainError('PAYLOAD_TOO_LARGE', `the JSON body is larger than ${MAX_JSON_BYTES} bytes; split the batch`);

/** Validates against `schema`; each problem becomes a `{path, message}` detail. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, prefix: (string | number)[] = []): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DomainError('INVALID_REQUEST', 'the request does not match the message schema; see details', issuesToDetails(result.error, prefix));
}

type Envelope = { signed: { vin: string; primaryId: string }; signatures?: unknown[] };

/**
 * Reads, size-checks, parses and validates a vehicle request in one step. The identity's
 * proof is the envelope exactly as sent: a vehicle signs what it sent, not our normalised form.
 */
export async function readVehicleMessage<T extends z.ZodType<Envelope>>(req: Request, schema: T): Promise<{ message: z.output<T>; identity: VehicleIdentity }> {
  const raw = await readJsonBody(req);
  const message = parseWith(schema, raw) as z.output<T> & Envelope;
  addToRequestContext({ vin: message.signed.vin });
  limitVehicle(message.signed.vin);
  const sent = raw as { signed: unknown; signatures?: unknown[] };
  return {
    message,
    identity: { vin: message.signed.vin, primaryId: message.signed.primaryId, proof: { signed: sent.signed, signatures: sent.signatures }, certificateNames: certificateNamesOf(req) },
  };
}

/** The origin to put into signed URLs: PUBLIC_URL, else the one the vehicle called. */
export function publicOrigin(req: Request, configured: string | undefined): string {
  if (configured) return configured.replace(/\/$/, '');
  const url = new URL(req.url);
  const claimed = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  const host = claimed && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(claimed) ? claimed : url.host;
  const proto = req.headers.get('x-forwarded-proto')?.toLowerCase() === 'https' ? 'https' : url.protocol.replace(':', '');
  return `${proto}://${host}`;
}
