import type { Key, ReactNode } from 'react';
import { cx } from './cx';
import { Pager } from './pager';
import { EmptyState } from './states';
import { Table, Td, Th } from './table';
import type { Empty } from './query-state';

/** One column: its header, what a row shows in it, and the cell's classes (alignment, type). */
export type Column<Row> = {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  className?: string;
  headerClassName?: string;
};

/** Columns that some viewers do not see can be left out with `cond && column`. */
export type Columns<Row> = (Column<Row> | false | null | undefined)[];

export type Paging = { page: number; pageSize: number; total: number; onPage: (page: number) => void };

/**
 * A list as a table: `columns` say what each row shows, `rows` are the data.
 * With no rows it shows `empty`; with `paging` a pager follows. `bleed` pulls the table
 * to the edges of the Card it sits in (its classes, e.g. "-mx-4 -mt-4").
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  empty,
  paging,
  bleed,
  shadedHead = Boolean(bleed),
  hover = true,
  dimmed = false,
  label,
  testId,
}: {
  columns: Columns<Row>;
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  empty?: Empty;
  paging?: Paging;
  bleed?: string;
  shadedHead?: boolean;
  hover?: boolean;
  /** Shown faded: the rows of the previous page while the next one loads. */
  dimmed?: boolean;
  label?: string;
  testId?: string;
}) {
  if (rows.length === 0 && empty) return <EmptyState title={empty.title}>{empty.body}</EmptyState>;
  const shown = columns.filter((c): c is Column<Row> => Boolean(c));
  const table = (
    <Table label={label}>
      <thead className={shadedHead ? 'bg-slate-50' : undefined}>
        <tr>
          {shown.map((c, i) => (
            <Th key={i} className={c.headerClassName}>
              {c.header}
            </Th>
          ))}
        </tr>
      </thead>
      <tbody className={cx('divide-y divide-slate-100', dimmed && 'opacity-60')} data-testid={testId}>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={hover ? 'hover:bg-slate-50' : undefined}>
            {shown.map((c, i) => (
              <Td key={i} className={c.className}>
                {c.cell(row)}
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
  return (
    <>
      {bleed ? <div className={bleed}>{table}</div> : table}
      {paging ? <Pager {...paging} /> : null}
    </>
  );
}
