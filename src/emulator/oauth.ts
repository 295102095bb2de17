/**
 * The account host's OAuth endpoints as MiniMax's own CLI (mmx-cli 1.0.27) uses them: a device
 * code with PKCE (S256), the token endpoint with the device-code grant (MiniMax's HTTP 200
 * `status: "pending" | "success"`, plus RFC 8628's `slow_down`, `expired_token` and
 * `access_denied` answers) and with the refresh-token grant, whose refresh tokens are single-use
 * (a refresh rotates both tokens). The access tokens it issues are credentials on the API routes
 * of the same emulator (its region). Tests approve or deny a waiting code with `approve`/`deny`.
 *
 * Written from the protocol notes (docs/minimax-api-notes.md, OAuth), not from the client.
 */
import { createHash, randomBytes } from 'node:crypto';
import { jsonResponse, type EmuResponse } from './responses.js';

/** The client id mmx-cli 1.0.27 sends; any other is refused. */
export const EMULATOR_OAUTH_CLIENT_ID = '659cf4c1-615c-45f6-a5f6-4bf15eb476e5';
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface OAuthOptions {
  /** Lifetime of an access token (default 1 hour). */
  accessTokenTtlMs?: number;
  /** Lifetime of a device code (default 10 minutes). */
  codeTtlMs?: number;
  /** The poll interval it asks for, in milliseconds as MiniMax sends it (default 3000). */
  intervalMs?: number;
  /** Approves every code at its first poll (`npm run emulator`, demos). */
  autoApprove?: boolean;
  /** How "not approved yet" is answered: MiniMax's HTTP 200 `status: "pending"` (default) or RFC 8628's HTTP 400 `authorization_pending`. */
  pendingAs?: 'status' | 'rfc8628';
  /** The `resource_url` it names (default: the request's origin, `account.` replaced by `api.`). */
  resourceUrl?: string;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  /** Epoch ms, as MiniMax sends it. */
  expired_in: number;
}

/** What a test can do and see on the account side. */
export interface OAuthControl {
  /** Approves a waiting code (the latest one when none is named); false when there is none. */
  approve(userCode?: string): boolean;
  /** Denies a waiting code (the latest one when none is named); false when there is none. */
  deny(userCode?: string): boolean;
  /** The user codes waiting for a decision, oldest first. */
  waiting(): string[];
  /** Issues tokens as an approved login would, for a test that starts logged in. */
  issue(options?: { accessTokenTtlMs?: number }): IssuedTokens;
  /** Whether a refresh token can still be used (single use). */
  refreshTokenLive(token: string): boolean;
  /** Refresh tokens spent so far (each refresh spends one). */
  readonly refreshes: number;
}

export type TokenCheck = 'valid' | 'expired' | undefined;

interface PendingCode {
  userCode: string;
  challenge: string;
  deadline: number;
  intervalMs: number;
  lastPollAt: number;
  decision: 'waiting' | 'approved' | 'denied';
}

const oauthError = (error: string, description: string, status = 400): EmuResponse =>
  jsonResponse(status, { error, error_description: description });

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** `ABCD-EFGH`: letters a person types without mistaking them. */
function userCode(): string {
  const letters = 'BCDFGHJKLMNPQRSTVWXZ';
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => letters[b % letters.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

function resourceUrlFor(origin: string): string {
  const url = new URL(origin);
  if (url.hostname.startsWith('account.')) url.hostname = `api.${url.hostname.slice('account.'.length)}`;
  return url.origin;
}

export function createOAuth(options: OAuthOptions, now: () => number) {
  const accessTtl = options.accessTokenTtlMs ?? 60 * 60_000;
  const codeTtl = options.codeTtlMs ?? 10 * 60_000;
  const interval = options.intervalMs ?? 3_000;
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Map<string, 'live' | 'spent'>();
  let refreshes = 0;

  function issue(ttl = accessTtl): IssuedTokens {
    const access = `emu-oauth-at-${randomBytes(18).toString('hex')}`;
    const refresh = `emu-oauth-rt-${randomBytes(18).toString('hex')}`;
    const expiresAt = now() + ttl;
    accessTokens.set(access, expiresAt);
    refreshTokens.set(refresh, 'live');
    return { access_token: access, refresh_token: refresh, expired_in: expiresAt };
  }

  function decide(decision: 'approved' | 'denied', code?: string): boolean {
    const waiting = [...codes.values()].filter((c) => c.decision === 'waiting');
    const target = code === undefined ? waiting.at(-1) : waiting.find((c) => c.userCode === code);
    if (!target) return false;
    target.decision = decision;
    return true;
  }

  function success(tokens: IssuedTokens, origin: string): EmuResponse {
    return jsonResponse(200, {
      status: 'success',
      ...tokens,
      token_type: 'Bearer',
      resource_url: options.resourceUrl ?? resourceUrlFor(origin),
      base_resp: { status_code: 0, status_msg: 'success' },
    });
  }

  function deviceCode(form: URLSearchParams, origin: string): EmuResponse {
    const challenge = form.get('code_challenge') ?? '';
    const state = form.get('state') ?? '';
    if (form.get('code_challenge_method') !== 'S256' || challenge === '' || state === '') {
      return oauthError('invalid_request', 'code_challenge, code_challenge_method=S256 and state are required');
    }
    if (!(form.get('scope') ?? '').split(' ').includes('coding_plan')) return oauthError('invalid_scope', 'scope must include coding_plan');
    const code: PendingCode = {
      userCode: userCode(),
      challenge,
      deadline: now() + codeTtl,
      intervalMs: interval,
      lastPollAt: now(),
      decision: 'waiting',
    };
    codes.set(code.userCode, code);
    return jsonResponse(200, {
      user_code: code.userCode,
      verification_uri: `${origin}/oauth2/device?user_code=${code.userCode}`,
      expired_in: code.deadline,
      interval: code.intervalMs,
      state,
      base_resp: { status_code: 0, status_msg: 'success' },
    });
  }

  function pollDevice(form: URLSearchParams, origin: string): EmuResponse {
    const code = codes.get(form.get('user_code') ?? '');
    if (!code) return oauthError('invalid_grant', 'unknown or used user_code');
    if (s256(form.get('code_verifier') ?? '') !== code.challenge) return oauthError('invalid_grant', 'PKCE verification failed');
    const at = now();
    if (at >= code.deadline) {
      codes.delete(code.userCode);
      return oauthError('expired_token', 'the user code has expired');
    }
    const early = at - code.lastPollAt < code.intervalMs;
    code.lastPollAt = at;
    if (early) {
      code.intervalMs += 5_000;
      return oauthError('slow_down', `poll at most every ${code.intervalMs} ms`);
    }
    if (code.decision === 'waiting' && options.autoApprove) code.decision = 'approved';
    if (code.decision === 'denied') {
      codes.delete(code.userCode);
      return oauthError('access_denied', 'the user denied the request');
    }
    if (code.decision === 'waiting') {
      return options.pendingAs === 'rfc8628'
        ? oauthError('authorization_pending', 'the user has not approved the code yet')
        : jsonResponse(200, { status: 'pending', base_resp: { status_code: 0, status_msg: 'success' } });
    }
    codes.delete(code.userCode);
    return success(issue(), origin);
  }

  function refresh(form: URLSearchParams, origin: string): EmuResponse {
    const token = form.get('refresh_token') ?? '';
    if (refreshTokens.get(token) !== 'live') return oauthError('invalid_grant', 'refresh token is invalid or was already used');
    refreshTokens.set(token, 'spent');
    refreshes++;
    return success(issue(), origin);
  }

  const control: OAuthControl = {
    approve: (code) => decide('approved', code),
    deny: (code) => decide('denied', code),
    waiting: () => [...codes.values()].filter((c) => c.decision === 'waiting').map((c) => c.userCode),
    issue: (o) => issue(o?.accessTokenTtlMs),
    refreshTokenLive: (token) => refreshTokens.get(token) === 'live',
    get refreshes() {
      return refreshes;
    },
  };

  return {
    control,
    /** An access token this emulator issued: still valid, expired, or not one of its own. */
    checkAccessToken(token: string): TokenCheck {
      const expiresAt = accessTokens.get(token);
      if (expiresAt === undefined) return undefined;
      return now() < expiresAt ? 'valid' : 'expired';
    },
    /** The answer for an `/oauth2/…` path, or undefined when the path is not one of them. */
    handle(method: string, path: string, body: unknown, origin: string): EmuResponse | undefined {
      const route = `${method} ${path}`;
      if (route !== 'POST /oauth2/device/code' && route !== 'POST /oauth2/token') return undefined;
      const form = new URLSearchParams(typeof body === 'string' ? body : '');
      if (form.get('client_id') !== EMULATOR_OAUTH_CLIENT_ID) return oauthError('invalid_client', 'unknown client_id', 401);
      if (route === 'POST /oauth2/device/code') return deviceCode(form, origin);
      const grant = form.get('grant_type');
      if (grant === DEVICE_CODE_GRANT) return pollDevice(form, origin);
      if (grant === 'refresh_token') return refresh(form, origin);
      return oauthError('unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported`);
    },
  };
}
