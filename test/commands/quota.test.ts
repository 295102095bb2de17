/**
 * `mmx quota` (and `mmx quota show`) through the real CLI: the endpoint by key
 * kind, both payload eras, the text table, --quiet TSV, --output json as received,
 * and the pay-as-you-go balance.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BALANCE, DEFAULT_QUOTA, EMULATOR_KEYS } from '../../src/emulator/index.js';
import { balanceBody, tokenPlanRemains } from '../../src/emulator/quota.js';
import { CN, GLOBAL, useEmulators } from '../helpers/api.js';
import { masked } from '../helpers/leak.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
/** runCli's clock; the emulator gets the same one so reset times are exact. */
const NOW = Date.parse('2026-11-28T12:00:00Z');
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const paygEnv = { MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg, MINIMAX_REGION: 'cn' };

describe('Token Plan keys: GET /v1/token_plan/remains', () => {
  it('one GET, no body, Bearer on cn', async () => {
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(1);
    const sent = api.cn.requests[0]!;
    expect(sent.method).toBe('GET');
    expect(sent.path).toBe('/v1/token_plan/remains');
    expect(sent.body).toBeUndefined();
    expect(sent.headers.authorization).toBe(`Bearer ${EMULATOR_KEYS.cn}`);
    expect(sent.headers.accept).toBe('application/json');
  });

  it('percent era (the current payload): the text table has a row per bucket with the remaining share, weekly figure, reset and boost', async () => {
    api.use('cn', { now: () => NOW });
    const r = await runCli(['quota', '--output', 'text'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Token Plan quota (cn)');
    expect(lines[1]).toMatch(/^general\s+97% left\s+\S+\s+week 96% left\s+resets in 5h\s+boost ×2, week ×3$/);
    expect(lines[2]).toMatch(/^video\s+100% left\s+\S+\s+week 100% left\s+resets in 4h$/);
    expect(lines.slice(3)).toEqual(['']);
  });

  it('count era: the rows show left/total for the interval and the week (usage_count read as remaining, as mmx-cli 1.0.27)', async () => {
    api.use('cn', { now: () => NOW, quotaEra: 'count' });
    const r = await runCli(['quota', '--output', 'text'], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Token Plan quota (cn)');
    expect(lines[1]).toMatch(/^MiniMax-M\*\s+228\/1500 left\s+\S+\s+resets in 5h$/);
    expect(lines[2]).toMatch(/^speech-hd\s+0\/9000 left\s+\S+\s+week 0\/63000 left\s+resets in 4h$/);
    expect(lines[3]).toMatch(/^image-01\s+0\/100 left\s+\S+\s+week 0\/700 left\s+resets in 4h$/);
    expect(lines.slice(4)).toEqual(['']);
  });

  it('the region in the title follows the settings', async () => {
    const r = await runCli(['quota', '--output', 'text', '--region', 'global'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.global } });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Token Plan quota (global)');
    expect(api.global.requests.map((q) => q.path)).toEqual(['/v1/token_plan/remains']);
  });

  it.each([['percent'], ['count']] as const)('--output json prints the %s-era payload exactly as received', async (era) => {
    api.use('cn', { now: () => NOW, quotaEra: era });
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Same keys, same order, same values (base_resp included): nothing parsed or normalised.
    expect(r.stdout).toBe(`${JSON.stringify(tokenPlanRemains(era, NOW, { ...DEFAULT_QUOTA }), null, 2)}\n`);
  });

  it('--output json keeps fields this version does not know, numbers-as-strings and the order', async () => {
    const payload = {
      zeta: 'first',
      model_remains: [
        { model_name: 'MiniMax-M*', current_interval_total_count: '1500', current_interval_usage_count: '3', future_field: [1, 2] },
      ],
      base_resp: { status_code: 0, status_msg: 'success' },
      alpha: { nested: true },
    };
    api.cn.setFault({ kind: 'status', status: 200, body: payload, path: '/v1/token_plan/remains' });
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(payload, null, 2)}\n`);
  });

  it("--quiet prints mmx-cli 1.0.27's TSV: model, used, total, remaining (or -, total, percent)", async () => {
    api.use('cn', { now: () => NOW });
    const percent = await runCli(['quota', '--output', 'text', '--quiet'], { env });
    expect(percent.code).toBe(0);
    expect(percent.stdout).toBe('general\t-\t0\t97%\nvideo\t0\t5\t5\n');
    expect(percent.stderr).toBe('');

    api.use('cn', { now: () => NOW, quotaEra: 'count' });
    const count = await runCli(['quota', '--output', 'text', '--quiet'], { env });
    expect(count.code).toBe(0);
    expect(count.stdout).toBe('MiniMax-M*\t1272\t1500\t228\nspeech-hd\t9000\t9000\t0\nimage-01\t100\t100\t0\n');
  });

  it('--quiet piped (JSON by default) prints the payload, as mmx-cli', async () => {
    const r = await runCli(['quota', '--quiet'], { env });
    expect(r.code).toBe(0);
    expect(r.json().base_resp.status_code).toBe(0);
  });

  it('no active plan (model_remains: []): a readable line, exit 0', async () => {
    api.cn.setFault({ kind: 'status', status: 200, body: { model_remains: [], base_resp: { status_code: 0, status_msg: 'success' } } });
    const r = await runCli(['quota', '--output', 'text'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Token Plan quota (cn)\nNo Token Plan quota buckets returned.\n');
  });

  it('a payload without model_remains: exit 1 quoting it, in text and JSON', async () => {
    for (const output of ['text', 'json']) {
      api.cn.setFault({ kind: 'status', status: 200, body: { something: 'else', base_resp: { status_code: 0, status_msg: 'success' } } });
      const r = await runCli(['quota', '--output', output], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const message =
        'Unexpected response to GET /v1/token_plan/remains: no model_remains array (got {"something":"else","base_resp":{"status_code":0,"status_msg":"success"}}).';
      if (output === 'json') expect(JSON.parse(r.stderr).error.message).toBe(message);
      else
        expect(r.stderr).toBe(`Error: ${message}\n  Check --base-url: it should point at the MiniMax API (or a gateway that speaks it).\n`);
    }
  });

  it('--dry-run shows the GET with the key masked and sends nothing', async () => {
    const r = await runCli(['quota', '--dry-run', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(0);
    const [request] = r.json().requests;
    expect(request).toMatchObject({
      method: 'GET',
      url: `${CN}/v1/token_plan/remains`,
      headers: { authorization: `Bearer ${masked(EMULATOR_KEYS.cn)}` },
      auth: { style: 'bearer', reason: 'region' },
    });
    expect(request.body).toBeUndefined();
  });
});

describe('pay-as-you-go keys (sk-api-): GET /account/query_balance', () => {
  it('asks the balance endpoint, never the Token Plan one', async () => {
    const r = await runCli(['quota', '--output', 'text'], { env: paygEnv });
    expect(r.code).toBe(0);
    expect(api.cn.requests.map((q) => `${q.method} ${q.path} ${q.authStyle}`)).toEqual(['GET /account/query_balance bearer']);
  });

  it('text: the balance, amounts exactly as sent', async () => {
    const r = await runCli(['quota', '--output', 'text'], { env: paygEnv });
    expect(r.stdout).toBe('Available  98.00\nCash        0.00\nVoucher    98.00\nCredit      0.00\nOwed        0.00\n');
    expect(r.stderr).toBe('');
  });

  it('with a balance alert set, the threshold is shown too', async () => {
    api.use('cn', { balance: { available_amount: '12.34', balance_alert_switch: true, balance_alert_threshold: '20.00' } });
    const r = await runCli(['quota', '--output', 'text'], { env: paygEnv });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Available  12.34');
    expect(r.stdout).toContain('Alert at   20.00');
  });

  it('--output json: the balance payload as received', async () => {
    const r = await runCli(['quota', '--output', 'json'], { env: paygEnv });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(balanceBody({ ...DEFAULT_BALANCE }), null, 2)}\n`);
  });

  it('global pay-as-you-go keys go to the global host', async () => {
    const r = await runCli(['quota', '--output', 'json'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.globalPayg } });
    expect(r.code).toBe(0);
    expect(r.json().available_amount).toBe('98.00');
    expect(api.global.requests.map((q) => `${q.method} ${GLOBAL}${q.path}`)).toEqual([`GET ${GLOBAL}/account/query_balance`]);
  });
});

describe('mmx quota show is the same command', () => {
  it.each([
    ['text', ['--output', 'text']],
    ['quiet', ['--output', 'text', '--quiet']],
    ['json', ['--output', 'json']],
  ])('%s output is identical', async (_name, flags) => {
    api.use('cn', { now: () => NOW });
    const plain = await runCli(['quota', ...flags], { env });
    const show = await runCli(['quota', 'show', ...flags], { env });
    expect([plain.code, show.code]).toEqual([0, 0]);
    expect(show.stdout).toBe(plain.stdout);
    expect(show.stderr).toBe(plain.stderr);
    expect(api.cn.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v1/token_plan/remains', 'GET /v1/token_plan/remains']);
  });

  it('for a pay-as-you-go key too', async () => {
    const plain = await runCli(['quota', '--output', 'text'], { env: paygEnv });
    const show = await runCli(['quota', 'show', '--output', 'text'], { env: paygEnv });
    expect(show.stdout).toBe(plain.stdout);
    expect(show.code).toBe(0);
  });

  it('both have help with examples', async () => {
    for (const argv of [
      ['quota', '--help'],
      ['quota', 'show', '--help'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain('mmx quota --output json');
    }
  });
});
