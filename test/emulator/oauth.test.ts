/**
 * The emulator's account side (src/emulator/oauth.ts), through `handle()` alone: the device code
 * with PKCE, the token endpoint's answers (pending, slow_down, expired_token, access_denied,
 * success), single-use refresh tokens, and the issued access tokens as credentials on the API
 * routes of the same emulator, and no other.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMULATOR_OAUTH_CLIENT_ID, createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

const ACCOUNT = 'https://account.minimaxi.com';
const VERIFIER = 'a-verifier-of-43-characters-or-more-0123456789';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function clock(start = Date.parse('2026-11-28T12:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function emulator(options: EmulatorOptions = {}) {
  const time = clock();
  return { time, emu: createEmulator({ region: 'cn', now: time.now, ...options }) };
}

async function post(emu: Emulator, path: string, fields: Record<string, string>, origin = ACCOUNT): Promise<{ status: number; body: any }> {
  const response = await emu.handle(
    new Request(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
  return { status: response.status, body: await response.json() };
}

const deviceCode = (emu: Emulator, extra: Record<string, string> = {}) =>
  post(emu, '/oauth2/device/code', {
    client_id: EMULATOR_OAUTH_CLIENT_ID,
    scope: 'openid profile coding_plan',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  });

const poll = (emu: Emulator, userCode: string, verifier = VERIFIER) =>
  post(emu, '/oauth2/token', {
    grant_type: DEVICE_GRANT,
    client_id: EMULATOR_OAUTH_CLIENT_ID,
    user_code: userCode,
    code_verifier: verifier,
  });

const refresh = (emu: Emulator, token: string) =>
  post(emu, '/oauth2/token', { grant_type: 'refresh_token', client_id: EMULATOR_OAUTH_CLIENT_ID, refresh_token: token });

async function quota(emu: Emulator, token: string): Promise<{ status: number; body: any }> {
  const response = await emu.handle(
    new Request('https://api.minimaxi.com/v1/token_plan/remains', { headers: { authorization: `Bearer ${token}` } }),
  );
  return { status: response.status, body: await response.json() };
}

describe('device code', () => {
  it('answers with a code, a page, an epoch-ms deadline, an interval in ms and the state', async () => {
    const { emu, time } = emulator();
    const { status, body } = await deviceCode(emu);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
      verification_uri: `${ACCOUNT}/oauth2/device?user_code=${body.user_code}`,
      expired_in: time.now() + 600_000,
      interval: 3000,
      state: 'st',
    });
    expect(emu.oauth.waiting()).toEqual([body.user_code]);
  });

  it.each([
    [{ client_id: 'someone-else' }, 401, 'invalid_client'],
    [{ code_challenge_method: 'plain' }, 400, 'invalid_request'],
    [{ code_challenge: '' }, 400, 'invalid_request'],
    [{ state: '' }, 400, 'invalid_request'],
    [{ scope: 'openid' }, 400, 'invalid_scope'],
  ])('refuses %j', async (extra, status, error) => {
    const { emu } = emulator();
    expect(await deviceCode(emu, extra)).toMatchObject({ status, body: { error } });
  });
});

describe('the device-code grant', () => {
  it('pending (MiniMax: HTTP 200 status pending) until approved, then the tokens once; slow_down when polled early', async () => {
    const { emu, time } = emulator();
    const code = (await deviceCode(emu)).body.user_code as string;
    expect(await poll(emu, code)).toMatchObject({ status: 400, body: { error: 'slow_down' } });
    time.advance(8000); // the interval grew by 5 s
    expect(await poll(emu, code)).toEqual({
      status: 200,
      body: { status: 'pending', base_resp: { status_code: 0, status_msg: 'success' } },
    });
    expect(emu.oauth.approve()).toBe(true);
    time.advance(8000);
    const { status, body } = await poll(emu, code);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'success',
      access_token: expect.stringMatching(/^emu-oauth-at-/),
      refresh_token: expect.stringMatching(/^emu-oauth-rt-/),
      expired_in: time.now() + 3_600_000,
      token_type: 'Bearer',
      resource_url: 'https://api.minimaxi.com',
    });
    time.advance(8000);
    expect(await poll(emu, code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('a verifier that does not match the challenge is refused (PKCE)', async () => {
    const { emu, time } = emulator();
    const code = (await deviceCode(emu)).body.user_code as string;
    emu.oauth.approve(code);
    time.advance(3000);
    expect(await poll(emu, code, 'another-verifier')).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'PKCE verification failed' },
    });
  });

  it('expired_token after the deadline; access_denied once denied; RFC 8628 authorization_pending on request', async () => {
    const { emu, time } = emulator({ oauth: { pendingAs: 'rfc8628', codeTtlMs: 10_000 } });
    const first = (await deviceCode(emu)).body.user_code as string;
    time.advance(3000);
    expect(await poll(emu, first)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
    time.advance(10_000);
    expect(await poll(emu, first)).toMatchObject({ status: 400, body: { error: 'expired_token' } });

    const second = (await deviceCode(emu)).body.user_code as string;
    expect(emu.oauth.deny()).toBe(true);
    time.advance(3000);
    expect(await poll(emu, second)).toMatchObject({ status: 400, body: { error: 'access_denied' } });
    expect(emu.oauth.approve()).toBe(false);
  });
});

describe('refresh tokens and access tokens', () => {
  it('a refresh token works once and rotates both tokens', async () => {
    const { emu } = emulator();
    const issued = emu.oauth.issue();
    const first = await refresh(emu, issued.refresh_token);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(issued.refresh_token);
    expect(await refresh(emu, issued.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(emu.oauth.refreshTokenLive(issued.refresh_token)).toBe(false);
    expect(emu.oauth.refreshTokenLive(first.body.refresh_token)).toBe(true);
    expect(emu.oauth.refreshes).toBe(1);
  });

  it('an issued access token is a credential on the API routes of its emulator until it expires', async () => {
    const { emu, time } = emulator();
    const { access_token } = emu.oauth.issue({ accessTokenTtlMs: 60_000 });
    expect((await quota(emu, access_token)).body.base_resp.status_code).toBe(0);
    time.advance(60_000);
    expect(await quota(emu, access_token)).toMatchObject({
      status: 200,
      body: { base_resp: { status_code: 1004, status_msg: 'token expired' } },
    });
    // Another region's emulator never issued it.
    const other = createEmulator({ region: 'global' });
    expect((await quota(other, emu.oauth.issue().access_token)).body.base_resp.status_code).toBe(2049);
  });

  it('the resource_url follows the host asked: account.X names api.X, any other host itself', async () => {
    const { emu } = emulator();
    expect((await refresh(emu, emu.oauth.issue().refresh_token)).body.resource_url).toBe('https://api.minimaxi.com');
    const loopback = await post(
      emu,
      '/oauth2/token',
      { grant_type: 'refresh_token', client_id: EMULATOR_OAUTH_CLIENT_ID, refresh_token: emu.oauth.issue().refresh_token },
      'http://127.0.0.1:4321',
    );
    expect(loopback.body.resource_url).toBe('http://127.0.0.1:4321');
  });

  it('an unknown grant is refused', async () => {
    const { emu } = emulator();
    expect(await post(emu, '/oauth2/token', { grant_type: 'password', client_id: EMULATOR_OAUTH_CLIENT_ID })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
  });
});
