/**
 * OAuth as mmx-cli 1.0.27 speaks it with the account host (docs/minimax-api-notes.md, OAuth): the
 * `oauth` block it stores in config.json, when its access token needs refreshing, and how the
 * answers of the device-code and token endpoints read. Pure: no IO, no clock of its own (every
 * function that needs the time takes `now`), no randomness.
 *
 * Invariants: a block this module returns has a non-empty access token, a string refresh token
 * (empty when the server sent none) and an ISO 8601 `expires_at`; its `resource_url`, when set,
 * is an https URL (or http on loopback), so a token is never sent in clear text to a host the
 * server named; fields it does not know are kept as they were.
 */
import { AuthError } from '../errors.js';
import { isPlainObject } from '../json.js';
import { type Region, isRegion, stripSlash } from '../config/regions.js';

/** mmx-cli 1.0.27's client id and scopes, for both regions. */
export const OAUTH_CLIENT_ID = '659cf4c1-615c-45f6-a5f6-4bf15eb476e5';
export const OAUTH_SCOPE = 'openid profile coding_plan';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The name mmx-cli shows beside the code, which the approval page shows too. */
export const OAUTH_CLIENT_NAME = 'MiniMax CLI';

/** A token with less than this left is refreshed before use (mmx-cli: 5 minutes). */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Between polls of the token endpoint when the device-code answer names no interval (mmx-cli: 3 s). */
export const DEFAULT_POLL_INTERVAL_MS = 3_000;
/** Added to the interval after a `slow_down` answer (RFC 8628 §3.5). */
export const SLOW_DOWN_STEP_MS = 5_000;
/** How long a code lives when the device-code answer names no deadline (RFC 8628's usual 10 minutes). */
export const DEFAULT_CODE_LIFETIME_MS = 10 * 60_000;

/** The `oauth` block of config.json, as mmx-cli 1.0.27 writes it (plus any fields it did not know). */
export interface OAuthBlock {
  access_token: string;
  refresh_token: string;
  /** ISO 8601. */
  expires_at: string;
  region?: Region;
  /** The API base URL the account host named for this login. */
  resource_url?: string;
  /** Shown by `auth status`; kept, never set by a login. */
  account?: string;
  [field: string]: unknown;
}

/**
 * An http(s) URL the token may be sent to: https anywhere, http only on loopback
 * (an emulator). Anything else is dropped, as mmx-cli drops a non-http one.
 */
export function safeResourceUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return stripSlash(value.trim());
  return undefined;
}

/**
 * The block as mmx-cli 1.0.27 reads it: an object with a non-empty `access_token`, a string
 * `refresh_token` and a string `expires_at`, else no login at all (never an error: a block
 * mmx-cli would ignore does not break mmx either). A bad `region` or `resource_url` is dropped.
 */
export function readOAuthBlock(value: unknown): OAuthBlock | undefined {
  if (!isPlainObject(value)) return undefined;
  const { access_token, refresh_token, expires_at, region, resource_url, account } = value;
  if (typeof access_token !== 'string' || access_token.trim() === '') return undefined;
  if (typeof refresh_token !== 'string' || typeof expires_at !== 'string') return undefined;
  const block: OAuthBlock = { ...value, access_token, refresh_token, expires_at };
  delete block.region;
  delete block.resource_url;
  delete block.account;
  if (isRegion(region)) block.region = region;
  const url = safeResourceUrl(resource_url);
  if (url !== undefined) block.resource_url = url;
  if (typeof account === 'string' && account !== '') block.account = account;
  return block;
}

/** Epoch ms of `expires_at`, or undefined when it is not a date. */
export function expiresAtMs(block: Pick<OAuthBlock, 'expires_at'>): number | undefined {
  const t = Date.parse(block.expires_at);
  return Number.isFinite(t) ? t : undefined;
}

/** Less than the margin left, already expired, or an unreadable expiry: refresh before use (as mmx-cli). */
export function needsRefresh(block: Pick<OAuthBlock, 'expires_at'>, now: number): boolean {
  const t = expiresAtMs(block);
  return t === undefined || now >= t - REFRESH_MARGIN_MS;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * A deadline as epoch ms. MiniMax's `expired_in` is an epoch-ms deadline (mmx-cli 1.0.27);
 * an epoch in seconds, a number of seconds from now, or RFC 6749's `expires_in` (seconds) are
 * read too, so a server that follows the RFC does not log everyone out at once.
 */
export function deadlineOf(answer: Readonly<Record<string, unknown>>, now: number): number | undefined {
  const expired = num(answer.expired_in);
  if (expired !== undefined && expired > 0) {
    if (expired >= 1e12) return expired;
    if (expired >= 1e9) return expired * 1000;
    return now + expired * 1000;
  }
  const expires = num(answer.expires_in);
  if (expires !== undefined && expires > 0) return now + expires * 1000;
  return undefined;
}

/** `interval` in milliseconds (mmx-cli); a small number is RFC 8628's seconds. */
export function intervalOf(answer: Readonly<Record<string, unknown>>): number {
  const interval = num(answer.interval);
  if (interval === undefined || interval <= 0) return DEFAULT_POLL_INTERVAL_MS;
  return interval < 100 ? interval * 1000 : interval;
}

/** The device-code answer: where the user approves, the code they see, until when, and how often to ask. */
export interface DeviceCode {
  userCode: string;
  verificationUri: string;
  /** Epoch ms after which the code is dead. */
  deadline: number;
  intervalMs: number;
}

/** Reads the device-code answer; the `state` it echoes must be the one sent (mmx-cli refuses otherwise). */
export function readDeviceCode(payload: unknown, sentState: string, now: number): DeviceCode {
  if (!isPlainObject(payload)) throw new AuthError('The login service sent an unreadable answer to the device-code request.');
  if (payload.state !== sentState) {
    throw new AuthError('OAuth state mismatch: the answer to the device-code request is not for this login.', {
      hint: 'Run mmx auth login again; if it keeps happening, something between you and MiniMax is altering traffic.',
    });
  }
  const { user_code: userCode, verification_uri: verificationUri } = payload;
  // Both are printed on the terminal and the page is opened: no control characters, only an http(s) page.
  const printable = (text: unknown): text is string =>
    typeof text === 'string' && text !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(text);
  if (!printable(userCode) || !printable(verificationUri) || !/^https?:\/\//i.test(verificationUri)) {
    throw new AuthError('The login service sent no code or no page to approve it on.');
  }
  return {
    userCode,
    verificationUri,
    deadline: deadlineOf(payload, now) ?? now + DEFAULT_CODE_LIFETIME_MS,
    intervalMs: intervalOf(payload),
  };
}

/** The fields of a successful token answer that mmx keeps. */
export interface TokenAnswer {
  access_token: string;
  refresh_token?: string | undefined;
  /** Epoch ms. */
  expiresAt: number;
  resource_url?: string | undefined;
}

export type PollAnswer =
  | { kind: 'pending' }
  | { kind: 'slow-down' }
  | { kind: 'approved'; token: TokenAnswer }
  | { kind: 'expired' }
  | { kind: 'denied' }
  | { kind: 'failed'; detail: string };

function tokenOf(payload: Readonly<Record<string, unknown>>, now: number): TokenAnswer | undefined {
  if (typeof payload.access_token !== 'string' || payload.access_token === '') return undefined;
  return {
    access_token: payload.access_token,
    refresh_token: typeof payload.refresh_token === 'string' && payload.refresh_token !== '' ? payload.refresh_token : undefined,
    // No deadline at all: expired now, so the next use refreshes it (as mmx-cli, which writes Date.now()).
    expiresAt: deadlineOf(payload, now) ?? now,
    resource_url: safeResourceUrl(payload.resource_url),
  };
}

/** The RFC 8628 / 6749 error an answer carries (`error: "slow_down"`), if any. */
function rfcError(payload: Readonly<Record<string, unknown>>): string | undefined {
  return typeof payload.error === 'string' ? payload.error : undefined;
}

/**
 * One answer of the token endpoint while a device code waits for approval. MiniMax answers
 * HTTP 200 with `status: "pending" | "success"` (mmx-cli 1.0.27, OpenClaw); RFC 8628's error
 * answers (`authorization_pending`, `slow_down`, `expired_token`, `access_denied`, usually with
 * HTTP 400) are read too. Anything else is a failure.
 */
export function readPollAnswer(httpStatus: number, payload: unknown, now: number): PollAnswer {
  const body = isPlainObject(payload) ? payload : {};
  switch (rfcError(body)) {
    case undefined:
      break;
    case 'authorization_pending':
      return { kind: 'pending' };
    case 'slow_down':
      return { kind: 'slow-down' };
    case 'expired_token':
      return { kind: 'expired' };
    case 'access_denied':
      return { kind: 'denied' };
    default:
      return { kind: 'failed', detail: describeError(httpStatus, body) };
  }
  if (httpStatus < 200 || httpStatus >= 300) return { kind: 'failed', detail: describeError(httpStatus, body) };
  if (body.status === 'pending') return { kind: 'pending' };
  const token = body.status === 'success' ? tokenOf(body, now) : undefined;
  if (token) return { kind: 'approved', token };
  return { kind: 'failed', detail: describeError(httpStatus, body) };
}

export type RefreshAnswer =
  { kind: 'refreshed'; token: TokenAnswer } | { kind: 'rejected'; detail: string } | { kind: 'retry'; detail: string };

/**
 * One answer of the token endpoint to a refresh: as mmx-cli 1.0.27, a 4xx is final (the
 * refresh token is dead: log in again), a 5xx is worth another try, and a 2xx must say
 * `status: "success"` (or, as RFC 6749, just carry an access token) with an access token.
 */
export function readRefreshAnswer(httpStatus: number, payload: unknown, now: number): RefreshAnswer {
  const body = isPlainObject(payload) ? payload : {};
  if (httpStatus >= 500 || httpStatus === 429) return { kind: 'retry', detail: describeError(httpStatus, body) };
  if (httpStatus < 200 || httpStatus >= 300) return { kind: 'rejected', detail: describeError(httpStatus, body) };
  const token = body.status === undefined || body.status === 'success' ? tokenOf(body, now) : undefined;
  if (token) return { kind: 'refreshed', token };
  return { kind: 'rejected', detail: describeError(httpStatus, body) };
}

/** "HTTP 400, invalid_grant: refresh token already used" — what a failed answer said, without any token. */
function describeError(httpStatus: number, body: Readonly<Record<string, unknown>>): string {
  const parts = [
    typeof body.error === 'string' ? body.error : undefined,
    typeof body.status === 'string' && body.status !== 'success' ? `status ${body.status}` : undefined,
    typeof body.error_description === 'string' ? body.error_description : undefined,
    isPlainObject(body.base_resp) && typeof body.base_resp.status_msg === 'string' && body.base_resp.status_msg !== ''
      ? body.base_resp.status_msg
      : undefined,
  ].filter((p): p is string => p !== undefined);
  return `HTTP ${httpStatus}${parts.length > 0 ? `, ${parts.join(': ')}` : ''}`;
}

/**
 * The block to store after a token answer: the new tokens and expiry, the region the login
 * belongs to, the answer's `resource_url` (else the previous one), and everything else of the
 * previous block (its `account`, fields mmx does not know). A refresh answer without a refresh
 * token keeps the old one, as mmx-cli does.
 */
export function blockFromToken(token: TokenAnswer, region: Region | undefined, previous?: OAuthBlock): OAuthBlock {
  const block: OAuthBlock = {
    ...previous,
    access_token: token.access_token,
    refresh_token: token.refresh_token ?? previous?.refresh_token ?? '',
    expires_at: new Date(token.expiresAt).toISOString(),
  };
  const resourceUrl = token.resource_url ?? previous?.resource_url;
  if (resourceUrl !== undefined) block.resource_url = resourceUrl;
  if (region !== undefined) block.region = region;
  return block;
}

/** "in 42 minutes", "2 hours ago": how `auth status` says an expiry. */
export function describeExpiry(expiresAt: number, now: number): string {
  const ms = expiresAt - now;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes < 120 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(minutes / 60)} hours`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}
