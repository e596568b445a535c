/** A CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet does not run it. */
export function csvCell(value: string | number | boolean | Date | null): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV download read in keyset batches as the consumer pulls, so a large list is never held in
 * memory at once: the header first, then `nextBatch(after)` (rows after the key `after`, at most
 * `batchSize`, in key order) until a batch comes back short.
 */
export function csvStream<R extends { vin: string }>(options: {
  header: readonly string[];
  batchSize: number;
  nextBatch: (after: string | null) => Promise<R[]>;
  cells: (row: R) => (string | number | boolean | Date | null)[];
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: string | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${options.header.join(',')}\r\n`));
        return;
      }
      const rows = await options.nextBatch(after);
      if (rows.length) {
        after = rows[rows.length - 1]!.vin;
        controller.enqueue(encoder.encode(`${rows.map((r) => options.cells(r).map(csvCell).join(',')).join('\r\n')}\r\n`));
      }
      if (rows.length < options.batchSize) controller.close();
    },
  });
}
