import { describe, it, expect } from 'vitest';
import {
  BalanceShapeError,
  QuotaShapeError,
  countsOf,
  parseBalance,
  parseQuota,
  sentIntervals,
  type QuotaRow,
} from '../../src/api/resources/account.js';
import { formatDuration, quotaLevel, renderBalance, renderQuotaQuiet, renderQuotaTable } from '../../src/output/quota.js';
import { displayWidth } from '../../src/output/text-width.js';
import { PLAIN_THEME, type Theme } from '../../src/output/theme.js';

// Generation B: count based, /v1/token_plan/remains (MiniMax CLI fixture, 2026-04-16), with a
// used count on image-01 to exercise the colours.
const GEN_B = {
  base_resp: { status_code: 0, status_msg: 'success' },
  model_remains: [
    {
      model_name: 'MiniMax-M*',
      start_time: 1776355200000,
      end_time: 1776373200000,
      remains_time: 7151954,
      current_interval_total_count: 1500,
      current_interval_usage_count: 228,
      current_weekly_total_count: 0,
      current_weekly_usage_count: 0,
      weekly_start_time: 1776009600000,
      weekly_end_time: 1776614400000,
      weekly_remains_time: 248351954,
    },
    {
      model_name: 'speech-hd',
      start_time: 1776355200000,
      end_time: 1776441600000,
      remains_time: 75551954,
      current_interval_total_count: 9000,
      current_interval_usage_count: 0,
      current_weekly_total_count: 63000,
      current_weekly_usage_count: 0,
      weekly_start_time: 1776009600000,
      weekly_end_time: 1776614400000,
      weekly_remains_time: 248351954,
    },
    {
      model_name: 'image-01',
      start_time: 1776355200000,
      end_time: 1776441600000,
      remains_time: 75551954,
      current_interval_total_count: 100,
      current_interval_usage_count: 85,
      current_weekly_total_count: 700,
      current_weekly_usage_count: 400,
      weekly_start_time: 1776009600000,
      weekly_end_time: 1776614400000,
      weekly_remains_time: 248351954,
    },
  ],
};

// Generation C: percent based (since ~2026-06), plus a video bucket that still sends counts.
const GENERAL_C = {
  start_time: 1780434000000,
  end_time: 1780452000000,
  remains_time: 60284,
  current_interval_total_count: 0,
  current_interval_usage_count: 0,
  model_name: 'general',
  current_weekly_total_count: 0,
  current_weekly_usage_count: 0,
  weekly_start_time: 1780243200000,
  weekly_end_time: 1780848000000,
  weekly_remains_time: 396060284,
  current_interval_status: 1,
  current_interval_remaining_percent: 97,
  current_weekly_status: 1,
  current_weekly_remaining_percent: 96,
  interval_boost_permille: 2000,
  weekly_boost_permille: 3000,
};
const VIDEO_C = {
  model_name: 'video',
  start_time: 1780434000000,
  end_time: 1780520400000,
  remains_time: 86_340_000,
  current_interval_total_count: 5,
  current_interval_usage_count: 0,
  current_interval_remaining_percent: 100,
  current_interval_status: 1,
  current_weekly_total_count: 35,
  current_weekly_usage_count: 0,
  current_weekly_remaining_percent: 100,
  current_weekly_status: 1,
};
const GEN_C = {
  model_remains: [GENERAL_C, VIDEO_C],
  base_resp: { status_code: 0, status_msg: 'success' },
};

/** Wraps each styled piece in markers so the tests can see which colour was chosen. */
const markerTheme: Theme = {
  dim: (s) => `<dim>${s}</dim>`,
  bold: (s) => `<b>${s}</b>`,
  ok: (s) => `<ok>${s}</ok>`,
  warn: (s) => `<warn>${s}</warn>`,
  bad: (s) => `<bad>${s}</bad>`,
};

function pctRow(model: string, remainingPercent: number): QuotaRow {
  return { model, interval: { kind: 'percent', remainingPercent, resetsInMs: 3_600_000 } };
}

describe('parseQuota', () => {
  it('parses the count-based generation B payload (usage_count read as REMAINING, as mmx-cli 1.0.27)', () => {
    expect(parseQuota(GEN_B)).toStrictEqual([
      {
        model: 'MiniMax-M*',
        interval: { kind: 'count', remaining: 228, total: 1500, resetsInMs: 7151954, endsAt: 1776373200000 },
        // weekly total 0 and no weekly percent → no weekly cap → no weekly window
      },
      {
        model: 'speech-hd',
        interval: { kind: 'count', remaining: 0, total: 9000, resetsInMs: 75551954, endsAt: 1776441600000 },
        weekly: { kind: 'count', remaining: 0, total: 63000, resetsInMs: 248351954, endsAt: 1776614400000 },
      },
      {
        model: 'image-01',
        interval: { kind: 'count', remaining: 85, total: 100, resetsInMs: 75551954, endsAt: 1776441600000 },
        weekly: { kind: 'count', remaining: 400, total: 700, resetsInMs: 248351954, endsAt: 1776614400000 },
      },
    ]);
  });

  it('parses the percent-based generation C payload, ignoring the 0-of-0 counts', () => {
    const [general] = parseQuota({ model_remains: [GENERAL_C] });
    expect(general).toStrictEqual({
      model: 'general',
      interval: {
        kind: 'percent',
        remainingPercent: 97,
        status: 1,
        boostPermille: 2000,
        resetsInMs: 60284,
        endsAt: 1780452000000,
      },
      weekly: {
        kind: 'percent',
        remainingPercent: 96,
        status: 1,
        boostPermille: 3000,
        resetsInMs: 396060284,
        endsAt: 1780848000000,
      },
    });
  });

  it('prefers percent fields for a video bucket that sends both counts and percent', () => {
    const [video] = parseQuota({ model_remains: [VIDEO_C] });
    expect(video?.interval).toMatchObject({ kind: 'percent', remainingPercent: 100, status: 1 });
    expect(video?.weekly).toMatchObject({ kind: 'percent', remainingPercent: 100, status: 1 });
  });

  it('reads a count-only video bucket as counts', () => {
    const [video] = parseQuota({
      model_remains: [{ model_name: 'video', current_interval_total_count: 5, current_interval_usage_count: 2 }],
    });
    expect(video).toStrictEqual({ model: 'video', interval: { kind: 'count', remaining: 2, total: 5 } });
  });

  it('treats status 3 as not in plan even though the API reports 100 %', () => {
    const [row] = parseQuota({
      model_remains: [
        {
          ...VIDEO_C,
          current_interval_status: 3,
          current_weekly_status: 3,
        },
      ],
    });
    expect(row?.interval.kind).toBe('not-in-plan');
    expect(row?.weekly?.kind).toBe('not-in-plan');
  });

  it('treats a 0-of-0 interval without percent as not in plan, and drops a 0 weekly', () => {
    const [row] = parseQuota({
      model_remains: [
        {
          model_name: 'music-2.6',
          current_interval_total_count: 0,
          current_interval_usage_count: 0,
          current_weekly_total_count: 0,
          current_weekly_usage_count: 0,
        },
      ],
    });
    expect(row).toStrictEqual({ model: 'music-2.6', interval: { kind: 'not-in-plan' } });
  });

  it('accepts numbers given as strings', () => {
    const [a, b] = parseQuota({
      model_remains: [
        {
          model_name: 'MiniMax-M*',
          remains_time: '7151954',
          end_time: '1776373200000',
          current_interval_total_count: '1500',
          current_interval_usage_count: ' 228 ',
          current_weekly_total_count: '15000',
          current_weekly_usage_count: '14954',
        },
        {
          model_name: 'general',
          current_interval_remaining_percent: '97',
          current_interval_status: '1',
          interval_boost_permill: '2000', // the misspelling some parsers accept
          current_weekly_remaining_percent: 'n/a',
        },
      ],
    });
    expect(a).toStrictEqual({
      model: 'MiniMax-M*',
      interval: { kind: 'count', remaining: 228, total: 1500, resetsInMs: 7151954, endsAt: 1776373200000 },
      weekly: { kind: 'count', remaining: 14954, total: 15000 },
    });
    expect(b).toStrictEqual({
      model: 'general',
      interval: { kind: 'percent', remainingPercent: 97, status: 1, boostPermille: 2000 },
    });
  });

  it('accepts model_remains under data', () => {
    const rows = parseQuota({ data: { model_remains: GEN_B.model_remains }, base_resp: { status_code: 0 } });
    expect(rows.map((r) => r.model)).toEqual(['MiniMax-M*', 'speech-hd', 'image-01']);
  });

  it('tolerates extra fields, missing fields and junk entries', () => {
    const rows = parseQuota({
      current_subscribe_title: 'Plus',
      plan_name: 'Plus',
      model_remains: [null, 42, 'x', { surprise: { nested: true } }, { model_name: 'image-01', new_field: [1, 2] }],
    });
    expect(rows).toStrictEqual([
      { model: '(unnamed)', interval: { kind: 'not-in-plan' } },
      { model: 'image-01', interval: { kind: 'not-in-plan' } },
    ]);
  });

  it('returns [] for an empty model_remains (no active plan)', () => {
    expect(parseQuota({ model_remains: [] })).toEqual([]);
  });

  it('throws QuotaShapeError without a model_remains array, keeping base_resp', () => {
    const err = (() => {
      try {
        parseQuota({ base_resp: { status_code: 1004, status_msg: 'cookie is missing, log in again' } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(QuotaShapeError);
    expect(err).toBeInstanceOf(Error);
    expect((err as QuotaShapeError).name).toBe('QuotaShapeError');
    expect((err as QuotaShapeError).statusCode).toBe(1004);
    expect((err as QuotaShapeError).statusMsg).toBe('cookie is missing, log in again');
    expect((err as QuotaShapeError).message).toBe('no model_remains array (base_resp 1004: cookie is missing, log in again)');

    expect(() => parseQuota({ model_remains: { 'MiniMax-M*': {} } })).toThrow(QuotaShapeError);
    expect(() => parseQuota({ data: null })).toThrow(/no model_remains array$/);
    expect(() => parseQuota(null)).toThrow(QuotaShapeError);
    expect(() => parseQuota('oops')).toThrow(/expected a JSON object, got string/);
    expect(() => parseQuota([])).toThrow(/got an array/);
  });
});

describe('formatDuration', () => {
  it('formats minutes, hours and days, rounding down', () => {
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(-5000)).toBe('0m');
    expect(formatDuration(59_999)).toBe('<1m');
    expect(formatDuration(60_284)).toBe('1m');
    expect(formatDuration(42 * 60_000 + 59_000)).toBe('42m');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2h 5m');
    expect(formatDuration(7151954)).toBe('1h 59m');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000)).toBe('3d 4h');
    expect(formatDuration(396060284)).toBe('4d 14h');
  });
});

describe('renderQuotaTable', () => {
  it('renders generation B exactly (identity theme)', () => {
    expect(renderQuotaTable(parseQuota(GEN_B), { color: PLAIN_THEME })).toBe(
      [
        // usage_count read as REMAINING (mmx-cli 1.0.27): 228 of 1500 left is 15 %.
        'MiniMax-M*  228/1500 left ██░░░░░░░░                     resets in 1h 59m',
        'speech-hd   0/9000 left   ░░░░░░░░░░  week 0/63000 left  resets in 20h 59m',
        'image-01    85/100 left   █████████░  week 400/700 left  resets in 20h 59m',
      ].join('\n'),
    );
  });

  it('renders generation C exactly, with boost notes and a not-in-plan row', () => {
    const rows = parseQuota({
      model_remains: [GENERAL_C, VIDEO_C, { ...VIDEO_C, model_name: 'Hailuo-2.3', current_interval_status: 3 }],
    });
    expect(renderQuotaTable(rows, { color: PLAIN_THEME })).toBe(
      [
        'general     97% left  █████████░  week 96% left   resets in 1m  boost ×2, week ×3',
        'video       100% left ██████████  week 100% left  resets in 23h 59m',
        'Hailuo-2.3  not in plan',
      ].join('\n'),
    );
  });

  it('fits a 60-column terminal by compacting the layout', () => {
    const b = renderQuotaTable(parseQuota(GEN_B), { width: 60 });
    expect(b).toBe(
      [
        'MiniMax-M*  228/1500 left █░░░░                   in 1h 59m',
        'speech-hd   0/9000 left   ░░░░░  wk 0/63000 left  in 20h 59m',
        'image-01    85/100 left   ████░  wk 400/700 left  in 20h 59m',
      ].join('\n'),
    );
    const c = renderQuotaTable(parseQuota(GEN_C), { width: 60 });
    expect(c).toBe(
      [
        'general  97% left  █████████░  wk 96% left   in 1m',
        '         boost ×2, wk ×3',
        'video    100% left ██████████  wk 100% left  in 23h 59m',
      ].join('\n'),
    );
    for (const line of [...b.split('\n'), ...c.split('\n')]) expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });

  it('truncates long model names as a last resort', () => {
    const out = renderQuotaTable([pctRow('MiniMax-Hailuo-02-very-long-bucket-name', 80)], { width: 30 });
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(out).toContain('…');
  });

  it('never leaves trailing spaces', () => {
    const out = renderQuotaTable(parseQuota(GEN_B));
    for (const line of out.split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('shows percent above 100 as is, with a boost note from the permille', () => {
    const rows = parseQuota({
      model_remains: [
        {
          model_name: 'general',
          remains_time: 9_000_000,
          current_interval_remaining_percent: 145,
          current_interval_status: 1,
          interval_boost_permille: 1500,
          current_weekly_remaining_percent: 190,
          weekly_boost_permille: 2000,
        },
        {
          model_name: 'text',
          current_interval_remaining_percent: 120,
          interval_boost_permille: 2000,
          weekly_boost_permille: 2000,
          current_weekly_remaining_percent: 150,
        },
        { model_name: 'image', current_interval_remaining_percent: 80, weekly_boost_permille: 3000, current_weekly_remaining_percent: 70 },
        { model_name: 'plain', current_interval_remaining_percent: 80, interval_boost_permille: 1000 },
      ],
    });
    expect(renderQuotaTable(rows)).toBe(
      [
        'general  145% left ██████████  week 190% left  resets in 2h 30m  boost ×1.5, week ×2',
        'text     120% left ██████████  week 150% left                    boost ×2',
        'image    80% left  ████████░░  week 70% left                     week boost ×3',
        'plain    80% left  ████████░░',
      ].join('\n'),
    );
  });

  it('colours by what is left: ok ≥ 50 %, warn 20–50 %, bad < 20 %', () => {
    const cases: [number, string][] = [
      [100, 'ok'],
      [50, 'ok'],
      [49.9, 'warn'],
      [20, 'warn'],
      [19.9, 'bad'],
      [0, 'bad'],
      [150, 'ok'],
    ];
    for (const [pct, tag] of cases) {
      const out = renderQuotaTable([pctRow('m', pct)], { color: markerTheme });
      expect(out).toContain(`<${tag}>${pct}% left</${tag}>`);
    }
    // count windows: 44 of 1500 left → 2.9 % → bad; 1272 left → ok; 40/100 → warn
    const counts = (remaining: number, total: number) =>
      renderQuotaTable([{ model: 'm', interval: { kind: 'count', remaining, total } }], { color: markerTheme });
    expect(counts(44, 1500)).toContain('<bad>44/1500 left</bad>');
    expect(counts(1272, 1500)).toContain('<ok>1272/1500 left</ok>');
    expect(counts(40, 100)).toContain('<warn>40/100 left</warn>');
    expect(counts(0, 1500)).toContain('<bad>0/1500 left</bad>');
  });

  it('styles every piece of a line through the theme', () => {
    const out = renderQuotaTable(
      [
        {
          model: 'image-01',
          interval: { kind: 'count', remaining: 85, total: 100, resetsInMs: 75551954 },
          weekly: { kind: 'count', remaining: 400, total: 700 },
        },
        { model: 'video', interval: { kind: 'not-in-plan' } },
      ],
      { color: markerTheme },
    );
    expect(out).toBe(
      [
        '<b>image-01</b>  <ok>85/100 left</ok> <ok>█████████</ok><dim>░</dim>  <ok>week 400/700 left</ok>  <dim>resets in 20h 59m</dim>',
        '<b>video</b>     <dim>not in plan</dim>',
      ].join('\n'),
    );
  });

  it('keeps the bar full only at 100 % and non-empty above 0 %', () => {
    expect(renderQuotaTable([pctRow('m', 99)])).toContain('█████████░');
    expect(renderQuotaTable([pctRow('m', 1)])).toContain('█░░░░░░░░░');
    expect(renderQuotaTable([pctRow('m', 0)])).toContain('░░░░░░░░░░');
  });

  it('computes the reset from endsAt and now when remains_time is missing', () => {
    const rows: QuotaRow[] = [{ model: 'm', interval: { kind: 'percent', remainingPercent: 60, endsAt: 10_000_000 } }];
    expect(renderQuotaTable(rows, { now: 10_000_000 - 3 * 3_600_000 - 5 * 60_000 })).toBe('m  60% left ██████░░░░  resets in 3h 5m');
    expect(renderQuotaTable(rows)).toBe('m  60% left ██████░░░░');
  });

  it('aligns CJK model names by display width', () => {
    const out = renderQuotaTable([pctRow('语音', 80), pctRow('image-01', 80)]);
    const [a, b] = out.split('\n');
    expect(a?.indexOf('80%')).toBe(b!.indexOf('80%') - 2); // 语音 takes 4 columns in 2 chars
    expect(displayWidth(a!)).toBe(displayWidth(b!));
  });

  it('says so when there are no buckets', () => {
    expect(renderQuotaTable([], { color: markerTheme })).toBe('<dim>No Token Plan quota buckets returned.</dim>');
  });
});

describe('quotaLevel', () => {
  it('returns undefined for not-in-plan windows', () => {
    expect(quotaLevel({ kind: 'not-in-plan' })).toBeUndefined();
    expect(quotaLevel({ kind: 'count', remaining: 10, total: 10 })).toBe('ok');
    expect(quotaLevel({ kind: 'count', remaining: 0, total: 10 })).toBe('bad');
  });
});

describe("countsOf: mmx-cli 1.0.27's reading of usage_count", () => {
  it('reads the count as REMAINING by default', () => {
    expect(countsOf(228, 1500, undefined)).toEqual({ used: 1272, remaining: 228, total: 1500 });
  });
  it('a percent within 1 point of the USED reading makes it USED', () => {
    // 228 used of 1500 leaves 84.8 %; read as remaining it would be 15.2 %.
    expect(countsOf(228, 1500, 84.8)).toEqual({ used: 228, remaining: 1272, total: 1500 });
    expect(countsOf(228, 1500, 85.7)).toEqual({ used: 228, remaining: 1272, total: 1500 });
    expect(countsOf(228, 1500, 15)).toEqual({ used: 1272, remaining: 228, total: 1500 });
  });
  it('a percent that agrees with neither reading, an impossible count or no total: no counts', () => {
    expect(countsOf(228, 1500, 50)).toBeUndefined();
    expect(countsOf(0, 0, 97)).toBeUndefined();
    expect(countsOf(1600, 1500, undefined)).toBeUndefined();
    expect(countsOf(-1, 1500, undefined)).toBeUndefined();
    expect(countsOf(undefined, 1500, undefined)).toBeUndefined();
  });
});

describe("renderQuotaQuiet: mmx-cli 1.0.27's TSV", () => {
  it('model, used, total, remaining per bucket (the interval window)', () => {
    expect(renderQuotaQuiet(sentIntervals(GEN_B))).toBe(
      ['MiniMax-M*\t1272\t1500\t228', 'speech-hd\t9000\t9000\t0', 'image-01\t15\t100\t85'].join('\n'),
    );
  });
  it('model, -, total, percent where only percentages can be read', () => {
    const buckets = sentIntervals({
      model_remains: [
        GENERAL_C,
        { ...VIDEO_C, current_interval_status: 3 },
        { model_name: 'a\tb', current_interval_remaining_percent: 145 },
      ],
    });
    // VIDEO_C: 0 of 5 with 100 % left → the percent says the 0 is USED.
    expect(renderQuotaQuiet(buckets)).toBe(['general\t-\t0\t97%', 'video\t0\t5\t5', 'a b\t-\t-\t145%'].join('\n'));
  });
});

describe('balance', () => {
  const PAYLOAD = {
    available_amount: '98.00',
    cash_balance: '0.00',
    voucher_balance: '98.00',
    credit_balance: '0.00',
    owed_amount: '0.00',
    balance_alert_switch: false,
    balance_alert_threshold: '5.00',
    base_resp: { status_code: 0, status_msg: 'success' },
  };

  it('parses the query_balance payload keeping money as strings', () => {
    expect(parseBalance(PAYLOAD)).toStrictEqual({
      available: '98.00',
      cash: '0.00',
      voucher: '98.00',
      credit: '0.00',
      owed: '0.00',
      alertEnabled: false,
      alertThreshold: '5.00',
    });
  });

  it('accepts data nesting, numbers and missing fields', () => {
    expect(parseBalance({ data: { available_amount: 12.5, owed_amount: '1.000000', extra: 1 } })).toStrictEqual({
      available: '12.5',
      owed: '1.000000',
    });
  });

  it('throws BalanceShapeError (a QuotaShapeError) without amounts', () => {
    expect(() => parseBalance({ base_resp: { status_code: 1004, status_msg: 'login fail' } })).toThrow(
      'no balance amounts (base_resp 1004: login fail)',
    );
    expect(() => parseBalance(undefined)).toThrow(BalanceShapeError);
    expect(() => parseBalance({})).toThrow(QuotaShapeError);
  });

  it('renders aligned amounts', () => {
    expect(renderBalance(parseBalance(PAYLOAD), PLAIN_THEME)).toBe(
      ['Available  98.00', 'Cash        0.00', 'Voucher    98.00', 'Credit      0.00', 'Owed        0.00'].join('\n'),
    );
    expect(renderBalance({ available: '1234.5', owed: '0', alertEnabled: true, alertThreshold: '5.00' }, PLAIN_THEME)).toBe(
      ['Available  1234.5', 'Owed          0', 'Alert at      5.00'].join('\n'),
    );
  });

  it('colours available and owed', () => {
    expect(renderBalance({ available: '98.00', owed: '0.00' }, markerTheme)).toBe(
      ['<dim>Available</dim>  <b><ok>98.00</ok></b>', '<dim>Owed</dim>        0.00'].join('\n'),
    );
    expect(renderBalance({ available: '3.00', alertEnabled: true, alertThreshold: '5.00' }, markerTheme)).toContain(
      '<b><warn>3.00</warn></b>',
    );
    expect(renderBalance({ available: '3.00', alertEnabled: false, alertThreshold: '5.00' }, markerTheme)).toContain(
      '<b><ok>3.00</ok></b>',
    );
    expect(renderBalance({ available: '0.00', owed: '12.30' }, markerTheme)).toBe(
      ['<dim>Available</dim>   <b><bad>0.00</bad></b>', '<dim>Owed</dim>       <bad>12.30</bad>'].join('\n'),
    );
    expect(renderBalance({}, markerTheme)).toBe('<dim>No balance information returned.</dim>');
  });
});

describe('hostile model names', () => {
  it('replaces control characters in the table and the TSV', () => {
    const rows: QuotaRow[] = [{ model: 'evil\u001b[2J\nname', interval: { kind: 'percent', remainingPercent: 60 } }];
    expect(renderQuotaTable(rows)).toBe('evil [2J name  60% left ██████░░░░');
    expect(renderQuotaQuiet([{ model: 'evil\u001b[2J\nname', percent: 60 }])).toBe('evil [2J name\t-\t-\t60%');
  });
});
