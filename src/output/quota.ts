/**
 * Token Plan quota and pay-as-you-go balance for the terminal: the quota table, the `--quiet`
 * TSV and the balance lines. The payloads are parsed in api/resources/account.ts.
 *
 * Pure functions only: no IO, no module-level mutable state.
 */
import { type Balance, type QuotaRow, type QuotaWindow, type SentInterval, amountValue, countsOf } from '../api/resources/account.js';
import { type Cell, EMPTY_CELL, type TableLayout, cell, layoutTable } from './table.js';
import { terminalSafe } from './terminal-text.js';
import { displayWidth } from './text-width.js';
import { PLAIN_THEME, type Theme } from './theme.js';

// ---------------------------------------------------------------------------------------------
// Types

export type QuotaLevel = 'ok' | 'warn' | 'bad';

type Style = (s: string) => string;

export interface RenderQuotaOptions {
  /** Colours (the CLI passes its theme). Default: no colour. */
  color?: Theme;
  /** Terminal width; the layout gets more compact until it fits. Default: unlimited. */
  width?: number;
  /** Epoch ms; used to compute the reset time from `endsAt` when `resetsInMs` is missing. */
  now?: number;
}

// ---------------------------------------------------------------------------------------------
// Shared formatting helpers

/** Remaining share of a window in percent (can exceed 100 with a boost); undefined if not in plan. */
export function remainingPercent(w: QuotaWindow): number | undefined {
  switch (w.kind) {
    case 'percent':
      return w.remainingPercent;
    case 'count':
      return w.total > 0 ? (w.remaining / w.total) * 100 : undefined;
    case 'not-in-plan':
      return undefined;
  }
}

/** ok when ≥ 50 % left, warn from 20 % up to 50 %, bad below 20 %; undefined if not in plan. */
export function quotaLevel(w: QuotaWindow): QuotaLevel | undefined {
  const p = remainingPercent(w);
  if (p === undefined) return undefined;
  if (p >= 50) return 'ok';
  if (p >= 20) return 'warn';
  return 'bad';
}

/**
 * Compact duration: `<1m`, `42m`, `2h 5m`, `2h`, `3d 4h`, `3d` (whole units, rounded down).
 * Zero or negative → `0m`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0m';
  const totalMin = Math.floor(ms / 60_000);
  if (totalMin < 1) return '<1m';
  const days = Math.floor(totalMin / 1440);
  const hours = Math.floor((totalMin % 1440) / 60);
  const mins = totalMin % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return mins > 0 ? `${hours}h ${mins}m` : `${hours}h`;
  return `${mins}m`;
}

/** Up to one decimal, no trailing `.0`: 97 → "97", 84.8 → "84.8", 84.85 → "84.9". */
function fmtNum(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** 2000 → "2", 1500 → "1.5", 1250 → "1.25". */
function fmtMultiplier(permille: number): string {
  return String(Math.round(permille / 10) / 100);
}

function resetsIn(w: QuotaWindow, now: number | undefined): number | undefined {
  // Prefer the server-relative figure: immune to local clock skew, and the response is fresh.
  if (w.resetsInMs !== undefined) return w.resetsInMs;
  if (w.endsAt !== undefined && now !== undefined) return w.endsAt - now;
  return undefined;
}

const identity: Style = (s) => s;

// ---------------------------------------------------------------------------------------------
// renderQuotaTable

/** Column order: model, interval figure, bar, weekly figure, reset, [boost note]. */
const BAR_COL = 2;

interface Layout {
  bar: number;
  gap: number;
  week: string;
  resets: string;
  notesInline: boolean;
}

/** Tried in order; the first whose widest line fits `width` wins. */
const LAYOUTS: readonly Layout[] = [
  { bar: 10, gap: 2, week: 'week', resets: 'resets in', notesInline: true },
  { bar: 10, gap: 2, week: 'wk', resets: 'in', notesInline: true },
  { bar: 10, gap: 2, week: 'wk', resets: 'in', notesInline: false },
  { bar: 5, gap: 2, week: 'wk', resets: 'in', notesInline: false },
  { bar: 5, gap: 1, week: 'wk', resets: 'in', notesInline: false },
  { bar: 0, gap: 1, week: 'wk', resets: 'in', notesInline: false },
];

function levelStyle(theme: Theme, level: QuotaLevel | undefined): Style {
  return level === undefined ? theme.dim : theme[level];
}

function figure(w: QuotaWindow): string {
  switch (w.kind) {
    case 'percent':
      return `${fmtNum(w.remainingPercent)}% left`;
    case 'count':
      return `${w.remaining}/${w.total} left`;
    case 'not-in-plan':
      return 'not in plan';
  }
}

function barCell(w: QuotaWindow, cells: number, theme: Theme): Cell {
  if (cells <= 0) return EMPTY_CELL;
  const p = remainingPercent(w);
  if (p === undefined) return EMPTY_CELL;
  const frac = Math.min(1, Math.max(0, p / 100));
  let filled = Math.round(frac * cells);
  // Full only at ≥ 100 %, empty only at 0 %.
  if (frac < 1 && filled === cells) filled = cells - 1;
  if (frac > 0 && filled === 0) filled = 1;
  const a = '█'.repeat(filled);
  const b = '░'.repeat(cells - filled);
  const style = levelStyle(theme, quotaLevel(w));
  return { text: a + b, out: (a ? style(a) : '') + (b ? theme.dim(b) : '') };
}

function boostNote(row: QuotaRow, layout: Layout): string {
  const ib = row.interval.kind === 'percent' ? row.interval.boostPermille : undefined;
  const wb = row.weekly?.kind === 'percent' ? row.weekly.boostPermille : undefined;
  const iOn = ib !== undefined && ib > 1000;
  const wOn = wb !== undefined && wb > 1000;
  if (iOn && wOn && ib === wb) return `boost ×${fmtMultiplier(ib)}`;
  const parts: string[] = [];
  if (iOn) parts.push(`boost ×${fmtMultiplier(ib)}`);
  if (wOn) parts.push(`${layout.week} ${iOn ? '' : 'boost '}×${fmtMultiplier(wb)}`);
  return parts.join(', ');
}

interface BuiltRow {
  cells: Cell[];
  note: Cell;
}

function buildRow(row: QuotaRow, layout: Layout, theme: Theme, now: number | undefined): BuiltRow {
  const iv = row.interval;
  // cell() keeps control characters (including ESC) from the server off the terminal.
  const model = cell(row.model, theme.bold);
  if (iv.kind === 'not-in-plan') {
    return { cells: [model, cell('not in plan', theme.dim), EMPTY_CELL, EMPTY_CELL, EMPTY_CELL], note: EMPTY_CELL };
  }
  const ivFig = cell(figure(iv), levelStyle(theme, quotaLevel(iv)));
  const bar = barCell(iv, layout.bar, theme);
  const wk = row.weekly;
  const wkFig = wk
    ? cell(`${layout.week} ${figure(wk)}`, wk.kind === 'not-in-plan' ? theme.dim : levelStyle(theme, quotaLevel(wk)))
    : EMPTY_CELL;
  const ms = resetsIn(iv, now);
  const reset = ms === undefined ? EMPTY_CELL : cell(`${layout.resets} ${formatDuration(ms)}`, theme.dim);
  const noteText = boostNote(row, layout);
  const note = noteText === '' ? EMPTY_CELL : cell(noteText, theme.dim);
  return { cells: [model, ivFig, bar, wkFig, reset], note };
}

type QuotaTableLayout = Pick<TableLayout, 'lines' | 'maxWidth'>;

function layoutQuotaTable(built: BuiltRow[], layout: Layout, modelMax: number | undefined): QuotaTableLayout {
  // A row's last cell is never padded, so a "not in plan" row may run into the bar column.
  const table = layoutTable(
    built.map((b) => (layout.notesInline && b.note.text !== '' ? [...b.cells, b.note] : b.cells)),
    {
      gap: layout.gap,
      // The bar belongs to the figure before it: always a single space between them.
      gapBefore: { [BAR_COL]: 1 },
      truncate: modelMax === undefined ? undefined : { column: 0, width: modelMax },
    },
  );
  if (layout.notesInline) return table;

  // Boost notes that are not inline go on their own line, under the interval figure.
  const indent = (table.columnWidths[0] ?? 0) + layout.gap;
  const lines: string[] = [];
  let maxWidth = table.maxWidth;
  built.forEach((b, i) => {
    lines.push(table.lines[i] ?? '');
    if (b.note.text !== '') {
      lines.push(' '.repeat(indent) + b.note.out);
      maxWidth = Math.max(maxWidth, indent + displayWidth(b.note.text));
    }
  });
  return { lines, maxWidth };
}

/**
 * A plain-text quota table, one line per bucket:
 *
 *     MiniMax-M*  228/1500 left ██░░░░░░░░                     resets in 1h 59m
 *     speech-hd   9000/9000 left ██████████  week 63000/63000 left  resets in 20h 59m
 *     general     97% left      █████████░  week 96% left      resets in 1m  boost ×2, week ×3
 *     video       not in plan
 *
 * The bar shows what is LEFT (full = 100 %). Colours: ok ≥ 50 % left, warn 20–50 %, bad < 20 %.
 * With `width`, the layout is made more compact step by step (shorter labels, boost note on its
 * own line, a 5-cell bar, single-space gaps, no bar, then truncated model names) until it fits.
 */
export function renderQuotaTable(rows: QuotaRow[], opts: RenderQuotaOptions = {}): string {
  const theme = opts.color ?? PLAIN_THEME;
  if (rows.length === 0) return theme.dim('No Token Plan quota buckets returned.');
  const width = opts.width !== undefined && opts.width > 0 ? opts.width : Infinity;

  let table: QuotaTableLayout | undefined;
  let chosen: Layout | undefined;
  let built: BuiltRow[] = [];
  for (const layout of LAYOUTS) {
    built = rows.map((r) => buildRow(r, layout, theme, opts.now));
    table = layoutQuotaTable(built, layout, undefined);
    chosen = layout;
    if (table.maxWidth <= width) break;
  }
  if (table && chosen && table.maxWidth > width) {
    // Still too wide: give the model column whatever is left (at least 6 columns).
    const modelW = Math.max(0, ...rows.map((r) => displayWidth(r.model)));
    const excess = table.maxWidth - width;
    table = layoutQuotaTable(built, chosen, Math.max(6, modelW - excess));
  }
  return (table?.lines ?? []).join('\n');
}

// ---------------------------------------------------------------------------------------------
// renderQuotaQuiet

/**
 * `--quiet` output, mmx-cli 1.0.27's TSV: one line per bucket, no header, no colour, for the
 * interval (5-hour) window:
 *
 *   model<TAB>used<TAB>total<TAB>remaining     when the counts can be read (see countsOf)
 *   model<TAB>-<TAB>total<TAB>NN%              otherwise: the total as sent (0 in the percent era)
 *                                              and the remaining percent as sent, or `-`
 *
 * The model name has control characters (tabs, newlines) replaced by a space, so a row is
 * always four fields.
 */
export function renderQuotaQuiet(buckets: readonly SentInterval[]): string {
  return buckets
    .map((sent) => {
      const model = sent.model.replace(/\p{Cc}+/gu, ' ');
      const counts = countsOf(sent.usage, sent.total, sent.percent);
      if (counts) return [model, counts.used, counts.total, counts.remaining].join('\t');
      return [model, '-', sent.total ?? '-', sent.percent === undefined ? '-' : `${sent.percent}%`].join('\t');
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// renderBalance

/**
 * Aligned key/value lines, amounts aligned on the decimal point:
 *
 *     Available  98.00
 *     Cash        0.00
 *     …
 *     Alert at    5.00
 *
 * Available is bad when ≤ 0, warn when at or below an enabled alert threshold, ok otherwise;
 * Owed is bad when > 0. Missing fields are left out.
 */
export function renderBalance(b: Balance, t: Theme = PLAIN_THEME): string {
  const amount = (s: string | undefined): number | undefined => (s === undefined ? undefined : amountValue(s));

  const entries: { label: string; value: string; style: Style }[] = [];
  const avail = amount(b.available);
  const threshold = b.alertEnabled ? amount(b.alertThreshold) : undefined;
  const availStyle: Style =
    avail === undefined ? identity : avail <= 0 ? t.bad : threshold !== undefined && avail <= threshold ? t.warn : t.ok;
  if (b.available !== undefined) {
    entries.push({ label: 'Available', value: b.available, style: (s) => t.bold(availStyle(s)) });
  }
  if (b.cash !== undefined) entries.push({ label: 'Cash', value: b.cash, style: identity });
  if (b.voucher !== undefined) entries.push({ label: 'Voucher', value: b.voucher, style: identity });
  if (b.credit !== undefined) entries.push({ label: 'Credit', value: b.credit, style: identity });
  if (b.owed !== undefined) {
    const owed = amount(b.owed);
    entries.push({ label: 'Owed', value: b.owed, style: owed !== undefined && owed > 0 ? t.bad : identity });
  }
  if (b.alertEnabled && b.alertThreshold !== undefined) {
    entries.push({ label: 'Alert at', value: b.alertThreshold, style: t.dim });
  }
  if (entries.length === 0) return t.dim('No balance information returned.');
  // Amounts are the server's strings, shown as sent but for control characters.
  for (const e of entries) e.value = terminalSafe(e.value);

  const labelW = Math.max(...entries.map((e) => displayWidth(e.label)));
  const intPart = (v: string): string => {
    const i = v.indexOf('.');
    return i < 0 ? v : v.slice(0, i);
  };
  const intW = Math.max(...entries.map((e) => displayWidth(intPart(e.value))));
  return entries
    .map((e) => {
      const labelPad = ' '.repeat(labelW - displayWidth(e.label) + 2);
      const valuePad = ' '.repeat(intW - displayWidth(intPart(e.value)));
      return `${t.dim(e.label)}${labelPad}${valuePad}${e.style(e.value)}`;
    })
    .join('\n');
}
