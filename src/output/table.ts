/**
 * Plain-text tables for the terminal: columns aligned by display width, fitted to a width.
 *
 * {@link layoutTable} is the layer every table is built on (the quota table adds its own lines
 * under some rows); {@link renderTable} is the convenience for ordinary listings: an optional
 * header row, and one column cut with `…` until the table fits the terminal.
 */
import { displayWidth, truncateToWidth } from './text-width.js';

/**
 * One table cell: `text` is the plain text, which is measured; `out` is what is printed (the
 * same text, possibly styled with ANSI escapes, which must not count towards the width).
 */
export interface Cell {
  readonly text: string;
  readonly out: string;
}

export const EMPTY_CELL: Cell = Object.freeze({ text: '', out: '' });

/**
 * A cell for `text`, printed through `style` when given. Control characters (ESC, newlines, tabs)
 * from a server never reach the terminal: each run of them becomes one space.
 */
export function cell(text: string, style?: (text: string) => string): Cell {
  const plain = text.replace(/\p{Cc}+/gu, ' ');
  return { text: plain, out: plain === '' || style === undefined ? plain : style(plain) };
}

export interface TableLayoutOptions {
  /** Spaces between two columns. Default 2. */
  gap?: number;
  /** Spaces before the column with this index instead of `gap` (e.g. a bar that belongs to the figure before it). */
  gapBefore?: Readonly<Record<number, number>>;
  /**
   * Cut the cells of one column to at most `width` columns, ending with `…`. A cut cell is printed
   * as its plain text: its styled `out` cannot be cut without breaking the escapes.
   */
  truncate?: { column: number; width: number };
}

export interface TableLayout {
  /** One line per row, no trailing spaces (unless a last cell ends with some). */
  lines: string[];
  /** Columns taken by the widest line. */
  maxWidth: number;
  /** Width of each column (after truncation), counting only cells that are padded. */
  columnWidths: number[];
}

/** Index of the row's last non-empty cell (0 when all are empty). */
function lastFilled(cells: readonly Cell[]): number {
  let last = cells.length - 1;
  while (last > 0 && (cells[last]?.text ?? '') === '') last--;
  return last;
}

/**
 * Lay rows of cells out as aligned columns. A column is as wide as its widest cell, except that a
 * row's last non-empty cell is never padded and so does not widen its column (a short row may run
 * into the columns it leaves empty); a column empty in every row is left out with its gap. Rows may
 * have different numbers of cells.
 */
export function layoutTable(rows: readonly (readonly Cell[])[], opts: TableLayoutOptions = {}): TableLayout {
  const gap = opts.gap ?? 2;
  const cut = opts.truncate;
  const table = cut
    ? rows.map((cells) =>
        cells.map((c, i) => {
          if (i !== cut.column) return c;
          const text = truncateToWidth(c.text, cut.width);
          return text === c.text ? c : { text, out: text };
        }),
      )
    : rows;

  const ncols = Math.max(0, ...table.map((cells) => cells.length));
  const columnWidths: number[] = [];
  const present: boolean[] = [];
  for (let c = 0; c < ncols; c++) {
    columnWidths.push(Math.max(0, ...table.map((cells) => (c < lastFilled(cells) ? displayWidth(cells[c]?.text ?? '') : 0))));
    present.push(table.some((cells) => (cells[c]?.text ?? '') !== ''));
  }

  const lines: string[] = [];
  let maxWidth = 0;
  for (const cells of table) {
    const last = lastFilled(cells);
    let out = '';
    let width = 0;
    for (let c = 0; c <= last; c++) {
      const colWidth = columnWidths[c] ?? 0;
      const cl = cells[c] ?? EMPTY_CELL;
      if (!present[c] || (colWidth === 0 && cl.text === '')) continue;
      if (width > 0) {
        const g = opts.gapBefore?.[c] ?? gap;
        out += ' '.repeat(g);
        width += g;
      }
      out += cl.out;
      const cellWidth = displayWidth(cl.text);
      if (c < last) {
        out += ' '.repeat(colWidth - cellWidth);
        width += colWidth;
      } else {
        width += cellWidth;
      }
    }
    lines.push(out);
    maxWidth = Math.max(maxWidth, width);
  }
  return { lines, maxWidth, columnWidths };
}

export interface RenderTableOptions {
  /** A first row of column titles; style them by passing cells (e.g. `cell('NAME', theme.dim)`). */
  headers?: readonly (string | Cell)[];
  /** Strings are printed as they are (control characters replaced, see {@link cell}). */
  rows: readonly (readonly (string | Cell)[])[];
  /** Terminal width to fit by cutting `shrinkColumn`. Absent or not positive: no limit. */
  width?: number;
  /** Spaces between columns. Default 2. */
  gap?: number;
  /** Index of the column cut with `…` while the table is wider than `width` (e.g. a name or description). */
  shrinkColumn?: number;
  /** `shrinkColumn` is never cut below this many columns, even if the table stays too wide. Default 6. */
  shrinkMinWidth?: number;
}

/**
 * A listing such as `gh` prints: an optional header row, aligned columns, and one column cut until
 * every line fits `width`. Returns the lines joined with `\n`, without a final newline.
 */
export function renderTable(opts: RenderTableOptions): string {
  const toCell = (c: string | Cell): Cell => (typeof c === 'string' ? cell(c) : c);
  const rows = [...(opts.headers ? [opts.headers] : []), ...opts.rows].map((r) => r.map(toCell));
  const gap = opts.gap ?? 2;
  let layout = layoutTable(rows, { gap });
  const width = opts.width !== undefined && opts.width > 0 ? opts.width : Infinity;
  const column = opts.shrinkColumn;
  if (column === undefined || layout.maxWidth <= width) return layout.lines.join('\n');

  const minWidth = opts.shrinkMinWidth ?? 6;
  let limit = Math.max(0, ...rows.map((r) => displayWidth(r[column]?.text ?? '')));
  // Cutting the column by the excess is usually enough; when it is not (the widest line had the
  // column as its unpadded last cell, or not at all), cut again by what is still in excess.
  while (layout.maxWidth > width && limit > minWidth) {
    limit = Math.max(minWidth, limit - (layout.maxWidth - width));
    layout = layoutTable(rows, { gap, truncate: { column, width: limit } });
  }
  return layout.lines.join('\n');
}
