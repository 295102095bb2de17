/**
 * Retry policy, pure: which failures are worth another try, and how long to wait.
 * Exponential backoff with full jitter; a server's Retry-After wins when present.
 */
import type { Failure } from './failure.js';

/** 500s that MiniMax documents as transient: unknown error, request timeout, internal error. */
const TRANSIENT_500_CODES = new Set([1000, 1001, 1024]);
const RETRY_STATUSES = new Set([408, 429, 502, 503, 504, 529]);

export function isRetryableFailure(failure: Failure): boolean {
  // 2056 is a used-up quota window, not a rate limit: retrying cannot help before it resets.
  if (failure.apiCode === 2056) return false;
  if (failure.status === 500) return failure.apiCode !== undefined && TRANSIENT_500_CODES.has(failure.apiCode);
  if (RETRY_STATUSES.has(failure.status)) return true;
  // Business errors in HTTP 200 that are rate limits or transient.
  return (
    failure.status === 200 && (failure.apiCode === 1002 || failure.apiCode === 1000 || failure.apiCode === 1001 || failure.apiCode === 1024)
  );
}

/** Connection errors before any response byte: the request never reached the API. */
const RETRY_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && RETRY_NETWORK_CODES.has(code);
}

export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

/** `Retry-After` as seconds or an HTTP date, in ms from now; undefined when absent or unusable. */
export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Full jitter: a uniform wait in [0, min(cap, base·2^retry)). `retry` counts from 0. */
export function backoffMs(retry: number, random: () => number): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry));
}
