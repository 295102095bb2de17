/**
 * The pure OAuth core (src/auth/oauth.ts): reading mmx-cli's `oauth` block, when a token needs
 * refreshing, deadlines and intervals in MiniMax's units (and RFC ones), how the device-code and
 * token endpoints' answers read, and the block stored after a token answer.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CODE_LIFETIME_MS,
  blockFromToken,
  deadlineOf,
  describeExpiry,
  intervalOf,
  needsRefresh,
  readDeviceCode,
  readOAuthBlock,
  readPollAnswer,
  readRefreshAnswer,
  safeResourceUrl,
} from '../../src/auth/oauth.js';
import { AuthError, ExitCode } from '../../src/errors.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const BLOCK = { access_token: 'at-1', refresh_token: 'rt-1', expires_at: '2026-11-28T13:00:00.000Z' };

describe('readOAuthBlock', () => {
  it("reads mmx-cli's block, keeping fields it does not know", () => {
    const stored = { ...BLOCK, region: 'cn', resource_url: 'https://api.minimaxi.com/', account: 'ada', token_type: 'Bearer' };
    expect(readOAuthBlock(stored)).toEqual({
      ...BLOCK,
      region: 'cn',
      resource_url: 'https://api.minimaxi.com',
      account: 'ada',
      token_type: 'Bearer',
    });
  });

  it.each([
    ['not an object', 'at-1'],
    ['an array', [BLOCK]],
    ['no access token', { ...BLOCK, access_token: '' }],
    ['no refresh token (mmx-cli drops it too)', { access_token: 'at-1', expires_at: BLOCK.expires_at }],
    ['an expiry that is not a string', { ...BLOCK, expires_at: 1 }],
  ])('%s: no login', (_what, value) => {
    expect(readOAuthBlock(value)).toBeUndefined();
  });

  it('drops a bad region, a resource_url that is not https (or http on loopback), and an empty account', () => {
    expect(readOAuthBlock({ ...BLOCK, region: 'eu', resource_url: 'http://api.example.com', account: '' })).toEqual(BLOCK);
    expect(readOAuthBlock({ ...BLOCK, resource_url: 'javascript:alert(1)' })).toEqual(BLOCK);
    expect(readOAuthBlock({ ...BLOCK, resource_url: 'http://127.0.0.1:8080' })?.resource_url).toBe('http://127.0.0.1:8080');
  });
});

describe('safeResourceUrl', () => {
  it.each([
    ['https://api.minimax.io', 'https://api.minimax.io'],
    ['https://api.minimax.io/', 'https://api.minimax.io'],
    ['http://localhost:9', 'http://localhost:9'],
    ['http://[::1]:9', 'http://[::1]:9'],
    ['http://api.minimax.io', undefined],
    ['ftp://api.minimax.io', undefined],
    ['not a url', undefined],
    [42, undefined],
  ])('%s → %s', (value, expected) => {
    expect(safeResourceUrl(value)).toBe(expected);
  });
});

describe('needsRefresh (5 minutes before expiry, as mmx-cli)', () => {
  const at = (minutes: number) => ({ expires_at: new Date(NOW + minutes * 60_000).toISOString() });
  it.each([
    [60, false],
    [5.01, false],
    [5, true],
    [4, true],
    [0, true],
    [-30, true],
  ])('%s minutes left → %s', (minutes, expected) => {
    expect(needsRefresh(at(minutes), NOW)).toBe(expected);
  });
  it('an unreadable expiry is refreshed', () => {
    expect(needsRefresh({ expires_at: 'soon' }, NOW)).toBe(true);
  });
});

describe('deadlineOf and intervalOf: MiniMax units first, RFC ones understood', () => {
  it.each([
    [{ expired_in: NOW + 600_000 }, NOW + 600_000, 'epoch ms (MiniMax)'],
    [{ expired_in: (NOW + 600_000) / 1000 }, NOW + 600_000, 'epoch seconds'],
    [{ expired_in: 600 }, NOW + 600_000, 'seconds from now'],
    [{ expired_in: String(NOW + 1) }, NOW + 1, 'a number as a string'],
    [{ expires_in: 3600 }, NOW + 3_600_000, "RFC 6749's expires_in"],
    [{ expired_in: 0 }, undefined, 'zero'],
    [{}, undefined, 'none'],
  ])('%j → %s (%s)', (answer, expected, _why) => {
    expect(deadlineOf(answer, NOW)).toBe(expected);
  });

  it.each([
    [{ interval: 3000 }, 3000],
    [{ interval: 5 }, 5000],
    [{ interval: 0 }, 3000],
    [{}, 3000],
  ])('%j → %i ms', (answer, expected) => {
    expect(intervalOf(answer)).toBe(expected);
  });
});

describe('readDeviceCode', () => {
  const answer = {
    user_code: 'ABCD-EFGH',
    verification_uri: 'https://account.minimax.io/device',
    expired_in: NOW + 300_000,
    interval: 2000,
    state: 's1',
  };

  it('the code, the page, the deadline and the interval', () => {
    expect(readDeviceCode(answer, 's1', NOW)).toEqual({
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://account.minimax.io/device',
      deadline: NOW + 300_000,
      intervalMs: 2000,
    });
    expect(readDeviceCode({ ...answer, expired_in: undefined }, 's1', NOW).deadline).toBe(NOW + DEFAULT_CODE_LIFETIME_MS);
  });

  it.each([
    ['another state', { ...answer, state: 's2' }, /state mismatch/],
    ['no code', { ...answer, user_code: '' }, /no code or no page/],
    ['a page that is not http(s)', { ...answer, verification_uri: 'file:///etc/passwd' }, /no code or no page/],
    ['terminal escapes in the code', { ...answer, user_code: 'AB\u001b[2JCD' }, /no code or no page/],
    ['not JSON', undefined, /unreadable answer/],
  ])('%s: an auth error', (_what, payload, message) => {
    const call = () => readDeviceCode(payload, 's1', NOW);
    expect(call).toThrow(AuthError);
    expect(call).toThrow(message);
  });
});

describe('readPollAnswer', () => {
  const success = {
    status: 'success',
    access_token: 'at-2',
    refresh_token: 'rt-2',
    expired_in: NOW + 3_600_000,
    resource_url: 'https://api.minimaxi.com',
  };
  it.each([
    [200, { status: 'pending' }, { kind: 'pending' }],
    [400, { error: 'authorization_pending' }, { kind: 'pending' }],
    [400, { error: 'slow_down' }, { kind: 'slow-down' }],
    [400, { error: 'expired_token' }, { kind: 'expired' }],
    [400, { error: 'access_denied' }, { kind: 'denied' }],
    [
      400,
      { error: 'invalid_grant', error_description: 'PKCE verification failed' },
      { kind: 'failed', detail: 'HTTP 400, invalid_grant: PKCE verification failed' },
    ],
    [200, { status: 'error' }, { kind: 'failed', detail: 'HTTP 200, status error' }],
    [200, { status: 'success' }, { kind: 'failed', detail: 'HTTP 200' }],
    [500, undefined, { kind: 'failed', detail: 'HTTP 500' }],
  ])('HTTP %i %j', (status, payload, expected) => {
    expect(readPollAnswer(status, payload, NOW)).toEqual(expected);
  });

  it('success: the tokens, the deadline in epoch ms, the resource_url', () => {
    expect(readPollAnswer(200, success, NOW)).toEqual({
      kind: 'approved',
      token: { access_token: 'at-2', refresh_token: 'rt-2', expiresAt: NOW + 3_600_000, resource_url: 'https://api.minimaxi.com' },
    });
  });
});

describe('readRefreshAnswer (as mmx-cli: 4xx final, 5xx retried)', () => {
  it.each([
    [200, { status: 'success', access_token: 'at-3', expired_in: NOW + 1 }, 'refreshed'],
    [200, { access_token: 'at-3', expires_in: 3600 }, 'refreshed'],
    [200, { status: 'failed', access_token: 'at-3' }, 'rejected'],
    [200, {}, 'rejected'],
    [400, { error: 'invalid_grant' }, 'rejected'],
    [401, undefined, 'rejected'],
    [429, undefined, 'retry'],
    [500, undefined, 'retry'],
    [503, { error: 'busy' }, 'retry'],
  ])('HTTP %i %j → %s', (status, payload, kind) => {
    expect(readRefreshAnswer(status, payload, NOW).kind).toBe(kind);
  });
});

describe('blockFromToken', () => {
  it('a login: the new block with its region', () => {
    expect(
      blockFromToken({ access_token: 'at', refresh_token: 'rt', expiresAt: NOW, resource_url: 'https://api.minimax.io' }, 'global'),
    ).toEqual({
      access_token: 'at',
      refresh_token: 'rt',
      expires_at: '2026-11-28T12:00:00.000Z',
      resource_url: 'https://api.minimax.io',
      region: 'global',
    });
  });

  it('a refresh without a refresh token or resource_url keeps the old ones, and the account and unknown fields', () => {
    const previous = { ...BLOCK, region: 'cn' as const, resource_url: 'https://api.minimaxi.com', account: 'ada', extra: 1 };
    expect(blockFromToken({ access_token: 'at-2', expiresAt: NOW + 1000 }, 'cn', previous)).toEqual({
      ...previous,
      access_token: 'at-2',
      expires_at: new Date(NOW + 1000).toISOString(),
    });
  });
});

describe('describeExpiry', () => {
  it.each([
    [42 * 60_000, 'in 42 minutes'],
    [60_000, 'in 1 minute'],
    [-3 * 60_000, '3 minutes ago'],
    [5 * 3_600_000, 'in 5 hours'],
  ])('%i ms → %s', (ms, text) => {
    expect(describeExpiry(NOW + ms, NOW)).toBe(text);
  });
});

it('a refused device-code answer is an auth error (exit 3)', () => {
  try {
    readDeviceCode({ state: 'x' }, 'y', NOW);
  } catch (error) {
    expect((error as AuthError).exitCode).toBe(ExitCode.AUTH);
    return;
  }
  expect.fail('no error');
});
