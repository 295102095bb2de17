/**
 * The account host's OAuth endpoints, called as mmx-cli 1.0.27 calls them: form-encoded POSTs
 * to `/oauth2/device/code` and `/oauth2/token`. They carry no credential header: neither an API
 * key nor an access token ever goes to the account host; a refresh sends the refresh token in
 * the body, as the protocol has it. What each answer means is decided in `auth/oauth.ts`; this
 * module talks (through the proxy-aware transport, bounded by a timeout, cut short by Ctrl-C)
 * and waits (on the injected clock).
 */
import {
  DEVICE_CODE_GRANT,
  type DeviceCode,
  OAUTH_CLIENT_ID,
  OAUTH_SCOPE,
  SLOW_DOWN_STEP_MS,
  type TokenAnswer,
  readDeviceCode,
  readPollAnswer,
  readRefreshAnswer,
} from '../auth/oauth.js';
import { maskKey } from '../auth/strategy.js';
import { AuthError, CliError, ExitCode, InterruptedError, NetworkError, TimeoutError } from '../errors.js';
import { errorCode, networkErrorInfo } from '../http/network-errors.js';
import type { Transport } from '../http/transport.js';
import { type Sleep, waitOrAbort } from '../wait.js';
import type { DescribedRequest } from './client.js';

export interface OAuthIo {
  transport: Transport;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  sleep: Sleep;
  now: () => number;
  userAgent: string;
  /** Bounds each request (connect and the whole answer: they are small). */
  timeoutMs: number;
  /** --verbose lines; secrets in them are masked. */
  log?: ((line: string) => void) | undefined;
}

/** A form POST to the account host, as data: `describe` shows it, `postForm` sends it. */
export interface FormRequest {
  url: string;
  form: Readonly<Record<string, string>>;
}

/** Form fields that are secrets: masked in --dry-run and --verbose. */
const SECRET_FIELDS = new Set(['refresh_token', 'code_verifier']);

/** mmx-cli: at most 3 refresh attempts, 500 ms × attempt apart. */
const REFRESH_ATTEMPTS = 3;
const REFRESH_BACKOFF_MS = 500;
/** Polls that fail to connect (or get a 5xx) in a row before the login gives up. */
const POLL_FAILURES_TOLERATED = 3;
/**
 * Bounds on a wait whatever the server says: a deadline further off than 30 minutes (a unit
 * misread) is cut to that, and no login polls more than 1000 times (a clock that stands still).
 */
const MAX_WAIT_MS = 30 * 60_000;
const MAX_POLLS = 1000;

export interface Pkce {
  verifier: string;
  challenge: string;
  state: string;
}

/** A PKCE pair (S256 of 32 random bytes, base64url) and a random state, as mmx-cli makes them. */
export async function createPkce(): Promise<Pkce> {
  // Loaded on first use: only a login needs it.
  const { createHash, randomBytes } = await import('node:crypto');
  const verifier = randomBytes(32).toString('base64url');
  return {
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
    state: randomBytes(16).toString('base64url'),
  };
}

export const oauthRequests = {
  deviceCode(host: string, pkce: Pkce): FormRequest {
    return {
      url: `${host}/oauth2/device/code`,
      form: {
        client_id: OAUTH_CLIENT_ID,
        scope: OAUTH_SCOPE,
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
        state: pkce.state,
      },
    };
  },
  poll(host: string, device: DeviceCode, pkce: Pkce): FormRequest {
    return {
      url: `${host}/oauth2/token`,
      form: { grant_type: DEVICE_CODE_GRANT, client_id: OAUTH_CLIENT_ID, user_code: device.userCode, code_verifier: pkce.verifier },
    };
  },
  refresh(host: string, refreshToken: string): FormRequest {
    return { url: `${host}/oauth2/token`, form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: OAUTH_CLIENT_ID } };
  },
};

function maskedForm(form: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(form).map(([name, value]) => [name, SECRET_FIELDS.has(name) ? maskKey(value) : value]));
}

function headersFor(userAgent: string): Record<string, string> {
  return { 'user-agent': userAgent, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
}

/** What would be sent, secrets masked: for --dry-run. */
export function describeForm(request: FormRequest, userAgent: string): DescribedRequest {
  return { method: 'POST', url: request.url, headers: headersFor(userAgent), body: maskedForm(request.form) };
}

/** One POST; the answer's status and its JSON (undefined when it is not JSON). */
export async function postForm(io: OAuthIo, request: FormRequest): Promise<{ status: number; payload: unknown }> {
  const origin = new URL(request.url).origin;
  io.log?.(`> POST ${request.url}`);
  io.log?.(`> form: ${new URLSearchParams(maskedForm(request.form)).toString()}`);
  if (io.signal.aborted) throw new InterruptedError();
  const timeout = new AbortController();
  const onAbort = () => timeout.abort(io.signal.reason);
  io.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => timeout.abort(new Error('timeout')), io.timeoutMs);
  const started = io.now();
  try {
    const response = await io.transport({
      method: 'POST',
      url: request.url,
      headers: headersFor(io.userAgent),
      body: new URLSearchParams(request.form).toString(),
      signal: timeout.signal,
    });
    const text = await response.text();
    io.log?.(`< ${response.status} ${response.headers['content-type'] ?? '(no content type)'} after ${io.now() - started} ms`);
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
    return { status: response.status, payload };
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (io.signal.aborted) throw new InterruptedError();
    if (timeout.signal.aborted) {
      throw new TimeoutError(`No answer from ${origin} within ${io.timeoutMs / 1000} s.`, {
        hint: 'Check the network and the proxy settings (HTTPS_PROXY, NO_PROXY).',
      });
    }
    const code = errorCode(error);
    const what = networkErrorInfo(code)?.text ?? (error instanceof Error ? error.message : String(error));
    throw new NetworkError(`Cannot reach ${origin}: ${what}${code ? ` (${code})` : ''}.`, {
      hint: 'Check the network and the proxy settings (HTTPS_PROXY, NO_PROXY).',
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    io.signal.removeEventListener('abort', onAbort);
  }
}

/** Asks the account host for a device code; its answer must echo our state. */
export async function requestDeviceCode(io: OAuthIo, host: string, pkce: Pkce): Promise<DeviceCode> {
  const { status, payload } = await postForm(io, oauthRequests.deviceCode(host, pkce));
  if (status < 200 || status >= 300) {
    throw new AuthError(`The login service refused to start a login (HTTP ${status}).`, {
      hint: `Try again later, or log in with an API key: mmx auth login --api-key sk-…`,
    });
  }
  return readDeviceCode(payload, pkce.state, io.now());
}

/**
 * Polls the token endpoint every interval until the code is approved, denied or dead.
 * `slow_down` adds 5 s to the interval; a connection failure or a 5xx is tolerated a few
 * times in a row (a login can wait minutes; a blip should not end it). Ctrl-C ends the wait
 * at once (exit 130); a code that dies unapproved is exit 5, a denial exit 3.
 */
export async function waitForApproval(io: OAuthIo, host: string, device: DeviceCode, pkce: Pkce): Promise<TokenAnswer> {
  let interval = device.intervalMs;
  let failures = 0;
  const deadline = Math.min(device.deadline, io.now() + MAX_WAIT_MS);
  const expired = () =>
    new TimeoutError('The login code expired before it was approved.', { hint: 'Run mmx auth login again, and approve the code in time.' });
  for (let polls = 0; ; polls++) {
    if (io.now() >= deadline || polls >= MAX_POLLS) throw expired();
    await waitOrAbort(io.sleep, Math.min(interval, Math.max(0, deadline - io.now())), io.signal);
    let answer;
    try {
      const { status, payload } = await postForm(io, oauthRequests.poll(host, device, pkce));
      if (status >= 500) throw new NetworkError(`The login service answered HTTP ${status}.`);
      answer = readPollAnswer(status, payload, io.now());
    } catch (error) {
      const transient = error instanceof CliError && (error.exitCode === ExitCode.NETWORK || error.exitCode === ExitCode.TIMEOUT);
      if (!transient || ++failures >= POLL_FAILURES_TOLERATED) throw error;
      io.log?.(`* poll failed (${(error as Error).message}); trying again`);
      continue;
    }
    failures = 0;
    switch (answer.kind) {
      case 'pending':
        continue;
      case 'slow-down':
        interval += SLOW_DOWN_STEP_MS;
        io.log?.(`* asked to slow down; polling every ${interval / 1000} s`);
        continue;
      case 'approved':
        return answer.token;
      case 'expired':
        throw expired();
      case 'denied':
        throw new AuthError('The login was denied in the browser.', { hint: 'Run mmx auth login again to start over.' });
      case 'failed':
        throw new AuthError(`The login failed: ${answer.detail}.`, { hint: 'Run mmx auth login again.' });
    }
  }
}

/**
 * Trades a refresh token for new tokens, as mmx-cli 1.0.27: up to 3 attempts 500 ms × attempt
 * apart for connection failures, timeouts and 5xx; a 4xx (or a 2xx without a token) is final.
 */
export async function refreshTokens(io: OAuthIo, host: string, refreshToken: string): Promise<TokenAnswer> {
  const expiredSession = (detail: string) =>
    new AuthError(`The OAuth login has expired and could not be refreshed (${detail}).`, { hint: 'Log in again: mmx auth login' });
  if (refreshToken === '') throw expiredSession('no refresh token was stored');
  let last: CliError | undefined;
  for (let attempt = 1; attempt <= REFRESH_ATTEMPTS; attempt++) {
    if (attempt > 1) await waitOrAbort(io.sleep, REFRESH_BACKOFF_MS * (attempt - 1), io.signal);
    try {
      const { status, payload } = await postForm(io, oauthRequests.refresh(host, refreshToken));
      const answer = readRefreshAnswer(status, payload, io.now());
      if (answer.kind === 'refreshed') return answer.token;
      if (answer.kind === 'rejected') throw expiredSession(answer.detail);
      last = new NetworkError(`The token refresh failed: ${answer.detail}.`);
    } catch (error) {
      if (!(error instanceof CliError) || (error.exitCode !== ExitCode.NETWORK && error.exitCode !== ExitCode.TIMEOUT)) throw error;
      last = error;
    }
    io.log?.(`* refresh attempt ${attempt} of ${REFRESH_ATTEMPTS} failed: ${last.message}`);
  }
  const failure = last as CliError;
  throw new CliError(failure.exitCode, `The OAuth token could not be refreshed after ${REFRESH_ATTEMPTS} attempts: ${failure.message}`, {
    hint: 'Check the network and try again (mmx auth refresh); if it keeps failing, log in again: mmx auth login',
  });
}
