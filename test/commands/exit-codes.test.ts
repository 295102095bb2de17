/**
 * The exit-code contract (mmx-cli's, completed), one or more tests per code
 * through the real CLI, both error formats, and the mapping table itself.
 *
 * | 0 ok | 1 API/general | 2 usage | 3 auth | 4 quota/rate | 5 timeout | 6 network | 10 content filter | 130 interrupted |
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import type { Fault } from '../../src/emulator/index.js';
import { localTime } from '../../src/api/failure.js';
import { API_CODE_TABLE, ExitCode, HTTP_STATUS_TABLE, exitCodeForApi } from '../../src/errors.js';
import { CN, useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const NOW = Date.parse('2026-11-28T12:00:00Z');
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const CHAT = ['text', 'chat', '--message', 'hi'];
const DOCUMENTED = [0, 1, 2, 3, 4, 5, 6, 10, 130];

/** The one JSON error object on stderr; stdout must be empty. */
function jsonError(r: { stdout: string; stderr: string }): Record<string, unknown> {
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  const parsed = JSON.parse(lines[0]!) as { error: Record<string, unknown> };
  expect(Object.keys(parsed)).toEqual(['error']);
  return parsed.error;
}

const anthropicError = (status: number, type: string, message: string): Fault => ({
  kind: 'status',
  status,
  body: { type: 'error', error: { type, message }, request_id: `req-${status}` },
});
const baseResp = (code: number, message: string): Fault => ({
  kind: 'status',
  status: 200,
  body: { base_resp: { status_code: code, status_msg: message } },
});

describe('0: ok', () => {
  it('quota and chat succeed with exit 0 and nothing on stderr', async () => {
    for (const argv of [
      ['quota', '--output', 'json'],
      [...CHAT, '--output', 'json'],
      [...CHAT, '--output', 'json', '--stream'],
    ]) {
      const r = await runCli(argv, { env });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });

  it('--version and --help', async () => {
    expect((await runCli(['--version'])).code).toBe(0);
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['text', 'chat', '--help'])).code).toBe(0);
  });
});

describe('1: API or general error', () => {
  it('HTTP 500 / 1000, after the retries', async () => {
    api.cn.setFault({ kind: 'server-error', code: 1000 });
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(1);
    const error = jsonError(r);
    expect(error).toMatchObject({ code: 1, message: 'API error: unknown error (1000) (HTTP 500)', api_code: 1000 });
    expect(error.request_id).toEqual(expect.any(String));
    expect(api.cn.requests).toHaveLength(3); // 1 + the default 2 retries
  });

  it("HTTP 400 / 2013 with the API's message", async () => {
    api.cn.setFault(anthropicError(400, 'invalid_request_error', 'invalid params, tools[0].name is required (2013)'));
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(jsonError(r)).toEqual({
      code: 1,
      message: 'API error: invalid params, tools[0].name is required (2013) (HTTP 400)',
      api_code: 2013,
      request_id: 'req-400',
    });
    expect(api.cn.requests).toHaveLength(1); // a 400 is not retried
  });

  it('HTTP 529 / 2064 (overloaded), after the retries', async () => {
    api.cn.setFault({ kind: 'overloaded' });
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(jsonError(r)).toMatchObject({
      code: 1,
      message: 'API error: The server cluster is currently under high load, please retry later (2064) (529)',
      api_code: 2064,
    });
    expect(api.cn.requests).toHaveLength(3);
  });

  it('a body that is not JSON (an HTML page with HTTP 200)', async () => {
    api.cn.setFault({ kind: 'non-json' });
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(1);
    const error = jsonError(r);
    expect(error.message).toMatch(
      /^API error: the server answered HTTP 200 with a body that is not JSON \(text\/html\): <html> <head><title>502 Bad Gateway/,
    );
    expect(error.hint).toBe('Check --base-url: it should point at the MiniMax API (or a gateway that speaks it).');
  });

  it('a body that is not JSON with an error status (HTTP 502 HTML)', async () => {
    api.cn.setFault({ kind: 'non-json', status: 502 });
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(jsonError(r).message).toMatch(/^API error: the server answered HTTP 502 with a body that is not JSON/);
  });

  it('a business error inside HTTP 200 (base_resp.status_code != 0)', async () => {
    api.cn.setFault(baseResp(2013, 'invalid params'));
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(jsonError(r)).toMatchObject({ code: 1, message: 'API error: invalid params (2013)', api_code: 2013 });
  });

  it('a success status whose body is not JSON on the quota endpoint', async () => {
    api.cn.setFault({ kind: 'status', status: 200, body: 'OK', contentType: 'text/plain' });
    const r = await runCli(['quota', '--output', 'text'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('Error: API error: the server answered HTTP 200 with a body that is not JSON (text/plain): OK');
  });

  it('an error event in a stream whose type is unknown (even "constructor") maps to 1, not to Object.prototype', async () => {
    const sse = [
      {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: { id: 'm', type: 'message', role: 'assistant', content: [], model: 'MiniMax-M2.7', usage: {} },
        },
      },
      { event: 'error', data: { type: 'error', error: { type: 'constructor', message: 'odd' } } },
    ]
      .map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`)
      .join('');
    api.cn.setFault({ kind: 'status', status: 200, body: sse, contentType: 'text/event-stream' });
    const r = await runCli([...CHAT, '--stream', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(jsonError(r)).toMatchObject({ code: 1, message: 'API error in the stream: odd' });
  });

  it('a broken config file', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempConfigDir } = await import('../helpers/run-cli.js');
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), '{ "region": ', { mode: 0o600 });
    const r = await runCli(['quota', '--output', 'json'], { env, configDir });
    expect(r.code).toBe(1);
    expect(jsonError(r).message).toMatch(/config\.json is not valid JSON/);
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('2: usage', () => {
  it('an unknown flag, named', async () => {
    const r = await runCli(['quota', '--frobnicate', '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(jsonError(r)).toEqual({
      code: 2,
      message: "Unknown option '--frobnicate'.",
      hint: 'See "mmx --help", or "mmx <command> --help".',
    });
    expect(api.cn.requests).toHaveLength(0);
  });

  it('an unknown flag never swallows the next argument: text chat --yes --message hi → exit 2 naming --yes', async () => {
    const r = await runCli(['text', 'chat', '--yes', '--message', 'hi', '--output', 'json'], { env });
    expect(r.code).toBe(2);
    const error = jsonError(r);
    expect(error.message).toBe("Unknown option '--yes'.");
    expect(api.cn.requests).toHaveLength(0);
  });

  it('an unknown flag before a value-taking one, in text mode', async () => {
    const r = await runCli(['text', 'chat', '--bogus', '--model', 'MiniMax-M2.7', '--message', 'hi', '--output', 'text'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("Error: Unknown option '--bogus'.");
  });

  it('a bad --region', async () => {
    const r = await runCli(['quota', '--region', 'mars', '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(jsonError(r).message).toBe("Option '--region <region>' argument 'mars' is invalid. Allowed choices are global, cn.");
  });

  it('a bad MINIMAX_REGION', async () => {
    const r = await runCli(['quota', '--output', 'json'], { env: { ...env, MINIMAX_REGION: 'mars' } });
    expect(r.code).toBe(2);
    expect(jsonError(r).message).toBe('MINIMAX_REGION must be "global" or "cn" (got "mars").');
  });

  it.each([['abc'], ['0'], ['-5'], ['']])('a bad --timeout (%j)', async (value) => {
    const r = await runCli(['quota', `--timeout=${value}`, '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(jsonError(r).message).toBe(`--timeout must be a positive number of seconds, at most 2147483 (24 days) (got "${value}").`);
    expect(api.cn.requests).toHaveLength(0);
  });

  it.each([
    ['--timeout', '99999999999'],
    ['--timeout', '2147484'],
    ['--idle-timeout', '99999999999'],
  ])('%s %s, past what a timer can hold (2^31-1 ms, which Node fires after 1 ms): exit 2, nothing sent', async (flag, value) => {
    api.cn.setFault({ kind: 'slow-first-byte', ms: 30 });
    const r = await runCli(['quota', flag, value, '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(jsonError(r).message).toBe(`${flag} must be a positive number of seconds, at most 2147483 (24 days) (got "${value}").`);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('the longest timeout a timer holds (2147483 s) is accepted and does not fire early', async () => {
    api.cn.setFault({ kind: 'slow-first-byte', ms: 30 });
    const r = await runCli(['quota', '--timeout', '2147483', '--idle-timeout', '2147483', '--output', 'json'], { env });
    expect(r.code).toBe(0);
  });

  it.each([
    ['MINIMAX_TIMEOUT', 'timeout'],
    ['MINIMAX_IDLE_TIMEOUT', 'idle_timeout'],
  ])('%s past the timer range is exit 2 naming it', async (name) => {
    const r = await runCli(['quota', '--output', 'json'], { env: { ...env, [name]: '1e12' } });
    expect(r.code).toBe(2);
    expect(jsonError(r).message).toContain(`${name} must be a positive number of seconds, at most 2147483`);
  });

  it('a bad --output', async () => {
    const r = await runCli(['quota', '--output', 'yaml'], { env });
    expect(r.code).toBe(2);
  });

  it('an unknown command', async () => {
    const r = await runCli(['frob', '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(jsonError(r).message).toBe('Unknown command "frob".');
  });

  it('no message, and stdin claimed twice', async () => {
    expect((await runCli(['text', 'chat', '--output', 'json'], { env })).code).toBe(2);
    expect((await runCli(['text', 'chat', '--messages-file', '-', '--api-key', '-', '--output', 'json'], { stdin: 'x' })).code).toBe(2);
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('3: auth', () => {
  it('401: a key the server does not know', async () => {
    const r = await runCli([...CHAT, '--output', 'json'], { env: { ...env, MINIMAX_API_KEY: 'sk-cp-unknown-key-000000000000000000' } });
    expect(r.code).toBe(3);
    const error = jsonError(r);
    expect(error.message).toBe('API error: invalid api key (HTTP 401)');
    expect(error.hint).toBe(
      'The key was not accepted in region cn. Keys work only in their own region: try --region global, or check it with "mmx auth status".',
    );
  });

  it('403', async () => {
    api.cn.setFault({ kind: 'status', status: 403, body: { type: 'error', error: { type: 'permission_error', message: 'forbidden' } } });
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(3);
    expect(jsonError(r).message).toBe('API error: forbidden (HTTP 403)');
  });

  it('1004 (header missing: Authorization asked for, x-api-key sent explicitly)', async () => {
    const r = await runCli(['quota', '--auth-style', 'x-api-key', '--output', 'json'], { env });
    expect(r.code).toBe(3);
    const error = jsonError(r);
    expect(error.api_code).toBe(1004);
    expect(error.message).toBe(
      "API error: login fail: Please carry the API secret key in the 'Authorization' field of the request header (1004)",
    );
  });

  it('2049 with the other-region hint (a cn key sent to global), for quota and chat', async () => {
    const quota = await runCli(['quota', '--region', 'global', '--output', 'json'], { env });
    expect(quota.code).toBe(3);
    expect(jsonError(quota)).toMatchObject({
      code: 3,
      message: 'API error: invalid api key (2049)',
      api_code: 2049,
      hint: 'The key was not accepted in region global. Keys work only in their own region: try --region cn, or check it with "mmx auth status".',
    });
    const chat = await runCli([...CHAT, '--region', 'global', '--output', 'text'], { env });
    expect(chat.code).toBe(3);
    const lines = chat.stderr.split('\n');
    expect(lines[0]).toBe('Error: API error: invalid api key (2049) (HTTP 401)');
    expect(lines[1]).toContain('try --region cn');
  });

  it('no key anywhere', async () => {
    const r = await runCli(['quota', '--output', 'json'], { env: {} });
    expect(r.code).toBe(3);
    expect(jsonError(r)).toEqual({
      code: 3,
      message: 'No API key found.',
      hint: 'Log in with "mmx auth login", or set MINIMAX_API_KEY.',
    });
    expect(api.cn.requests.length + api.global.requests.length).toBe(0);
  });
});

describe('4: quota or rate limit', () => {
  it('429 / 2056 with the reset time in the hint, not retried', async () => {
    api.use('cn', { now: () => NOW });
    api.cn.setFault({ kind: 'rate-limit' });
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(4);
    expect(jsonError(r)).toMatchObject({
      code: 4,
      message:
        'API error: usage limit exceeded, 5-hour usage limit reached for Token Plan Starter (0/0 used), resets at 2026-11-28T17:00:00Z (2056) (HTTP 429)',
      hint: `The limit resets at ${localTime(Date.parse('2026-11-28T17:00:00Z'))}, in 5h 0m. See "mmx quota".`,
      api_code: 2056,
    });
    expect(api.cn.requests).toHaveLength(1);
  });

  it('2056 inside HTTP 200 on the native API', async () => {
    api.use('cn', { now: () => NOW });
    api.cn.setFault({ kind: 'rate-limit' });
    const r = await runCli(['quota', '--output', 'text'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n')[1]).toBe(
      `  The limit resets at ${localTime(Date.parse('2026-11-28T17:00:00Z'))}, in 5h 0m. See "mmx quota".`,
    );
  });

  it('1002 via base_resp (a rate limit: retried, then exit 4)', async () => {
    api.cn.setFault(baseResp(1002, 'rate limit exceeded'));
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(4);
    expect(jsonError(r)).toMatchObject({ code: 4, api_code: 1002, message: 'API error: rate limit exceeded (1002)' });
    expect(jsonError(r).hint).toBe('Wait and retry, or check your plan with "mmx quota".');
    expect(api.cn.requests).toHaveLength(3);
  });

  it('2061 (model not in the plan) in the Anthropic envelope', async () => {
    api.cn.setFault(anthropicError(400, 'bad_request_error', 'your current token plan not support model, MiniMax-M3 (2061)'));
    const r = await runCli([...CHAT, '--model', 'MiniMax-M3', '--output', 'json'], { env });
    expect(r.code).toBe(4);
    expect(jsonError(r)).toMatchObject({ code: 4, api_code: 2061 });
  });

  it.each([[1008], [1028], [1030], [1039], [2045]])('%i in base_resp', async (code) => {
    api.cn.setFault(baseResp(code, 'limited'));
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(4);
    expect(jsonError(r)).toMatchObject({ code: 4, api_code: code });
  });

  it('a plain 429 without a code, after the retries', async () => {
    api.cn.setFault({ kind: 'status', status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } });
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(4);
    expect(api.cn.requests).toHaveLength(3);
  });
});

describe('5: timeout', () => {
  it('408 from the server (empty body)', async () => {
    api.cn.setFault({ kind: 'status', status: 408 });
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(5);
    expect(jsonError(r)).toMatchObject({ code: 5, hint: 'The server timed out; retry, or raise --timeout.' });
  });

  it('504 from a gateway (HTML body)', async () => {
    api.cn.setFault({ kind: 'status', status: 504, body: '<html>504 Gateway Time-out</html>', contentType: 'text/html' });
    const r = await runCli([...CHAT, '--output', 'text'], { env });
    expect(r.code).toBe(5);
    expect(r.stderr.split('\n')[0]).toBe(
      'Error: API error: the server answered HTTP 504 with a body that is not JSON (text/html): <html>504 Gateway Time-out</html>',
    );
  });

  it('--timeout exceeded (no response headers in 0.05 s): exit 5 naming --timeout, no retry', async () => {
    api.cn.enqueueFault({ kind: 'slow-first-byte', ms: 300 });
    const r = await runCli(['quota', '--timeout', '0.05', '--output', 'json'], { env });
    expect(r.code).toBe(5);
    expect(jsonError(r)).toEqual({
      code: 5,
      message: `No response from ${CN} within 0.05 s (--timeout).`,
      hint: 'Raise --timeout (seconds), or check the network and --region.',
    });
    expect(api.cn.requests).toHaveLength(1);
  });

  it('MINIMAX_TIMEOUT does the same', async () => {
    api.cn.enqueueFault({ kind: 'slow-first-byte', ms: 300 });
    const r = await runCli([...CHAT, '--output', 'json'], { env: { ...env, MINIMAX_TIMEOUT: '0.05' } });
    expect(r.code).toBe(5);
    expect(jsonError(r).message).toBe(`No response from ${CN} within 0.05 s (--timeout).`);
  });
});

describe('6: network', () => {
  it('an unreachable host', async () => {
    api.down(CN);
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(6);
    const error = jsonError(r);
    expect(error.code).toBe(6);
    expect(error.message).toMatch(/^Cannot reach https:\/\/api\.minimax\.cn: .+\.$/);
    expect(error.hint).toBe('Check the network, the proxy settings (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) and --base-url.');
  });

  it('a stream cut before message_stop (after printing what arrived)', async () => {
    api.cn.enqueueFault({ kind: 'cut-stream' });
    const r = await runCli(CHAT, { env, stdoutTTY: true });
    expect(r.code).toBe(6);
    expect(r.stdout).not.toBe('');
  });
});

describe('10: content filter', () => {
  it('1026 (input flagged) in the Anthropic envelope', async () => {
    api.cn.setFault(anthropicError(400, 'invalid_request_error', 'input new_sensitive (1026)'));
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(r.code).toBe(10);
    expect(jsonError(r)).toEqual({
      code: 10,
      message: 'API error: input new_sensitive (1026) (HTTP 400)',
      hint: 'The content was flagged by the sensitivity filter; rephrase the input.',
      api_code: 1026,
      request_id: 'req-400',
    });
  });

  it('1027 (output flagged) in base_resp', async () => {
    api.cn.setFault(baseResp(1027, 'output new_sensitive'));
    const r = await runCli(['quota', '--output', 'text'], { env });
    expect(r.code).toBe(10);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'Error: API error: output new_sensitive (1027)',
      '  The content was flagged by the sensitivity filter; rephrase the input.',
    ]);
  });
});

describe('130: interrupted', () => {
  it('Ctrl-C during a slow request', async () => {
    api.cn.enqueueFault({ kind: 'slow-first-byte', ms: 300 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const r = await runCli([...CHAT, '--output', 'text', '--no-stream'], { env, signal: controller.signal });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('\nInterrupted.\n');
  });

  // "With JSON output, errors are one object": an interrupt too, so a script can parse it.
  it('under --output json, an interrupt is reported as the JSON error object', async () => {
    api.cn.enqueueFault({ kind: 'slow-first-byte', ms: 300 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const r = await runCli([...CHAT, '--output', 'json'], { env, signal: controller.signal });
    expect(r.code).toBe(130);
    expect(jsonError(r)).toMatchObject({ code: 130, message: 'Interrupted.' });
  });

  it('Ctrl-C during a stream', async () => {
    api.use('cn', { textDeltaSize: 1 });
    api.cn.enqueueFault({ kind: 'slow-stream', ms: 40 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await runCli([...CHAT, '--quiet'], { env, stdoutTTY: true, signal: controller.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Interrupted.');
  });
});

describe('both error formats', () => {
  it('text: "Error: …" then the hint (and the request id when known), all on stderr', async () => {
    api.cn.setFault(anthropicError(400, 'invalid_request_error', 'input new_sensitive (1026)'));
    const r = await runCli([...CHAT, '--output', 'text'], { env });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Error: API error: input new_sensitive (1026) (HTTP 400)\n  The content was flagged by the sensitivity filter; rephrase the input.\n  request id: req-400\n',
    );
  });

  it('JSON: one object {"error":{code,message,hint,api_code,request_id}} on stderr, in that order, nothing on stdout', async () => {
    api.cn.setFault(anthropicError(400, 'invalid_request_error', 'input new_sensitive (1026)'));
    const r = await runCli([...CHAT, '--output', 'json'], { env });
    expect(Object.keys(jsonError(r))).toEqual(['code', 'message', 'hint', 'api_code', 'request_id']);
  });

  it('JSON is the default when stdout is not a terminal; text when it is', async () => {
    const piped = await runCli(['quota'], { env: {} });
    expect(jsonError(piped).code).toBe(3);
    const tty = await runCli(['quota'], { env: {}, stdoutTTY: true });
    expect(tty.stderr.startsWith('Error: No API key found.\n')).toBe(true);
  });

  it('usage errors follow --output json too', async () => {
    const r = await runCli(['quota', '--nope', '--output', 'json'], { stdoutTTY: true });
    expect(jsonError(r).code).toBe(2);
  });

  it('no stack trace for anything a user can cause', async () => {
    const runs = [
      await runCli(['quota', '--nope'], { env }),
      await runCli(['quota'], { env: {} }),
      await runCli(['text', 'chat', '--messages-file', '/nonexistent/x.json'], { env }),
    ];
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toContain('.ts:');
    }
  });
});

describe('the mapping table', () => {
  const documentedForApi = new Set<number>([1, 2, 3, 4, 5, 6, 10]);

  /**
   * The README's exit-code table, the contract users read, parsed as an independent statement:
   * for each exit, the HTTP statuses ("HTTP 401/403") and MiniMax codes ("codes 1004 and 2049")
   * its row names, and the status/code pairs of row 1 ("500/1033"). It is written for people, so the
   * test can fail on either side: a mapping the README does not state, or a README row the code breaks.
   */
  function readmeContract() {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('Business errors inside HTTP 200'));
    const rows = section.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    return rows.map((line) => {
      const [, exit = '', , from = ''] = line.split('|').map((cell) => cell.trim());
      const statuses = [...from.matchAll(/HTTP ((?:\d{3}\/)*\d{3})\b/g)].flatMap((m) => (m[1] ?? '').split('/').map(Number));
      // MiniMax codes are the four-digit numbers that are not the code half of a status/code pair.
      const codes = [...from.matchAll(/(?<![/\d])\d{4}(?!\d)/g)].map((m) => Number(m[0]));
      const pairs = [...from.matchAll(/\b(\d{3})\/(\d{4})\b/g)].map((m) => ({ status: Number(m[1]), apiCode: Number(m[2]) }));
      return { exit: Number(exit), statuses, codes, pairs };
    });
  }

  it('agrees with the README exit-code table both ways: every status and code it names, and nothing it does not', () => {
    const contract = readmeContract();
    expect(contract.map((row) => row.exit)).toEqual(DOCUMENTED);
    // The parse found what the README says (guards the parser itself).
    expect(contract.find((row) => row.exit === 3)).toMatchObject({ statuses: [401, 403], codes: [1004, 2049] });
    expect(contract.find((row) => row.exit === 1)?.pairs).toContainEqual({ status: 500, apiCode: 1033 });

    for (const row of contract) {
      for (const status of row.statuses) expect(exitCodeForApi({ status }), `README: HTTP ${status} → ${row.exit}`).toBe(row.exit);
      for (const apiCode of row.codes) expect(exitCodeForApi({ apiCode }), `README: code ${apiCode} → ${row.exit}`).toBe(row.exit);
      for (const pair of row.pairs) expect(exitCodeForApi(pair), `README: ${pair.status}/${pair.apiCode} → ${row.exit}`).toBe(row.exit);
    }
    // Every code and status the mapping gives a meaning of its own is documented, under the exit it gets.
    const documented = (exit: number) => contract.find((row) => row.exit === exit);
    for (const [code, exit] of Object.entries(API_CODE_TABLE)) {
      expect(documented(exit)?.codes, `code ${code} (exit ${exit}) is not in the README's row for ${exit}`).toContain(Number(code));
    }
    for (const [status, exit] of Object.entries(HTTP_STATUS_TABLE)) {
      expect(documented(exit)?.statuses, `HTTP ${status} (exit ${exit}) is not in the README's row for ${exit}`).toContain(Number(status));
    }
  });

  it('the spec table, code by code', () => {
    const spec: [Parameters<typeof exitCodeForApi>[0], number][] = [
      [{ status: 500, apiCode: 1000 }, ExitCode.GENERAL],
      [{ status: 400, apiCode: 2013 }, ExitCode.GENERAL],
      [{ status: 529, apiCode: 2064 }, ExitCode.GENERAL],
      [{ status: 500, apiCode: 1033 }, ExitCode.GENERAL],
      [{ status: 502 }, ExitCode.GENERAL],
      [{ status: 401 }, ExitCode.AUTH],
      [{ status: 403 }, ExitCode.AUTH],
      [{ status: 200, apiCode: 1004 }, ExitCode.AUTH],
      [{ status: 200, apiCode: 2049 }, ExitCode.AUTH],
      [{ status: 429 }, ExitCode.QUOTA],
      ...[1002, 1039, 2045, 2056, 1008, 1028, 1030, 2061].map((apiCode): [{ apiCode: number }, number] => [{ apiCode }, ExitCode.QUOTA]),
      [{ status: 408 }, ExitCode.TIMEOUT],
      [{ status: 504 }, ExitCode.TIMEOUT],
      [{ apiCode: 1026 }, ExitCode.CONTENT_FILTER],
      [{ apiCode: 1027 }, ExitCode.CONTENT_FILTER],
      [{ errorType: 'authentication_error' }, ExitCode.AUTH],
      [{ errorType: 'rate_limit_error' }, ExitCode.QUOTA],
      [{ errorType: 'overloaded_error' }, ExitCode.GENERAL],
      [{}, ExitCode.GENERAL],
    ];
    for (const [failure, exit] of spec) expect(exitCodeForApi(failure), JSON.stringify(failure)).toBe(exit);
    expect(ExitCode).toEqual({
      OK: 0,
      GENERAL: 1,
      USAGE: 2,
      AUTH: 3,
      QUOTA: 4,
      TIMEOUT: 5,
      NETWORK: 6,
      CONTENT_FILTER: 10,
      INTERRUPTED: 130,
    });
  });

  it('a known MiniMax code wins over the HTTP status (2056 inside a 200, 1004 inside a 500)', () => {
    expect(exitCodeForApi({ status: 200, apiCode: 2056 })).toBe(ExitCode.QUOTA);
    expect(exitCodeForApi({ status: 500, apiCode: 1004 })).toBe(ExitCode.AUTH);
    expect(exitCodeForApi({ status: 401, apiCode: 1026 })).toBe(ExitCode.CONTENT_FILTER);
  });

  it('property: exitCodeForApi always returns one of 1, 2, 3, 4, 5, 6, 10', () => {
    const knownCodes = Object.keys(API_CODE_TABLE).map(Number);
    const knownStatuses = Object.keys(HTTP_STATUS_TABLE).map(Number);
    fc.assert(
      fc.property(
        fc.record(
          {
            status: fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.constantFrom(...knownStatuses)),
            apiCode: fc.oneof(fc.integer(), fc.constantFrom(...knownCodes), fc.double()),
            errorType: fc.oneof(
              fc.string(),
              fc.constantFrom('authentication_error', 'rate_limit_error', 'overloaded_error', '__proto__', 'constructor', 'toString'),
            ),
          },
          { requiredKeys: [] },
        ),
        (failure) => {
          expect(documentedForApi.has(exitCodeForApi(failure))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
