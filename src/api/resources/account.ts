/**
 * The account resource: the Token Plan quota (`GET /v1/token_plan/remains`) and
 * the pay-as-you-go balance (`GET /account/query_balance`): the requests (either
 * proves a key at login, so login and quota share them) and the payload parsers
 * (pure, no IO).
 */
import { isPlainObject } from '../../json.js';
import { type ApiRequest, ResponseShapeError, get } from '../request.js';

/** Pay-as-you-go secret keys (`sk-api-…`) have no Token Plan quota; their balance endpoint proves them. */
export function isPayAsYouGo(key: string): boolean {
  return key.startsWith('sk-api-');
}

/** The payload, once it has the quota's shape (a `model_remains` array); the payload as received is what is returned. */
function quotaShaped(payload: unknown): unknown {
  modelRemains(payload);
  return payload;
}

/** The payload, once it has the balance's shape (at least one amount). */
function balanceShaped(payload: unknown): unknown {
  parseBalance(payload);
  return payload;
}

/**
 * A payload that proves the key: the endpoint's shape and `base_resp.status_code` 0, which the
 * API sends with every success. `{}` or `null` from a server that is not the API (a captive
 * portal, a misrouted gateway) must not read as "logged in".
 */
function proves(shaped: (payload: unknown) => unknown): (payload: unknown) => unknown {
  return (payload) => {
    shaped(payload);
    const code = isRec(payload) ? baseResp(payload).code : undefined;
    if (code !== 0) throw new ResponseShapeError('no base_resp with status_code 0, so it does not prove the key');
    return payload;
  };
}

export const account = {
  quota(): ApiRequest {
    return get('/v1/token_plan/remains', { parse: quotaShaped });
  },
  balance(): ApiRequest {
    return get('/account/query_balance', { parse: balanceShaped });
  },
  /** The cheapest request that proves a key: its quota, or its balance for a pay-as-you-go key. */
  check(key: string): ApiRequest {
    return isPayAsYouGo(key)
      ? get('/account/query_balance', { parse: proves(balanceShaped) })
      : get('/v1/token_plan/remains', { parse: proves(quotaShaped) });
  },
};

// ---------------------------------------------------------------------------------------------
// Coercion helpers

type Rec = Record<string, unknown>;
const isRec = isPlainObject;

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

/** What an unexpected payload was, for the error message: "null", "an array", "string"… */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

// ---------------------------------------------------------------------------------------------
// Token Plan quota (`GET /v1/token_plan/remains`)
//
// Payload generations handled by parseQuota (`GET /v1/token_plan/remains`, and the legacy
// `coding_plan/remains` shape which carries the same field names):
//   A/B  count based: `current_interval_total_count` / `current_interval_usage_count`,
//        `current_weekly_total_count` / `current_weekly_usage_count`.
//   C    percent based (since ~2026-06): `current_interval_remaining_percent`,
//        `current_weekly_remaining_percent`, `*_status` (3 = bucket not in the plan), and
//        `interval_boost_permille` / `weekly_boost_permille` (2000 = ×2). The count fields are still
//        sent, usually as 0-of-0, so percent fields win whenever they are present.
// Time fields: `end_time` / `weekly_end_time` are epoch ms; `remains_time` / `weekly_remains_time`
// are milliseconds until that window ends, relative to when the server answered.

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
  /** Requests LEFT in this window, by mmx-cli 1.0.27's reading (see {@link countsOf}). */
  remaining: number;
  total: number;
}

/** A window's counts by mmx-cli 1.0.27's reading of `*_usage_count`. */
export interface Counts {
  used: number;
  remaining: number;
  total: number;
}

/**
 * How `*_usage_count` is read, as mmx-cli 1.0.27 reads it: as the REMAINING
 * count, unless a `*_remaining_percent` sent beside it lies within 1 point of
 * the other reading (the count as USED), which then wins; when the percent
 * agrees with neither reading, the counts are not shown at all. Undefined for
 * a missing, zero or impossible total. The field's meaning has flipped at least
 * twice (docs/minimax-api-notes.md, Quota, "usage_count: used or remaining?"),
 * so mmx follows the CLI its users compare it with.
 */
export function countsOf(usage: number | undefined, total: number | undefined, percent: number | undefined): Counts | undefined {
  if (usage === undefined || total === undefined || !Number.isFinite(usage) || !Number.isFinite(total)) return undefined;
  if (total <= 0 || usage < 0 || usage > total) return undefined;
  let remaining = usage;
  if (percent !== undefined && Number.isFinite(percent)) {
    const asRemaining = Math.abs((usage / total) * 100 - percent);
    const asUsed = Math.abs(((total - usage) / total) * 100 - percent);
    if (Math.min(asRemaining, asUsed) > 1) return undefined;
    if (asUsed < asRemaining) remaining = total - usage;
  }
  return { used: total - remaining, remaining, total };
}

export interface NotInPlanWindow extends WindowTiming {
  kind: 'not-in-plan';
}

export type QuotaWindow = PercentWindow | CountWindow | NotInPlanWindow;

export interface QuotaRow {
  model: string;
  /** The current short window (5 h for text, 24 h for speech/image buckets). */
  interval: QuotaWindow;
  /** Absent when the bucket has no weekly cap. */
  weekly?: QuotaWindow;
}

/** A bucket's interval fields as sent: what `quota --quiet` (mmx-cli's TSV) prints from. */
export interface SentInterval {
  model: string;
  usage?: number;
  total?: number;
  percent?: number;
}

/** The quota payload has no `model_remains` array (or is not an object at all). */
export class QuotaShapeError extends ResponseShapeError {
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
    // Read as mmx-cli 1.0.27 reads it (countsOf): the REMAINING count. A missing count reads as
    // nothing used, as before. Evidence and history: docs/minimax-api-notes.md, Quota.
    const remaining = countsOf(used ?? total, total, undefined)?.remaining ?? total;
    return { kind: 'count', remaining, total, ...timing };
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

/** The `model_remains` list (top level or under `data`); QuotaShapeError when there is none. */
function modelRemains(payload: unknown): unknown[] {
  if (!isRec(payload)) {
    throw new QuotaShapeError(`expected a JSON object, got ${describe(payload)}`);
  }
  let list: unknown = payload['model_remains'];
  if (!Array.isArray(list) && isRec(payload['data'])) list = payload['data']['model_remains'];
  if (!Array.isArray(list)) {
    const br = isRec(payload['data']) ? { ...baseResp(payload['data']), ...baseResp(payload) } : baseResp(payload);
    const detail = br.code !== undefined && br.code !== 0 ? ` (base_resp ${br.code}${br.msg ? `: ${br.msg}` : ''})` : '';
    throw new QuotaShapeError(`no model_remains array${detail}`, br.code, br.msg);
  }
  return list;
}

/** Each bucket's interval usage count, total and remaining percent, as sent (numbers given as strings accepted). */
export function sentIntervals(payload: unknown): SentInterval[] {
  return modelRemains(payload)
    .filter(isRec)
    .map((entry) => {
      const out: SentInterval = { model: modelName(entry) };
      const usage = num(entry[INTERVAL_KEYS.used]);
      const total = num(entry[INTERVAL_KEYS.total]);
      const percent = num(entry[INTERVAL_KEYS.percent]);
      if (usage !== undefined) out.usage = usage;
      if (total !== undefined) out.total = total;
      if (percent !== undefined) out.percent = percent;
      return out;
    });
}

/**
 * Parse a `/v1/token_plan/remains` payload. Accepts `model_remains` at the top level or under
 * `data`, numbers sent as strings, missing and extra fields. Entries that are not objects are
 * skipped. `model_remains: []` (no active plan) gives `[]`.
 * @throws QuotaShapeError when there is no `model_remains` array.
 */
export function parseQuota(payload: unknown): QuotaRow[] {
  const list = modelRemains(payload);
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

// ---------------------------------------------------------------------------------------------
// Balance (pay-as-you-go `GET /account/query_balance`)

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

/** The balance payload carries none of the known amount fields. Extends QuotaShapeError. */
export class BalanceShapeError extends QuotaShapeError {
  override name = 'BalanceShapeError';
}

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
    throw new BalanceShapeError(`expected a JSON object, got ${describe(payload)}`);
  }
  const src = hasAmounts(payload) ? payload : isRec(payload['data']) && hasAmounts(payload['data']) ? payload['data'] : undefined;
  if (!src) {
    const br = baseResp(payload);
    const detail = br.code !== undefined && br.code !== 0 ? ` (base_resp ${br.code}${br.msg ? `: ${br.msg}` : ''})` : '';
    throw new BalanceShapeError(`no balance amounts${detail}`, br.code, br.msg);
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

/** The number an amount of {@link Balance} holds (for comparisons; the text is what is shown). */
export function amountValue(amount: string): number | undefined {
  return num(amount);
}
