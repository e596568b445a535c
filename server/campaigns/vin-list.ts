// Pure parsing of VIN lists as operators paste or upload them; the campaign builder runs it in the browser.

const splitter = /[\s,;]+/;

/** VINs pasted one per line or comma/semicolon separated; blanks dropped, duplicates kept once, order kept. */
export function parseVinText(text: string): string[] {
  return unique(text.split(splitter).map((v) => v.trim()).filter(Boolean));
}

/**
 * VINs of a CSV file: the column named `vin` (any case) when the first row is a header with
 * one, else the first column (a first row that looks like a header, e.g. "VIN", is skipped).
 */
export function parseVinCsv(text: string): string[] {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map(splitCsvLine);
  if (!rows.length) return [];
  const header = rows[0]!.map((cell) => cell.trim().toLowerCase());
  const vinColumn = header.indexOf('vin');
  const column = vinColumn >= 0 ? vinColumn : 0;
  const hasHeader = vinColumn >= 0 || !looksLikeVin(rows[0]![0] ?? '');
  return unique(
    rows
      .slice(hasHeader ? 1 : 0)
      .map((cells) => (cells[column] ?? '').trim())
      .filter(Boolean),
  );
}

/** A VIN-like token: letters and digits (and the seed's demo VINs), no spaces. */
const looksLikeVin = (value: string) => /^[A-Za-z0-9]{6,32}$/.test(value.trim()) && /\d/.test(value);

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

const unique = (values: string[]) => [...new Set(values)];
