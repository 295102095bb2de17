import { SUCCESS_BASE_RESP } from './responses.js';
import type { BalanceFigures, QuotaEra, QuotaFigures } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const INTERVAL = 5 * HOUR;
/** Captured windows start at midnight / Monday 00:00 China time, so all alignment happens in UTC+8. */
const CST_OFFSET = 8 * HOUR;

export const DEFAULT_QUOTA: Readonly<QuotaFigures> = Object.freeze({
  // Generation B fixture values from MiniMax's CLI (2026-04-16).
  intervalTotal: 1500,
  intervalUsed: 228,
  weeklyTotal: 0,
  weeklyUsed: 0,
  // Generation C capture (2026-06).
  intervalRemainingPercent: 97,
  weeklyRemainingPercent: 96,
  intervalBoostPermille: 2000,
  weeklyBoostPermille: 3000,
});

export const DEFAULT_BALANCE: Readonly<BalanceFigures> = Object.freeze({
  available_amount: '98.00',
  cash_balance: '0.00',
  voucher_balance: '98.00',
  credit_balance: '0.00',
  owed_amount: '0.00',
  balance_alert_switch: false,
  balance_alert_threshold: '5.00',
});

interface Window {
  start: number;
  end: number;
}

function alignedWindow(now: number, length: number): Window {
  const start = Math.floor((now + CST_OFFSET) / length) * length - CST_OFFSET;
  return { start, end: start + length };
}

function weekWindow(now: number): Window {
  const day = Math.floor((now + CST_OFFSET) / DAY);
  // Epoch day 0 was a Thursday; (day + 3) % 7 is the number of days since Monday.
  const mondayDay = day - ((day + 3) % 7);
  const start = mondayDay * DAY - CST_OFFSET;
  return { start, end: start + WEEK };
}

/** End of the current 5-hour Token Plan window; the 2056 "resets at" text points there. */
export function intervalResetAt(now: number): number {
  return alignedWindow(now, INTERVAL).end;
}

/** `2026-05-15T15:00:00Z` style, as in the captured 2056 message (no milliseconds). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function windowFields(now: number, interval: Window) {
  const week = weekWindow(now);
  return {
    start_time: interval.start,
    end_time: interval.end,
    remains_time: interval.end - now,
    weekly_start_time: week.start,
    weekly_end_time: week.end,
    weekly_remains_time: week.end - now,
  };
}

function countBucket(
  name: string,
  now: number,
  interval: Window,
  counts: { total: number; used: number; weeklyTotal: number; weeklyUsed: number },
) {
  const w = windowFields(now, interval);
  return {
    model_name: name,
    start_time: w.start_time,
    end_time: w.end_time,
    remains_time: w.remains_time,
    current_interval_total_count: counts.total,
    current_interval_usage_count: counts.used,
    current_weekly_total_count: counts.weeklyTotal,
    current_weekly_usage_count: counts.weeklyUsed,
    weekly_start_time: w.weekly_start_time,
    weekly_end_time: w.weekly_end_time,
    weekly_remains_time: w.weekly_remains_time,
  };
}

/**
 * `GET /v1/token_plan/remains` success body.
 * - `count` era = Generation B: `*_usage_count` are USED counts (MiniMax CLI commit a4bbafc semantics).
 * - `percent` era = Generation C: a plan-wide `general` bucket with `*_remaining_percent` (remaining, may
 *   exceed 100 with a boost) plus a count-based `video` bucket.
 */
export function tokenPlanRemains(era: QuotaEra, now: number, figures: QuotaFigures) {
  const text = alignedWindow(now, INTERVAL);
  const daily = alignedWindow(now, DAY);
  if (era === 'count') {
    return {
      base_resp: SUCCESS_BASE_RESP,
      model_remains: [
        countBucket('MiniMax-M*', now, text, {
          total: figures.intervalTotal,
          used: figures.intervalUsed,
          weeklyTotal: figures.weeklyTotal,
          weeklyUsed: figures.weeklyUsed,
        }),
        countBucket('speech-hd', now, daily, { total: 9000, used: 0, weeklyTotal: 63000, weeklyUsed: 0 }),
        countBucket('image-01', now, daily, { total: 100, used: 0, weeklyTotal: 700, weeklyUsed: 0 }),
      ],
    };
  }
  return {
    model_remains: [
      {
        ...countBucket('general', now, text, { total: 0, used: 0, weeklyTotal: 0, weeklyUsed: 0 }),
        current_interval_status: 1,
        current_interval_remaining_percent: figures.intervalRemainingPercent,
        current_weekly_status: 1,
        current_weekly_remaining_percent: figures.weeklyRemainingPercent,
        interval_boost_permille: figures.intervalBoostPermille,
        weekly_boost_permille: figures.weeklyBoostPermille,
      },
      {
        ...countBucket('video', now, daily, { total: 5, used: 0, weeklyTotal: 35, weeklyUsed: 0 }),
        current_interval_status: 1,
        current_interval_remaining_percent: 100,
        current_weekly_status: 1,
        current_weekly_remaining_percent: 100,
      },
    ],
    base_resp: SUCCESS_BASE_RESP,
  };
}

/**
 * Legacy `GET /v1/api/openplatform/coding_plan/remains` (Generation A). Here `*_usage_count` are REMAINING
 * counts despite the name — the very mislabelling clients must not confuse with Generation B.
 */
export function legacyCodingPlanRemains(now: number, figures: QuotaFigures) {
  const text = alignedWindow(now, INTERVAL);
  return {
    model_remains: [
      countBucket('MiniMax-M*', now, text, {
        total: figures.intervalTotal,
        used: figures.intervalTotal - figures.intervalUsed,
        weeklyTotal: figures.weeklyTotal,
        weeklyUsed: figures.weeklyTotal - figures.weeklyUsed,
      }),
    ],
    base_resp: SUCCESS_BASE_RESP,
  };
}

export function balanceBody(figures: BalanceFigures) {
  return { ...figures, base_resp: SUCCESS_BASE_RESP };
}
