/**
 * README's exit-code table, pinned through the built bin/mmx for the script
 * idioms: each row's causes, as the server sends them, give that exit code, and
 * the server sees exactly the requests the retry policy allows (a transient answer
 * is tried 1 + --max-retries times, anything else once).
 */
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/emulator/index.js';
import { DEAD_URL, KEY, jsonError, useContractApi } from './harness.js';

const api = useContractApi();
/** Retry-After: 0 keeps retried cases instant; the count of tries is what is asserted. */
const NOW = { 'retry-after': '0' };
const TRIES = 3; // 1 + the default --max-retries (2)

/** An HTTP 200 whose base_resp carries `code`, as MiniMax's native endpoints report errors. */
function baseResp(code: number, message: string): Fault {
  return { kind: 'status', status: 200, headers: NOW, body: { base_resp: { status_code: code, status_msg: message } } };
}

/** An Anthropic-style error envelope with a real HTTP status, as /anthropic/v1/messages reports errors. */
function anthropic(status: number, type: string, message: string): Fault {
  return {
    kind: 'status',
    status,
    headers: NOW,
    body: { type: 'error', error: { type, message }, request_id: '065a1c9e3b7d4f2a8c6e0b9d1f3a5c7e' },
  };
}

describe('mmx quota: business errors in HTTP 200 (base_resp.status_code)', () => {
  it.each([
    { code: 1004, message: 'login fail: Please carry the API secret key in the Authorization field', exit: 3, requests: 1 },
    { code: 2049, message: 'invalid api key', exit: 3, requests: 1 },
    { code: 1002, message: 'rate limit exceeded', exit: 4, requests: TRIES },
    { code: 1008, message: 'insufficient balance', exit: 4, requests: 1 },
    { code: 1028, message: 'quota exhausted', exit: 4, requests: 1 },
    { code: 1030, message: 'quota exhausted', exit: 4, requests: 1 },
    { code: 1039, message: 'token limit exceeded', exit: 4, requests: 1 },
    { code: 2045, message: 'rate growth limit', exit: 4, requests: 1 },
    { code: 2056, message: 'usage limit exceeded, 5-hour usage limit reached', exit: 4, requests: 1 },
    { code: 2061, message: 'model not in plan', exit: 4, requests: 1 },
    { code: 1001, message: 'request timeout', exit: 5, requests: TRIES },
    { code: 1026, message: 'input new_sensitive', exit: 10, requests: 1 },
    { code: 1027, message: 'output new_sensitive', exit: 10, requests: 1 },
    { code: 2013, message: 'invalid params', exit: 1, requests: 1 },
  ])('base_resp $code → exit $exit after $requests request(s)', async ({ code, message, exit, requests }) => {
    api.emulator.setFault(baseResp(code, message));
    const r = await api.sh('mmx quota');
    expect(r.code).toBe(exit);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr)).toMatchObject({ code: exit, api_code: code, message: expect.stringContaining(message) });
    expect(api.requests).toHaveLength(requests);
  });
});

describe('mmx text chat: HTTP errors on /anthropic/v1/messages', () => {
  it.each([
    { status: 400, type: 'invalid_request_error', message: 'invalid params, tool name invalid (2013)', exit: 1, requests: 1 },
    { status: 401, type: 'authentication_error', message: 'invalid api key (2049)', exit: 3, requests: 1 },
    { status: 403, type: 'permission_error', message: 'forbidden', exit: 3, requests: 1 },
    { status: 429, type: 'rate_limit_error', message: 'rate limit exceeded (1002)', exit: 4, requests: TRIES },
    { status: 408, type: 'api_error', message: 'request timeout', exit: 5, requests: TRIES },
    { status: 504, type: 'api_error', message: 'gateway timeout', exit: 5, requests: TRIES },
    { status: 500, type: 'api_error', message: 'unknown error (1000)', exit: 1, requests: TRIES },
    {
      status: 529,
      type: 'overloaded_error',
      message: 'The server cluster is currently under high load (2064) (529)',
      exit: 1,
      requests: TRIES,
    },
  ])('HTTP $status $message → exit $exit after $requests request(s)', async ({ status, type, message, exit, requests }) => {
    api.emulator.setFault(anthropic(status, type, message));
    const r = await api.sh('mmx text chat --message hi');
    expect(r.code).toBe(exit);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr).code).toBe(exit);
    expect(api.requests).toHaveLength(requests);
    expect(new Set(api.requests.map((q) => `${q.method} ${q.path}`))).toEqual(new Set(['POST /anthropic/v1/messages']));
  });

  it('HTTP 500 system error (1033) after x-api-key: switched once to Bearer, then exit 1', async () => {
    api.emulator.setFault(anthropic(500, 'api_error', 'system error (1033)'));
    const r = await api.sh('mmx text chat --message hi');
    expect(r.code).toBe(1);
    expect(api.requests.map((q) => q.authStyle)).toEqual(['x-api-key', 'bearer']);
  });

  it('an HTML page where JSON was expected: exit 1', async () => {
    api.emulator.setFault({ kind: 'non-json', status: 200 });
    const r = await api.sh('mmx text chat --message hi');
    expect(r.code).toBe(1);
    expect(api.requests).toHaveLength(1);
  });

  it('a stream cut before message_stop: exit 6, and what arrived is on stdout', async () => {
    api.emulator.setFault({ kind: 'cut-stream', afterEvents: 11 });
    const r = await api.sh('mmx text chat --message "tell me a story" --stream --output text');
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('Echo: tell me a \n');
    expect(r.stderr).toMatch(/^Error: The connection closed mid-answer after 16 characters\./m);
    expect(api.requests).toHaveLength(1);
  });

  it('a stream that stops sending for --idle-timeout: exit 5', async () => {
    api.emulator.setFault({ kind: 'slow-stream', ms: 5_000 });
    const r = await api.sh('mmx text chat --message "tell me a story" --stream --output json --idle-timeout 1');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr).code).toBe(5);
  });
});

describe('no key, no network, a broken config, bad usage', () => {
  it('no key: exit 3, nothing sent', async () => {
    const r = await api.sh('mmx quota', { config: null });
    expect(r.code).toBe(3);
    expect(api.requests).toHaveLength(0);
  });

  it('connection refused: exit 6', async () => {
    const r = await api.sh('mmx quota', { env: { MINIMAX_GLOBAL_BASE_URL: DEAD_URL } });
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr).code).toBe(6);
  });

  it('a config.json that is not JSON: exit 1 naming the file, and it is left as it was', async () => {
    const r = await api.sh(
      `mkdir -p ~/.mmx && printf '{"api_key": ' > ~/.mmx/config.json && mmx quota; echo "exit $?"; cat ~/.mmx/config.json`,
      {
        config: null,
      },
    );
    expect(r.stdout).toBe('exit 1\n{"api_key": ');
    expect(jsonError(r.stderr).message).toContain('config.json');
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ['an unknown flag', 'mmx quota --bogus'],
    ['an unknown command', 'mmx qouta'],
    ['a bad value', 'mmx quota --region mars'],
    ['no message', 'mmx text chat < /dev/null'],
    ['stdin claimed twice', `printf x | mmx text chat --message - --stdin`],
    ['a bad boolean word', 'mmx text chat --message hi --stream=maybe'],
  ])('usage, %s: exit 2, nothing sent', async (_, script) => {
    const r = await api.sh(script);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr).code).toBe(2);
    expect(api.requests).toHaveLength(0);
  });

  it('errors follow --output: text with --output text, one JSON object with --output json', async () => {
    api.emulator.setFault(anthropic(401, 'authentication_error', 'invalid api key (2049)'));
    const text = await api.sh('mmx text chat --message hi --output text');
    const json = await api.sh('mmx text chat --message hi --output json');
    expect(text.code).toBe(3);
    expect(text.stderr).toMatch(/^Error: .*invalid api key/);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stderr)).toEqual({ error: expect.objectContaining({ code: 3, message: expect.any(String) }) });
  });

  it('a key from the environment works without a config file, and is never printed', async () => {
    const r = await api.sh('mmx quota --output text --quiet --verbose', { config: null, env: { MINIMAX_API_KEY: KEY } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sk-…');
  });
});
