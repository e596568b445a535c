import { rxswinEntries } from '../vehicles/snapshot-diff';

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);

/**
 * The RXSWIN list a vehicle should report after a package that declares `packageRxswin` for
 * the ECUs `targetEcus`: entries tied to one of those ECUs take the new RXSWIN; when none is,
 * a list of one entry that names no ECU takes it; else the new RXSWIN is added for the first
 * target. A package without an RXSWIN changes nothing.
 */
export function expectedRxswin(before: unknown[] | null, packageRxswin: string | null, targetEcus: string[]): unknown[] | null {
  if (!packageRxswin) return before;
  const list = before ?? [];
  let replaced = false;
  const after = list.map((item) => {
    const ecu = text(rec(item)?.ecuId) ?? text(rec(item)?.targetId);
    if (ecu !== null && targetEcus.includes(ecu)) {
      replaced = true;
      return { ...rec(item), rxswin: packageRxswin };
    }
    return item;
  });
  const ecuOf = (item: unknown) => text(rec(item)?.ecuId) ?? text(rec(item)?.targetId);
  if (!replaced && after.length === 1 && ecuOf(after[0]) === null) return [rec(after[0]) ? { ...rec(after[0]), rxswin: packageRxswin } : packageRxswin];
  if (!replaced) after.push(targetEcus[0] ? { rxswin: packageRxswin, ecuId: targetEcus[0] } : packageRxswin);
  return after;
}

/** Readable, sorted RXSWIN entries ("R156-DEMO-0001 (ECU 1)"): the register's and the comparison's form. */
export const rxswinList = (value: unknown): string[] => rxswinEntries(value ?? []);
