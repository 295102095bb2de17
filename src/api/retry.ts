/**
 * Retry policy, pure: which outcomes are worth another try under which policy,
 * and how long to wait. Exponential backoff with full jitter; a server's
 * Retry-After wins when present.
 */
import { networkErrorInfo } from '../http/network-errors.js';
import type { Failure } from './failure.js';
import type { HttpMethod, RetryPolicy } from './request.js';

/** 500s that MiniMax documents as transient: unknown error, request timeout, internal error. */
const TRANSIENT_500_CODES = new Set([1000, 1001, 1024]);
const RETRY_STATUSES = new Set([408, 429, 502, 503, 504, 529]);

/** What an attempt ended with, when it did not succeed. */
export type Outcome =
  /** The server answered with an error (read whole). */
  | { kind: 'answer'; failure: Failure }
  /** The connection failed; `responded` when the response headers had arrived (the body was cut). */
  | { kind: 'network'; code: string | undefined; responded: boolean };

/** Rate limits, overloads and transient server errors. */
export function isTransientFailure(failure: Failure): boolean {
  // 2056 is a used-up quota window, not a rate limit: retrying cannot help before it resets.
  if (failure.apiCode === 2056) return false;
  if (failure.status === 500) return failure.apiCode !== undefined && TRANSIENT_500_CODES.has(failure.apiCode);
  if (RETRY_STATUSES.has(failure.status)) return true;
  // Business errors in HTTP 200 that are rate limits or transient.
  return (
    failure.status === 200 && (failure.apiCode === 1002 || failure.apiCode === 1000 || failure.apiCode === 1001 || failure.apiCode === 1024)
  );
}

/** A rate-limit answer: the server refused the request, so it created nothing. */
function isRefusal(failure: Failure): boolean {
  return (failure.status === 429 && failure.apiCode !== 2056) || failure.apiCode === 1002;
}

/**
 * The retry rule. `transient` retries transient answers, connection failures
 * before any response, and (GET only) a body cut after the headers: a POST is
 * never sent again once its response began. `refused-only` retries only what
 * proves the request created nothing: a rate-limit answer, or a connection that
 * never carried the request (refused, DNS, connect timeout).
 */
export function shouldRetry(policy: RetryPolicy, method: HttpMethod, outcome: Outcome): boolean {
  if (outcome.kind === 'answer') return policy === 'transient' ? isTransientFailure(outcome.failure) : isRefusal(outcome.failure);
  const info = networkErrorInfo(outcome.code);
  if (policy === 'refused-only') return !outcome.responded && info?.delivered === 'never' && info.transient;
  if (outcome.responded) return method === 'GET';
  return info?.transient === true;
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
