/** Retries: transient failures are retried with backoff before anything reaches the user; quotas are not. */
import { describe, expect, it } from 'vitest';
import { backoffMs, isTransientFailure, retryAfterMs } from '../../src/api/retry.js';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const chat = ['text', 'chat', '--message', 'hi', '--output', 'json'];

describe('retries', () => {
  it('two 529s then success: the chat succeeds on the third try and --verbose says so', async () => {
    api.cn.enqueueFault({ kind: 'overloaded' });
    api.cn.enqueueFault({ kind: 'overloaded' });
    const r = await runCli([...chat, '--verbose'], { env });
    expect(r.code).toBe(0);
    expect(r.json().type).toBe('message');
    expect(api.cn.requests.map((q) => q.path)).toEqual(Array(3).fill('/anthropic/v1/messages'));
    expect(r.stderr).toMatch(/attempt 1 of 3 failed \(HTTP 529: .*\(2064\).*\); retrying in \d+\.\d s/);
    expect(r.stderr).toMatch(/attempt 2 of 3 failed/);
  });

  it('gives up after --max-retries and reports the last failure (exit 1 for 529)', async () => {
    api.cn.setFault({ kind: 'overloaded' });
    const r = await runCli([...chat, '--max-retries', '1'], { env });
    expect(r.code).toBe(1);
    expect(api.cn.requests).toHaveLength(2);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 1, api_code: 2064 });
  });

  it('--max-retries 0 sends once', async () => {
    api.cn.enqueueFault({ kind: 'server-error', code: 1000 });
    const r = await runCli([...chat, '--max-retries', '0'], { env });
    expect(r.code).toBe(1);
    expect(api.cn.requests).toHaveLength(1);
  });

  it('a 2056 usage limit fails at once with exit 4 and the reset time', async () => {
    api.cn.setFault({ kind: 'rate-limit' });
    const r = await runCli(chat, { env });
    expect(r.code).toBe(4);
    expect(api.cn.requests).toHaveLength(1);
    const error = JSON.parse(r.stderr).error;
    expect(error.api_code).toBe(2056);
    expect(error.hint).toMatch(/resets at \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[+-]\d\d:\d\d\), in /);
  });

  it('bad --max-retries is a usage error', async () => {
    const r = await runCli([...chat, '--max-retries', 'many'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-retries');
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('retry policy', () => {
  it('retries transient statuses and codes, not quotas, auth or bad requests', () => {
    expect(isTransientFailure({ status: 529, message: 'x (2064)', apiCode: 2064 })).toBe(true);
    expect(isTransientFailure({ status: 429, message: 'rate limit (1002)', apiCode: 1002 })).toBe(true);
    expect(isTransientFailure({ status: 429, message: 'usage limit (2056)', apiCode: 2056 })).toBe(false);
    expect(isTransientFailure({ status: 500, message: 'unknown (1000)', apiCode: 1000 })).toBe(true);
    expect(isTransientFailure({ status: 500, message: 'system error (1033)', apiCode: 1033 })).toBe(false);
    expect(isTransientFailure({ status: 503, message: 'HTTP 503' })).toBe(true);
    expect(isTransientFailure({ status: 401, message: 'invalid api key' })).toBe(false);
    expect(isTransientFailure({ status: 400, message: 'bad (2013)', apiCode: 2013 })).toBe(false);
  });
  it('backs off with full jitter under an exponential cap, and honours Retry-After', () => {
    expect(backoffMs(0, () => 0.999)).toBe(499);
    expect(backoffMs(3, () => 0.5)).toBe(2000);
    expect(backoffMs(10, () => 0.999)).toBe(7992);
    expect(backoffMs(2, () => 0)).toBe(0);
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'Sat, 28 Nov 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': '9999' }, now)).toBe(60_000);
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
  });
});
