/**
 * The heart of mmx: the auth-header strategy, end to end through the real CLI.
 *
 * 1. The seed (mmx-cli #59), reproduced exactly: cn + x-api-key → HTTP 500
 *    "system error (1033)", exit 1, the API's message.
 * 2. The fix: cn sends `Authorization: Bearer` on every request; global sends
 *    x-api-key on /anthropic/* and Bearer on /v1/* and /account/*.
 * 3. The auto-switch: a rejected header is retried once with the other one, the
 *    working style is remembered per origin and family (best-effort), a remembered
 *    style that is rejected later switches again, and an explicit style turns it off.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { CN, GLOBAL, useEmulators } from '../helpers/api.js';
import { masked } from '../helpers/leak.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();

const CN_KEY = EMULATOR_KEYS.cn;
const GLOBAL_KEY = EMULATOR_KEYS.global;
const CHAT = ['text', 'chat', '--message', '你好'];
const ANSWER = '你好！我是 MiniMax 模拟器。有什么可以帮你的？';
/** `--region global` against the cn emulator: the table says x-api-key on /anthropic, the server says 1033. */
const GLOBAL_ON_CN = ['--base-url', CN, '--region', 'global'];
const MISMATCH_WARNING = `warning: region global does not match ${CN}, a cn host; a key works only in its own region.`;
const NOTICE_CN_ANTHROPIC = `mmx: ${CN} rejected x-api-key on /anthropic/*; switched to Authorization: Bearer, which will be used there from now on.`;
const CARRY = (field: string) => `login fail: Please carry the API secret key in the '${field}' field of the request header`;

function writeConfig(dir: string, value: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

function readConfigFile(dir: string): Record<string, unknown> | undefined {
  const path = join(dir, 'config.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : undefined;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const styles = (emulator: { requests: { authStyle: string }[] }) => emulator.requests.map((r) => r.authStyle);

describe('the seed, reproduced: cn + x-api-key → HTTP 500 "system error (1033)"', () => {
  it('exits 1 with the API message as JSON on stderr, nothing on stdout, and does not switch (the style is explicit)', async () => {
    const configDir = tempConfigDir();
    const r = await runCli([...CHAT, '--model', 'MiniMax-M2.7', '--region', 'cn', '--auth-style', 'x-api-key', '--output', 'json'], {
      env: { MINIMAX_API_KEY: CN_KEY },
      configDir,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const error = JSON.parse(r.stderr).error;
    expect(error.code).toBe(1);
    expect(error.message).toBe('API error: system error (1033) (HTTP 500)');
    expect(error.api_code).toBe(1033);
    expect(error.request_id).toMatch(/^\S+$/);
    expect(error.hint).toBe(
      'The server rejected x-api-key, which is set explicitly (explicit style from --auth-style), so mmx did not switch; use --auth-style auto to let it.',
    );
    // Exactly what mmx-cli sent: one POST, x-api-key, no Authorization.
    expect(api.cn.requests).toHaveLength(1);
    const sent = api.cn.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/anthropic/v1/messages');
    expect(sent.headers['x-api-key']).toBe(CN_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toEqual({ model: 'MiniMax-M2.7', max_tokens: 4096, messages: [{ role: 'user', content: '你好' }] });
    // Nothing remembered: no config written at all.
    expect(readConfigFile(configDir)).toBeUndefined();
  });

  it('--verbose shows the request going to POST https://api.minimax.cn/anthropic/v1/messages with x-api-key (masked)', async () => {
    const r = await runCli([...CHAT, '--region', 'cn', '--auth-style', 'x-api-key', '--output', 'json', '--verbose'], {
      env: { MINIMAX_API_KEY: CN_KEY },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`> POST ${CN}/anthropic/v1/messages\n`);
    expect(r.stderr).toContain('> auth: x-api-key (explicit style from --auth-style)\n');
    expect(r.stderr).toContain(`> x-api-key: ${masked(CN_KEY)}\n`);
    expect(r.stderr).toContain('< 500 application/json');
    expect(r.stderr).not.toContain('retrying once');
    // The last stderr line is the one JSON error object.
    const last = lines(r.stderr).at(-1)!;
    expect(JSON.parse(last).error.message).toBe('API error: system error (1033) (HTTP 500)');
  });

  it('text mode: one "Error:" line with the API message, then the hint', async () => {
    const r = await runCli([...CHAT, '--region', 'cn', '--auth-style', 'x-api-key', '--output', 'text'], {
      env: { MINIMAX_API_KEY: CN_KEY },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const out = lines(r.stderr);
    expect(out[0]).toBe('Error: API error: system error (1033) (HTTP 500)');
    expect(out[1]).toMatch(/^ {2}The server rejected x-api-key, which is set explicitly/);
    expect(out[2]).toMatch(/^ {2}request id: \S+$/);
    expect(out).toHaveLength(3);
  });

  it('the same request with Bearer succeeds (the curl of the seed, step 3)', async () => {
    const r = await runCli([...CHAT, '--region', 'cn', '--auth-style', 'bearer', '--output', 'json'], {
      env: { MINIMAX_API_KEY: CN_KEY },
    });
    expect(r.code).toBe(0);
    expect(r.json().content.at(-1)).toEqual({ type: 'text', text: ANSWER });
    expect(styles(api.cn)).toEqual(['bearer']);
  });
});

describe('the fix: cn sends Authorization: Bearer on every request', () => {
  const cnEnv = { MINIMAX_API_KEY: CN_KEY };

  it.each([
    ['chat, not streamed', [...CHAT, '--region', 'cn', '--output', 'json', '--no-stream'], 'POST', '/anthropic/v1/messages'],
    ['chat, streamed', [...CHAT, '--region', 'cn', '--output', 'json', '--stream'], 'POST', '/anthropic/v1/messages'],
    ['quota', ['quota', '--region', 'cn', '--output', 'json'], 'GET', '/v1/token_plan/remains'],
    ['quota show', ['quota', 'show', '--region', 'cn', '--output', 'json'], 'GET', '/v1/token_plan/remains'],
  ])('%s', async (_name, argv, method, path) => {
    const r = await runCli(argv, { env: cnEnv });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(1);
    const sent = api.cn.requests[0]!;
    expect([sent.method, sent.path]).toEqual([method, path]);
    expect(sent.headers.authorization).toBe(`Bearer ${CN_KEY}`);
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.authStyle).toBe('bearer');
  });

  it('the pay-as-you-go balance on cn (/account/*) is Bearer too', async () => {
    const r = await runCli(['quota', '--region', 'cn', '--output', 'json'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg } });
    expect(r.code).toBe(0);
    expect(api.cn.requests.map((q) => [q.path, q.authStyle])).toEqual([['/account/query_balance', 'bearer']]);
  });

  it('the whole seed session: login --region cn, quota, chat (JSON, streamed and not) — Bearer every time, nothing remembered', async () => {
    const configDir = tempConfigDir();
    const login = await runCli(['auth', 'login', '--api-key', CN_KEY, '--region', 'cn', '--output', 'json'], { configDir });
    expect(login.code).toBe(0);
    const quota = await runCli(['quota', '--output', 'json'], { configDir });
    expect(quota.code).toBe(0);
    const chat = await runCli([...CHAT, '--model', 'MiniMax-M2.7', '--output', 'json'], { configDir });
    expect(chat.code).toBe(0);
    expect(chat.json().content.at(-1).text).toBe(ANSWER);
    const streamed = await runCli([...CHAT, '--output', 'json', '--stream'], { configDir });
    expect(streamed.code).toBe(0);
    expect(streamed.json().content).toBe(ANSWER); // streamed JSON: mmx-cli's {"content": "<answer>"}
    expect(api.cn.requests.map((q) => `${q.method} ${q.path} ${q.authStyle}`)).toEqual([
      'GET /v1/token_plan/remains bearer',
      'GET /v1/token_plan/remains bearer',
      'POST /anthropic/v1/messages bearer',
      'POST /anthropic/v1/messages bearer',
    ]);
    expect(api.cn.requests.every((q) => q.headers.authorization === `Bearer ${CN_KEY}` && q.headers['x-api-key'] === undefined)).toBe(true);
    expect(readConfigFile(configDir)?.auth_styles).toBeUndefined();
    expect(api.global.requests).toHaveLength(0);
  });
});

describe('global: x-api-key on /anthropic/*, Bearer on /v1/* and /account/*', () => {
  const globalEnv = { MINIMAX_API_KEY: GLOBAL_KEY };

  it.each([
    ['chat, not streamed', [...CHAT, '--output', 'json', '--no-stream']],
    ['chat, streamed', [...CHAT, '--output', 'json', '--stream']],
  ])('%s sends x-api-key only', async (_name, argv) => {
    const r = await runCli([...argv, '--region', 'global'], { env: globalEnv });
    expect(r.code).toBe(0);
    expect(api.global.requests).toHaveLength(1);
    const sent = api.global.requests[0]!;
    expect(sent.path).toBe('/anthropic/v1/messages');
    expect(sent.headers['x-api-key']).toBe(GLOBAL_KEY);
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('quota sends Bearer on /v1/token_plan/remains', async () => {
    const r = await runCli(['quota', '--region', 'global', '--output', 'json'], { env: globalEnv });
    expect(r.code).toBe(0);
    const sent = api.global.requests[0]!;
    expect(api.global.requests).toHaveLength(1);
    expect(sent.path).toBe('/v1/token_plan/remains');
    expect(sent.headers.authorization).toBe(`Bearer ${GLOBAL_KEY}`);
    expect(sent.headers['x-api-key']).toBeUndefined();
  });

  it('a pay-as-you-go balance sends Bearer on /account/query_balance', async () => {
    const r = await runCli(['quota', '--output', 'json'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.globalPayg } });
    expect(r.code).toBe(0);
    expect(api.global.requests.map((q) => [q.path, q.authStyle])).toEqual([['/account/query_balance', 'bearer']]);
  });

  it('the global native API takes only Bearer (as far as is known): a forced x-api-key on quota is rejected, exit 3', async () => {
    const r = await runCli(['quota', '--region', 'global', '--auth-style', 'x-api-key', '--output', 'json'], { env: globalEnv });
    expect(r.code).toBe(3);
    expect(styles(api.global)).toEqual(['x-api-key']);
    expect(JSON.parse(r.stderr).error.message).toBe(`API error: ${CARRY('Authorization')} (1004)`);
  });

  it('a remembered x-api-key for the global native API is switched back to Bearer, and that is remembered', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { auth_styles: { [GLOBAL]: { v1: 'x-api-key' } } });
    const r = await runCli(['quota', '--region', 'global', '--output', 'json'], { env: globalEnv, configDir });
    expect(r.code).toBe(0);
    expect(styles(api.global)).toEqual(['x-api-key', 'bearer']);
    expect(readConfigFile(configDir)).toEqual({ auth_styles: { [GLOBAL]: { v1: 'bearer' } } });
  });

  it('global is the default region', async () => {
    const r = await runCli([...CHAT, '--output', 'json'], { env: globalEnv });
    expect(r.code).toBe(0);
    expect(styles(api.global)).toEqual(['x-api-key']);
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('auto-switch: 1033 after x-api-key → one retry with Bearer → success, remembered', () => {
  const env = { MINIMAX_API_KEY: CN_KEY };

  it('switches, succeeds, writes auth_styles for that origin and family, and prints one notice on stderr (JSON stays clean)', async () => {
    const configDir = tempConfigDir();
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json'], { env, configDir });
    expect(r.code).toBe(0);
    // stdout: exactly one JSON document, the answer.
    const message = r.json();
    expect(message.type).toBe('message');
    expect(message.content.at(-1)).toEqual({ type: 'text', text: ANSWER });
    expect(r.stdout).not.toContain('switched');
    // The server saw x-api-key, then Bearer — nothing else.
    expect(api.cn.requests.map((q) => [q.path, q.authStyle])).toEqual([
      ['/anthropic/v1/messages', 'x-api-key'],
      ['/anthropic/v1/messages', 'bearer'],
    ]);
    expect(api.cn.requests[0]!.headers.authorization).toBeUndefined();
    expect(api.cn.requests[1]!.headers['x-api-key']).toBeUndefined();
    expect(api.cn.requests[1]!.body).toEqual(api.cn.requests[0]!.body);
    expect(api.global.requests).toHaveLength(0);
    // Remembered for this origin and this family only.
    expect(readConfigFile(configDir)).toEqual({ auth_styles: { [CN]: { anthropic: 'bearer' } } });
    // stderr: the region warning and the one-line notice, nothing more.
    expect(lines(r.stderr)).toEqual([MISMATCH_WARNING, NOTICE_CN_ANTHROPIC]);
  });

  it('the next run starts with Bearer directly: one request, no notice, config unchanged', async () => {
    const configDir = tempConfigDir();
    const first = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json'], { env, configDir });
    expect(first.code).toBe(0);
    const before = readFileSync(join(configDir, 'config.json'), 'utf8');
    api.cn.reset();

    const second = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json', '--verbose'], { env, configDir });
    expect(second.code).toBe(0);
    expect(styles(api.cn)).toEqual(['bearer']);
    expect(second.stderr).not.toContain('switched to');
    expect(second.stderr).toContain(`> auth: Authorization: Bearer (remembered after a switch on ${CN})\n`);
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).toBe(before);
  });

  it('streamed: the retry is streamed too and JSON output is still one document', async () => {
    const configDir = tempConfigDir();
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json', '--stream'], { env, configDir });
    expect(r.code).toBe(0);
    expect(r.json().content).toBe(ANSWER);
    expect(r.json().content_blocks.at(-1)).toEqual({ type: 'text', text: ANSWER });
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(api.cn.requests.map((q) => (q.body as { stream?: boolean }).stream)).toEqual([true, true]);
    expect(readConfigFile(configDir)).toEqual({ auth_styles: { [CN]: { anthropic: 'bearer' } } });
    expect(lines(r.stderr)).toEqual([MISMATCH_WARNING, NOTICE_CN_ANTHROPIC]);
  });

  it('text mode on a terminal: the answer on stdout, the notice on stderr', async () => {
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN], { env, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    expect(r.stderr).toContain(`${NOTICE_CN_ANTHROPIC}\n`);
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
  });

  it('--quiet: still switches and remembers, but prints no notice', async () => {
    const configDir = tempConfigDir();
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json', '--quiet'], { env, configDir });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('switched');
    expect(r.stderr).not.toContain('rejected');
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(readConfigFile(configDir)).toEqual({ auth_styles: { [CN]: { anthropic: 'bearer' } } });
  });

  it('--verbose logs the rejection and the retry, keys masked', async () => {
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json', '--verbose'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('> auth: x-api-key (region global table)\n');
    expect(r.stderr).toContain(`* ${CN} rejected x-api-key (system error (1033)); retrying once with Authorization: Bearer\n`);
    expect(r.stderr).toContain('> auth: Authorization: Bearer (after a rejected header)\n');
    expect(r.stderr).toContain(`> x-api-key: ${masked(CN_KEY)}\n`);
    expect(r.stderr).toContain(`> authorization: Bearer ${masked(CN_KEY)}\n`);
  });

  it('keeps the other settings of the config file when it remembers', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { api_key: CN_KEY, region: 'global', base_url: CN, default_text_model: 'MiniMax-M2.5', custom: { x: 1 } });
    const r = await runCli([...CHAT, '--output', 'json'], { configDir });
    expect(r.code).toBe(0);
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(readConfigFile(configDir)).toEqual({
      api_key: CN_KEY,
      region: 'global',
      base_url: CN,
      default_text_model: 'MiniMax-M2.5',
      custom: { x: 1 },
      auth_styles: { [CN]: { anthropic: 'bearer' } },
    });
  });

  it('memory is per origin: a style remembered for another origin does not apply', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { auth_styles: { 'https://gateway.example': { anthropic: 'bearer' } } });
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json'], { env, configDir });
    expect(r.code).toBe(0);
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(readConfigFile(configDir)).toEqual({
      auth_styles: { 'https://gateway.example': { anthropic: 'bearer' }, [CN]: { anthropic: 'bearer' } },
    });
  });

  it('memory is per family: a remembered /anthropic style does not change /v1 (quota stays Bearer by the table)', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { auth_styles: { [GLOBAL]: { anthropic: 'bearer' } } });
    const r = await runCli(['quota', '--output', 'json', '--region', 'global'], { env: { MINIMAX_API_KEY: GLOBAL_KEY }, configDir });
    expect(r.code).toBe(0);
    const chat = await runCli([...CHAT, '--output', 'json', '--region', 'global'], { env: { MINIMAX_API_KEY: GLOBAL_KEY }, configDir });
    expect(chat.code).toBe(0);
    expect(api.global.requests.map((q) => [q.path, q.authStyle])).toEqual([
      ['/v1/token_plan/remains', 'bearer'],
      ['/anthropic/v1/messages', 'bearer'],
    ]);
  });
});

describe('a remembered style is only a starting point', () => {
  it('remembered x-api-key for an origin whose server now demands Bearer: 1033 → switch again → Bearer remembered', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { api_key: CN_KEY, region: 'cn', auth_styles: { [CN]: { anthropic: 'x-api-key', v1: 'bearer' } } });
    const r = await runCli([...CHAT, '--output', 'json', '--verbose'], { configDir });
    expect(r.code).toBe(0);
    expect(r.json().content.at(-1).text).toBe(ANSWER);
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(r.stderr).toContain(`> auth: x-api-key (remembered after a switch on ${CN})\n`);
    expect(r.stderr).toContain(`${NOTICE_CN_ANTHROPIC}\n`);
    expect((readConfigFile(configDir) as { auth_styles: unknown }).auth_styles).toEqual({
      [CN]: { anthropic: 'bearer', v1: 'bearer' },
    });
  });

  it("the reverse: remembered Bearer, a server that wants x-api-key only (1004 naming 'X-Api-Key') → switch → x-api-key remembered", async () => {
    api.use('global', { authPolicy: { anthropic: 'x-api-key-only' } });
    const configDir = tempConfigDir();
    writeConfig(configDir, { api_key: GLOBAL_KEY, region: 'global', auth_styles: { [GLOBAL]: { anthropic: 'bearer' } } });
    const r = await runCli([...CHAT, '--output', 'json'], { configDir });
    expect(r.code).toBe(0);
    expect(r.json().content.at(-1).text).toBe(ANSWER);
    expect(styles(api.global)).toEqual(['bearer', 'x-api-key']);
    expect(lines(r.stderr)).toEqual([
      `mmx: ${GLOBAL} rejected Authorization: Bearer on /anthropic/*; switched to x-api-key, which will be used there from now on.`,
    ]);
    expect(readConfigFile(configDir)?.auth_styles).toEqual({ [GLOBAL]: { anthropic: 'x-api-key' } });
  });

  it("on /v1 too: a server that wants x-api-key for quota (HTTP 200, base_resp 1004 naming 'X-Api-Key') → switch → v1 remembered", async () => {
    api.use('cn', { authPolicy: { v1: 'x-api-key-only' } });
    const configDir = tempConfigDir();
    const r = await runCli(['quota', '--region', 'cn', '--output', 'json'], { env: { MINIMAX_API_KEY: CN_KEY }, configDir });
    expect(r.code).toBe(0);
    expect(r.json().model_remains).toHaveLength(2);
    expect(api.cn.requests.map((q) => [q.path, q.authStyle])).toEqual([
      ['/v1/token_plan/remains', 'bearer'],
      ['/v1/token_plan/remains', 'x-api-key'],
    ]);
    expect(readConfigFile(configDir)).toEqual({ auth_styles: { [CN]: { v1: 'x-api-key' } } });
    expect(lines(r.stderr)).toEqual([
      `mmx: ${CN} rejected Authorization: Bearer on native (/v1, /v2); switched to x-api-key, which will be used there from now on.`,
    ]);
  });
});

describe('what is not a rejection of the header style', () => {
  const env = { MINIMAX_API_KEY: CN_KEY };

  it("1004 naming the header that was sent ('Authorization' after Bearer) means a bad key: exit 3, no retry", async () => {
    api.cn.setFault({
      kind: 'status',
      status: 200,
      path: '/v1/token_plan/remains',
      body: { base_resp: { status_code: 1004, status_msg: CARRY('Authorization') } },
    });
    const r = await runCli(['quota', '--region', 'cn', '--output', 'json'], { env });
    expect(r.code).toBe(3);
    expect(styles(api.cn)).toEqual(['bearer']);
    const error = JSON.parse(r.stderr).error;
    expect(error.message).toBe(`API error: ${CARRY('Authorization')} (1004)`);
    expect(error.api_code).toBe(1004);
  });

  it('a 1033 after Bearer is not a header rejection: exit 1, one request', async () => {
    api.cn.setFault({
      kind: 'status',
      status: 500,
      body: { type: 'error', error: { type: 'api_error', message: 'system error (1033)' } },
    });
    const r = await runCli([...CHAT, '--region', 'cn', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(styles(api.cn)).toEqual(['bearer']);
    expect(JSON.parse(r.stderr).error.message).toBe('API error: system error (1033) (HTTP 500)');
  });

  it('a plain 401 "invalid api key" after x-api-key (global) is not retried with Bearer: exit 3', async () => {
    const r = await runCli([...CHAT, '--region', 'global', '--output', 'json'], {
      env: { MINIMAX_API_KEY: 'sk-cp-not-a-real-key-0000000000000000' },
    });
    expect(r.code).toBe(3);
    expect(styles(api.global)).toEqual(['x-api-key']);
  });
});

describe('an explicit style turns the switch off', () => {
  const env = { MINIMAX_API_KEY: CN_KEY };

  it('MINIMAX_AUTH_STYLE=x-api-key', async () => {
    const configDir = tempConfigDir();
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json'], { env: { ...env, MINIMAX_AUTH_STYLE: 'x-api-key' }, configDir });
    expect(r.code).toBe(1);
    expect(styles(api.cn)).toEqual(['x-api-key']);
    const error = JSON.parse(lines(r.stderr).at(-1)!).error;
    expect(error.message).toBe('API error: system error (1033) (HTTP 500)');
    expect(error.hint).toContain('(explicit style from MINIMAX_AUTH_STYLE), so mmx did not switch');
    expect(readConfigFile(configDir)).toBeUndefined();
  });

  it('config auth_style: x-api-key', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { api_key: CN_KEY, region: 'cn', auth_style: 'x-api-key' });
    const r = await runCli([...CHAT, '--output', 'json'], { configDir });
    expect(r.code).toBe(1);
    expect(styles(api.cn)).toEqual(['x-api-key']);
    expect(JSON.parse(r.stderr).error.hint).toContain('(explicit style from config auth_style), so mmx did not switch');
    expect(readConfigFile(configDir)?.auth_styles).toBeUndefined();
  });

  it('--auth-style bearer against a server that wants x-api-key: exit 3, one request', async () => {
    api.use('global', { authPolicy: { anthropic: 'x-api-key-only' } });
    const r = await runCli([...CHAT, '--region', 'global', '--auth-style', 'bearer', '--output', 'json'], {
      env: { MINIMAX_API_KEY: GLOBAL_KEY },
    });
    expect(r.code).toBe(3);
    expect(styles(api.global)).toEqual(['bearer']);
    const error = JSON.parse(r.stderr).error;
    expect(error.message).toBe(`API error: ${CARRY('X-Api-Key')} (1004) (HTTP 401)`);
    expect(error.api_code).toBe(1004);
  });

  it('an explicit style beats a remembered one', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { auth_styles: { [CN]: { anthropic: 'bearer' } } });
    const r = await runCli([...CHAT, '--region', 'cn', '--auth-style', 'x-api-key', '--output', 'json'], { env, configDir });
    expect(r.code).toBe(1);
    expect(styles(api.cn)).toEqual(['x-api-key']);
  });

  it('--auth-style auto overrides a config auth_style and switches again', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { auth_style: 'x-api-key' });
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--auth-style', 'auto', '--output', 'json'], { env, configDir });
    expect(r.code).toBe(0);
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(readConfigFile(configDir)).toEqual({ auth_style: 'x-api-key', auth_styles: { [CN]: { anthropic: 'bearer' } } });
  });
});

describe('when the retry fails too', () => {
  it("with an auth error (the key itself is bad): exit 3, the retry's error, and a note that both headers were tried", async () => {
    const configDir = tempConfigDir();
    const badKey = 'sk-cp-bad-key-0000000000000000000000000000';
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json'], { env: { MINIMAX_API_KEY: badKey }, configDir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    const error = JSON.parse(lines(r.stderr).at(-1)!).error;
    expect(error.code).toBe(3);
    expect(error.message).toBe('API error: invalid api key (HTTP 401)');
    expect(error.hint).toMatch(/^Both x-api-key and Authorization: Bearer were tried\. /);
    expect(error.hint).toContain('try --region cn');
    expect(readConfigFile(configDir)).toBeUndefined();
  });

  it('in text mode the note is on the hint line', async () => {
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'text'], {
      env: { MINIMAX_API_KEY: 'sk-cp-bad-key-0000000000000000000000000000' },
    });
    expect(r.code).toBe(3);
    const out = lines(r.stderr);
    expect(out).toContain('Error: API error: invalid api key (HTTP 401)');
    expect(out.find((line) => line.startsWith('  Both'))).toMatch(/^ {2}Both x-api-key and Authorization: Bearer were tried\./);
  });

  it('with another error: the original error, exit by its mapping, with the note', async () => {
    // The emulator turns a throwing reply into HTTP 500 "Internal server error": only the Bearer retry gets that far.
    api.use('cn', {
      reply: () => {
        throw new Error('boom');
      },
    });
    const configDir = tempConfigDir();
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json'], { env: { MINIMAX_API_KEY: CN_KEY }, configDir });
    expect(r.code).toBe(1);
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    const error = JSON.parse(lines(r.stderr).at(-1)!).error;
    expect(error.message).toBe('API error: system error (1033) (HTTP 500)');
    expect(error.api_code).toBe(1033);
    expect(error.hint).toBe('Both x-api-key and Authorization: Bearer were tried.');
    expect(readConfigFile(configDir)).toBeUndefined();
  });
});

describe('remembering is best-effort: a failed config write never fails the command', () => {
  // As root, chmod cannot stop a write; a config dir that is a dangling symlink can: reading it finds no file
  // (ENOENT, as on a fresh machine), and creating it fails (mkdir → ENOENT), whoever runs the test.
  it('the config dir cannot be created (a dangling symlink): exit 0, the answer printed, no notice, nothing created', async () => {
    const base = mkdtempSync(join(tmpdir(), 'mmx-dangling-'));
    const target = join(base, 'missing-parent', 'mmx');
    const configDir = join(base, 'mmx');
    symlinkSync(target, configDir);
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json', '--verbose'], { env: { MINIMAX_API_KEY: CN_KEY }, configDir });
    expect(r.code).toBe(0);
    expect(r.json().content.at(-1)).toEqual({ type: 'text', text: ANSWER });
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(r.stderr).toMatch(/\* could not remember the auth style: .*ENOENT/);
    expect(r.stderr).not.toContain('switched to');
    expect(existsSync(join(base, 'missing-parent'))).toBe(false);
    // Without --verbose: not a word about the style, and the same success (the conversation, which cannot be
    // recorded either, is a warning of its own; --no-save skips it).
    const quiet = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json', '--no-save'], {
      env: { MINIMAX_API_KEY: CN_KEY },
      configDir,
    });
    expect(quiet.code).toBe(0);
    expect(lines(quiet.stderr)).toEqual([MISMATCH_WARNING]);
  });

  it('the config dir turns into a regular file mid-run (so the write cannot happen): exit 0, answer printed, no notice', async () => {
    const configDir = tempConfigDir();
    let replies = 0;
    api.use('cn', {
      // Runs while the Bearer retry is being answered, i.e. after mmx read its config and before it remembers.
      reply: () => {
        replies++;
        rmSync(configDir, { recursive: true, force: true });
        writeFileSync(configDir, 'not a directory\n');
        return { text: 'still answered' };
      },
    });
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'json', '--verbose'], { env: { MINIMAX_API_KEY: CN_KEY }, configDir });
    expect(r.code).toBe(0);
    expect(replies).toBe(1);
    expect(r.json().content).toEqual([{ type: 'text', text: 'still answered' }]);
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(r.stderr).toContain('* could not remember the auth style: ');
    expect(r.stderr).not.toContain('switched to');
    expect(readFileSync(configDir, 'utf8')).toBe('not a directory\n');
  });

  it('the config file became unreadable JSON mid-run: mmx does not overwrite it, and the command still succeeds', async () => {
    const configDir = tempConfigDir();
    writeConfig(configDir, { region: 'global' });
    api.use('cn', {
      reply: () => {
        writeFileSync(join(configDir, 'config.json'), '{ "region": ');
        return { text: 'ok' };
      },
    });
    const r = await runCli([...CHAT, ...GLOBAL_ON_CN, '--output', 'text', '--no-stream'], { env: { MINIMAX_API_KEY: CN_KEY }, configDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok\n');
    expect(styles(api.cn)).toEqual(['x-api-key', 'bearer']);
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).toBe('{ "region": ');
  });
});
