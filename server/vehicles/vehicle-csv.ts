import type { ErrorDetail } from '../errors';
import { vinSchema } from '../vehicle-protocol/messages';
import { keyIdOf, parsePublicKey } from '../vehicle-protocol/signatures';

export const CSV_MAX_ROWS = 20_000;
const REQUIRED = ['vin', 'model', 'region'] as const;
const KNOWN = new Set(['vin', 'model', 'region', 'primaryid', 'public_key', 'publickey']);

/** A vehicle's ed25519 public key from the optional public_key column: SPKI PEM (quoted, with its line breaks), base64 DER or raw base64. */
export type CsvPublicKey = { pem: string; keyid: string };
export type CsvVehicle = { line: number; vin: string; model: string; region: string; primaryId: string; publicKey: CsvPublicKey | null };

function readKey(text: string): CsvPublicKey | string {
  try {
    const key = parsePublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') return `the public key is an ${key.asymmetricKeyType} key; vehicles sign with ed25519`;
    return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), keyid: keyIdOf(key) };
  } catch {
    return 'the public key cannot be read: give an ed25519 key as SPKI PEM, base64 DER or the raw 32 bytes in base64';
  }
}
export type ParsedCsv = { vehicles: CsvVehicle[]; problems: ErrorDetail[] };

/** RFC 4180 records with the line each starts on: quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (field !== '' || fields.length) endRecord();
  return records;
}

/**
 * Reads a vehicle CSV (header `vin,model,region[,primaryId][,public_key]`, any order and case)
 * and checks every row: VIN format, model and region present, no VIN twice, a public key (when
 * given) that is an ed25519 key. Problems name their line.
 */
export function parseVehicleCsv(text: string): ParsedCsv {
  const records = csvRecords(text);
  const problems: ErrorDetail[] = [];
  const header = records.shift();
  if (!header) return { vehicles: [], problems: [{ path: 'line 1', message: 'the file is empty; the first line must be the header vin,model,region' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = REQUIRED.filter((r) => !names.includes(r));
  const unknown = names.filter((n) => !KNOWN.has(n));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length || unknown.length || repeated.length) {
    const parts = [
      missing.length ? `missing column(s) ${missing.join(', ')}` : '',
      unknown.length ? `unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}` : '',
      repeated.length ? `repeated column(s) ${[...new Set(repeated)].join(', ')}` : '',
    ].filter(Boolean);
    problems.push({ path: `line ${header.line}`, message: `the header has ${parts.join('; ')}; expected vin,model,region and optionally primaryId and public_key` });
    return { vehicles: [], problems };
  }
  if (!records.length) return { vehicles: [], problems: [{ path: `line ${header.line + 1}`, message: 'the file has a header but no vehicles' }] };
  if (records.length > CSV_MAX_ROWS) {
    return { vehicles: [], problems: [{ path: 'file', message: `the file has ${records.length} vehicles; import at most ${CSV_MAX_ROWS} at a time` }] };
  }

  const col = (name: string) => names.indexOf(name);
  const vehicles: CsvVehicle[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, fields } of records) {
    const at = `line ${line}`;
    if (fields.length !== names.length) {
      problems.push({ path: at, message: `has ${fields.length} field(s); the header has ${names.length}` });
      continue;
    }
    const get = (name: string) => (col(name) >= 0 ? fields[col(name)]!.trim() : '');
    const vin = get('vin');
    const model = get('model');
    const region = get('region');
    const primaryId = get('primaryid') || '0';
    const keyText = get('public_key') || get('publickey');
    const key = keyText ? readKey(keyText) : null;
    const rowProblems: string[] = [];
    if (typeof key === 'string') rowProblems.push(key);
    if (!vinSchema.safeParse(vin).success) rowProblems.push(vin ? `VIN "${vin}" is not valid: use 1 to 64 characters of A-Z, a-z, 0-9, _ or -` : 'the VIN is empty');
    if (!model) rowProblems.push('the model is empty');
    else if (model.length > 100) rowProblems.push('the model is longer than 100 characters');
    if (!region) rowProblems.push('the region is empty');
    else if (region.length > 100) rowProblems.push('the region is longer than 100 characters');
    if (primaryId.length > 128) rowProblems.push('the primaryId is longer than 128 characters');
    const earlier = vin ? firstLineOf.get(vin.toLowerCase()) : undefined;
    if (earlier !== undefined) rowProblems.push(`VIN ${vin} is also on line ${earlier}`);
    else if (vin) firstLineOf.set(vin.toLowerCase(), line);
    if (rowProblems.length) problems.push({ path: at, message: rowProblems.join('; ') });
    else vehicles.push({ line, vin, model, region, primaryId, publicKey: key as CsvPublicKey | null });
  }
  return { vehicles, problems };
}
