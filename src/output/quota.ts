/**
 * Token Plan quota and pay-as-you-go balance: parsing and rendering.
 *
 * Pure functions only: no IO, no module-level mutable state.
 *
 * Payload generations handled by {@link parseQuota} (`GET /v1/token_plan/remains`, and the legacy
 * `coding_plan/remains` shape which carries the same field names):
 *   A/B  count based: `current_interval_total_count` / `current_interval_usage_count`,
 *        `current_weekly_total_count` / `current_weekly_usage_count`.
 *   C    percent based (since ~2026-06): `current_interval_remaining_percent`,
 *        `current_weekly_remaining_percent`, `*_status` (3 = bucket not in the plan), and
 *        `interval_boost_permille` / `weekly_boost_permille` (2000 = ×2). The count fields are still
 *        sent, usually as 0-of-0, so percent fields win whenever they are present.
 * Time fields: `end_time` / `weekly_end_time` are epoch ms; `remains_time` / `weekly_remains_time`
 * are milliseconds until that window ends, relative to when the server answered.
 */
import { type Cell, EMPTY_CELL, type TableLayout, cell, layoutTable } from './table.js';
import { displayWidth } from './text-width.js';

// ---------------------------------------------------------------------------------------------
// Types

interface WindowTiming {
  /** Milliseconds until this window resets, relative to the response (`remains_time`). */
  resetsInMs?: number;
  /** Epoch ms at which this window ends (`end_time` / `weekly_end_time`). */
  endsAt?: number;
}

export interface PercentWindow extends WindowTiming {
  kind: 'percent';
  /** Remaining share in percent; may exceed 100 while a boost is active. */
  remainingPercent: number;
  /** `*_status` as sent (1 = active window). Status 3 never reaches here: it is 'not-in-plan'. */
  status?: number;
  /** `*_boost_permille` as sent: 1000 = ×1, 2000 = ×2. */
  boostPermille?: number;
}

export interface CountWindow extends WindowTiming {
  kind: 'count';
  /** Requests USED in this window (see the note in parseWindow). */
  used: number;
  total: number;
}

export interface NotInPlanWindow extends WindowTiming {
  kind: 'not-in-plan';
}

export type QuotaWindow = PercentWindow | CountWindow | NotInPlanWindow;
/** Alias matching the name used in the design notes. */
export type Window = QuotaWindow;

export interface QuotaRow {
  model: string;
  /** The current short window (5 h for text, 24 h for speech/image buckets). */
  interval: QuotaWindow;
  /** Absent when the bucket has no weekly cap. */
  weekly?: QuotaWindow;
}

export type QuotaLevel = 'ok' | 'warn' | 'bad';

type Style = (s: string) => string;

/** Colour hooks used by the renderers. Pass {@link plainTheme} for no colour. */
export interface QuotaTheme {
  dim: Style;
  bold: Style;
  ok: Style;
  warn: Style;
  bad: Style;
}

export interface RenderQuotaOptions {
  /** Colours (the CLI passes its theme). Default: no colour. */
  color?: QuotaTheme;
  /** Terminal width; the layout gets more compact until it fits. Default: unlimited. */
  width?: number;
  /** Epoch ms; used to compute the reset time from `endsAt` when `resetsInMs` is missing. */
  now?: number;
  /** Use `#`/`.` for the bar and `x` for the boost sign. */
  ascii?: boolean;
}

export interface Balance {
  /** Money amounts are kept exactly as the API sent them (decimal strings). */
  available?: string;
  cash?: string;
  voucher?: string;
  credit?: string;
  owed?: string;
  alertEnabled?: boolean;
  alertThreshold?: string;
}

/** The quota payload has no `model_remains` array (or is not an object at all). */
export class QuotaShapeError extends Error {
  override name = 'QuotaShapeError';
  /** `base_resp.status_code` when the payload carried one (e.g. 1004, 2049). */
  readonly statusCode: number | undefined;
  readonly statusMsg: string | undefined;

  constructor(message: string, statusCode?: number, statusMsg?: string) {
    super(message);
    this.statusCode = statusCode;
    this.statusMsg = statusMsg;
  }
}

/** The balance payload carries none of the known amount fields. Extends QuotaShapeError. */
export class BalanceShapeError extends QuotaShapeError {
  override name = 'BalanceShapeError';
}

// ---------------------------------------------------------------------------------------------
// Coercion helpers

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finite number, or a string holding one ("1500", " 97 "); anything else → undefined. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function firstNum(r: Rec, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const n = num(r[k]);
    if (n !== undefined) return n;
  }
  return undefined;
}

function baseResp(r: Rec): { code?: number; msg?: string } {
  const b = isRec(r['base_resp']) ? r['base_resp'] : undefined;
  if (!b) return {};
  const out: { code?: number; msg?: string } = {};
  const code = num(b['status_code']);
  if (code !== undefined) out.code = code;
  if (typeof b['status_msg'] === 'string') out.msg = b['status_msg'];
  return out;
}

// ---------------------------------------------------------------------------------------------
// parseQuota

interface WindowKeys {
  percent: string;
  status: string;
  boost: readonly string[];
  total: string;
  used: string;
  remains: string;
  end: string;
}

const INTERVAL_KEYS: WindowKeys = {
  percent: 'current_interval_remaining_percent',
  status: 'current_interval_status',
  // `interval_boost_permill` is a misspelling some parsers accept defensively.
  boost: ['interval_boost_permille', 'interval_boost_permill'],
  total: 'current_interval_total_count',
  used: 'current_interval_usage_count',
  remains: 'remains_time',
  end: 'end_time',
};

const WEEKLY_KEYS: WindowKeys = {
  percent: 'current_weekly_remaining_percent',
  status: 'current_weekly_status',
  boost: ['weekly_boost_permille', 'weekly_boost_permill'],
  total: 'current_weekly_total_count',
  used: 'current_weekly_usage_count',
  remains: 'weekly_remains_time',
  end: 'weekly_end_time',
};

function parseWindow(r: Rec, k: WindowKeys, weekly: boolean): QuotaWindow | undefined {
  const percent = num(r[k.percent]);
  const status = num(r[k.status]);
  const boost = firstNum(r, k.boost);
  const total = num(r[k.total]);
  const used = num(r[k.used]);

  const timing: WindowTiming = {};
  const remains = num(r[k.remains]);
  if (remains !== undefined) timing.resetsInMs = remains;
  const end = num(r[k.end]);
  if (end !== undefined) timing.endsAt = end;

  // Status 3 = the bucket is not part of the plan; the API still reports 100 % for it
  // (MiniMax-AI/cli #173: "100 % remaining for video" while video generation fails with 2056).
  if (status === 3) return { kind: 'not-in-plan', ...timing };

  if (percent !== undefined) {
    const w: PercentWindow = { kind: 'percent', remainingPercent: percent, ...timing };
    if (status !== undefined) w.status = status;
    if (boost !== undefined) w.boostPermille = boost;
    return w;
  }

  if (total !== undefined && total > 0) {
    // On `/v1/token_plan/remains` the `*_usage_count` fields are USED counts, despite the trap:
    // on the legacy `coding_plan/remains` endpoint the same names meant REMAINING (MiniMax-AI/cli
    // #53, #91, MiniMax-M2 #99). MiniMax's own CLI fixed this when it moved to token_plan/remains
    // (commit a4bbafc, "fix the usage calculation that previously treated usage_count as
    // remaining"), and a same-moment cross-check (openclaw #81156) got 151 from token_plan/remains
    // vs 1349-of-1500 from coding_plan/remains. This module parses token_plan/remains, hence USED.
    // A missing usage count reads as 0 used (the API sends an explicit 0 when nothing was used).
    return { kind: 'count', used: used ?? 0, total, ...timing };
  }

  // No percent and a 0 (or missing) total. For the interval that means the bucket is not in the
  // plan ("0/0 used", cli #173, M2.7 #36); for the weekly window it means there is no weekly cap.
  if (weekly) return undefined;
  return { kind: 'not-in-plan', ...timing };
}

function modelName(r: Rec): string {
  for (const k of ['model_name', 'model', 'name']) {
    const v = r[k];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return '(unnamed)';
}

/**
 * Parse a `/v1/token_plan/remains` payload. Accepts `model_remains` at the top level or under
 * `data`, numbers sent as strings, missing and extra fields. Entries that are not objects are
 * skipped. `model_remains: []` (no active plan) gives `[]`.
 * @throws QuotaShapeError when there is no `model_remains` array.
 */
export function parseQuota(payload: unknown): QuotaRow[] {
  if (!isRec(payload)) {
    throw new QuotaShapeError(`Unexpected quota response: expected a JSON object, got ${describe(payload)}.`);
  }
  let list: unknown = payload['model_remains'];
  if (!Array.isArray(list) && isRec(payload['data'])) list = payload['data']['model_remains'];
  if (!Array.isArray(list)) {
    const br = isRec(payload['data']) ? { ...baseResp(payload['data']), ...baseResp(payload) } : baseResp(payload);
    const detail = br.code !== undefined && br.code !== 0 ? ` (base_resp ${br.code}${br.msg ? `: ${br.msg}` : ''})` : '';
    throw new QuotaShapeError(`Unexpected quota response: no model_remains array${detail}.`, br.code, br.msg);
  }
  const rows: QuotaRow[] = [];
  for (const entry of list) {
    if (!isRec(entry)) continue;
    const interval = parseWindow(entry, INTERVAL_KEYS, false) ?? { kind: 'not-in-plan' };
    const row: QuotaRow = { model: modelName(entry), interval };
    const weekly = parseWindow(entry, WEEKLY_KEYS, true);
    if (weekly) row.weekly = weekly;
    rows.push(row);
  }
  return rows;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

// ---------------------------------------------------------------------------------------------
// Shared formatting helpers

/** Remaining share of a window in percent (can exceed 100 with a boost); undefined if not in plan. */
export function remainingPercent(w: QuotaWindow): number | undefined {
  switch (w.kind) {
    case 'percent':
      return w.remainingPercent;
    case 'count':
      return w.total > 0 ? ((w.total - w.used) / w.total) * 100 : undefined;
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

/** No colour at all. */
export const plainTheme: QuotaTheme = Object.freeze({
  dim: identity,
  bold: identity,
  ok: identity,
  warn: identity,
  bad: identity,
});

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

function levelStyle(theme: QuotaTheme, level: QuotaLevel | undefined): Style {
  return level === undefined ? theme.dim : theme[level];
}

function figure(w: QuotaWindow): string {
  switch (w.kind) {
    case 'percent':
      return `${fmtNum(w.remainingPercent)}% left`;
    case 'count':
      return `${w.used}/${w.total} used`;
    case 'not-in-plan':
      return 'not in plan';
  }
}

function barCell(w: QuotaWindow, cells: number, theme: QuotaTheme, ascii: boolean): Cell {
  if (cells <= 0) return EMPTY_CELL;
  const p = remainingPercent(w);
  if (p === undefined) return EMPTY_CELL;
  const frac = Math.min(1, Math.max(0, p / 100));
  let filled = Math.round(frac * cells);
  // Full only at ≥ 100 %, empty only at 0 %.
  if (frac < 1 && filled === cells) filled = cells - 1;
  if (frac > 0 && filled === 0) filled = 1;
  const [on, off] = ascii ? ['#', '.'] : ['█', '░'];
  const a = on.repeat(filled);
  const b = off.repeat(cells - filled);
  const style = levelStyle(theme, quotaLevel(w));
  return { text: a + b, out: (a ? style(a) : '') + (b ? theme.dim(b) : '') };
}

function boostNote(row: QuotaRow, layout: Layout, ascii: boolean): string {
  const times = ascii ? 'x' : '×';
  const ib = row.interval.kind === 'percent' ? row.interval.boostPermille : undefined;
  const wb = row.weekly?.kind === 'percent' ? row.weekly.boostPermille : undefined;
  const iOn = ib !== undefined && ib > 1000;
  const wOn = wb !== undefined && wb > 1000;
  if (iOn && wOn && ib === wb) return `boost ${times}${fmtMultiplier(ib)}`;
  const parts: string[] = [];
  if (iOn) parts.push(`boost ${times}${fmtMultiplier(ib)}`);
  if (wOn) parts.push(`${layout.week} ${iOn ? '' : 'boost '}${times}${fmtMultiplier(wb)}`);
  return parts.join(', ');
}

interface BuiltRow {
  cells: Cell[];
  note: Cell;
}

function buildRow(row: QuotaRow, layout: Layout, theme: QuotaTheme, ascii: boolean, now: number | undefined): BuiltRow {
  const iv = row.interval;
  // cell() keeps control characters (including ESC) from the server off the terminal.
  const model = cell(row.model, theme.bold);
  if (iv.kind === 'not-in-plan') {
    return { cells: [model, cell('not in plan', theme.dim), EMPTY_CELL, EMPTY_CELL, EMPTY_CELL], note: EMPTY_CELL };
  }
  const ivFig = cell(figure(iv), levelStyle(theme, quotaLevel(iv)));
  const bar = barCell(iv, layout.bar, theme, ascii);
  const wk = row.weekly;
  const wkFig = wk
    ? cell(`${layout.week} ${figure(wk)}`, wk.kind === 'not-in-plan' ? theme.dim : levelStyle(theme, quotaLevel(wk)))
    : EMPTY_CELL;
  const ms = resetsIn(iv, now);
  const reset = ms === undefined ? EMPTY_CELL : cell(`${layout.resets} ${formatDuration(ms)}`, theme.dim);
  const noteText = boostNote(row, layout, ascii);
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
 *     MiniMax-M*  228/1500 used ████████░░                     resets in 1h 59m
 *     speech-hd   0/9000 used   ██████████  week 0/63000 used  resets in 20h 59m
 *     general     97% left      █████████░  week 96% left      resets in 1m  boost ×2, week ×3
 *     video       not in plan
 *
 * The bar shows what is LEFT (full = 100 %). Colours: ok ≥ 50 % left, warn 20–50 %, bad < 20 %.
 * With `width`, the layout is made more compact step by step (shorter labels, boost note on its
 * own line, a 5-cell bar, single-space gaps, no bar, then truncated model names) until it fits.
 */
export function renderQuotaTable(rows: QuotaRow[], opts: RenderQuotaOptions = {}): string {
  const theme = opts.color ?? plainTheme;
  const ascii = opts.ascii === true;
  if (rows.length === 0) return theme.dim('No Token Plan quota buckets returned.');
  const width = opts.width !== undefined && opts.width > 0 ? opts.width : Infinity;

  let table: QuotaTableLayout | undefined;
  let chosen: Layout | undefined;
  let built: BuiltRow[] = [];
  for (const layout of LAYOUTS) {
    built = rows.map((r) => buildRow(r, layout, theme, ascii, opts.now));
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

function quietPercent(w: QuotaWindow | undefined): string {
  if (!w) return '-';
  const p = remainingPercent(w);
  return p === undefined ? '-' : fmtNum(p);
}

/**
 * `--quiet` output: one tab-separated line per bucket, no header, no colour.
 *
 * Columns:
 *   1. model              the bucket's `model_name` (control characters such as tabs and
 *                         newlines replaced by a space)
 *   2. interval_left      percent LEFT in the current interval window, a plain number without `%`
 *                         (e.g. `97`, `84.8`; may exceed 100 during a boost; count windows are
 *                         converted: (total − used) / total × 100, one decimal); `-` if not in plan
 *   3. weekly_left        the same for the weekly window; `-` when there is no weekly cap or the
 *                         weekly window is not in the plan
 *   4. resets_in_seconds  whole seconds until the interval window resets; `-` when unknown or
 *                         not in plan
 */
export function renderQuotaQuiet(rows: QuotaRow[], opts: { now?: number } = {}): string {
  return rows
    .map((r) => {
      const ms = r.interval.kind === 'not-in-plan' ? undefined : resetsIn(r.interval, opts.now);
      const secs = ms === undefined ? '-' : String(Math.max(0, Math.floor(ms / 1000)));
      return [r.model.replace(/\p{Cc}+/gu, ' '), quietPercent(r.interval), quietPercent(r.weekly), secs].join('\t');
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Balance (pay-as-you-go `GET /account/query_balance`)

const BALANCE_FIELDS = [
  ['available', 'available_amount'],
  ['cash', 'cash_balance'],
  ['voucher', 'voucher_balance'],
  ['credit', 'credit_balance'],
  ['owed', 'owed_amount'],
] as const;

function money(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function hasAmounts(r: Rec): boolean {
  return BALANCE_FIELDS.some(([, key]) => money(r[key]) !== undefined);
}

/**
 * Parse a `query_balance` payload (fields at the top level or under `data`). Amounts stay
 * strings exactly as sent; a number is converted with `String()`.
 * @throws BalanceShapeError (a QuotaShapeError) when no amount field is present.
 */
export function parseBalance(payload: unknown): Balance {
  if (!isRec(payload)) {
    throw new BalanceShapeError(`Unexpected balance response: expected a JSON object, got ${describe(payload)}.`);
  }
  const src = hasAmounts(payload) ? payload : isRec(payload['data']) && hasAmounts(payload['data']) ? payload['data'] : undefined;
  if (!src) {
    const br = baseResp(payload);
    const detail = br.code !== undefined && br.code !== 0 ? ` (base_resp ${br.code}${br.msg ? `: ${br.msg}` : ''})` : '';
    throw new BalanceShapeError(`Unexpected balance response: no balance amounts${detail}.`, br.code, br.msg);
  }
  const b: Balance = {};
  for (const [field, key] of BALANCE_FIELDS) {
    const v = money(src[key]);
    if (v !== undefined) b[field] = v;
  }
  const sw = src['balance_alert_switch'];
  if (typeof sw === 'boolean') b.alertEnabled = sw;
  else if (sw === 1 || sw === 0 || sw === 'true' || sw === 'false') b.alertEnabled = sw === 1 || sw === 'true';
  const th = money(src['balance_alert_threshold']);
  if (th !== undefined) b.alertThreshold = th;
  return b;
}

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
export function renderBalance(b: Balance, t: QuotaTheme = plainTheme): string {
  const amount = (s: string | undefined): number | undefined => (s === undefined ? undefined : num(s));

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
