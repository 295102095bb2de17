/**
 * Reading a failed (or failed-inside-200) response, and turning it into the
 * CliError the user sees. The exit code comes from `exitCodeForApi`, the one table.
 */
import { ApiError, ExitCode, exitCodeForApi } from '../errors.js';
import type { Region } from '../config/regions.js';
import { isPlainObject } from '../json.js';
import { maskUrl } from '../http/mask-url.js';
import { parseApiCode } from './message-stream.js';

const asRecord = (value: unknown): Record<string, unknown> | undefined => (isPlainObject(value) ? value : undefined);

export interface Failure {
  status: number;
  message: string;
  apiCode?: number | undefined;
  errorType?: string | undefined;
  requestId?: string | undefined;
  /** The body was not JSON (an HTML error page, a proxy's text, a cut body). */
  nonJson?: boolean | undefined;
  contentType?: string | undefined;
  /** What to do about it, when the failure itself knows (a redirect). */
  hint?: string | undefined;
}

/**
 * A 3xx answer. mmx never follows one: the key would go to whatever host the server names (and
 * a POST would be replayed or turned into a GET). The message names where it pointed, masked
 * as every URL mmx shows (a signed query is a credential).
 */
export function redirectFailure(status: number, headers: Record<string, string>, requestUrl: string): Failure {
  const location = headers.location;
  let where = 'without a Location header';
  if (location !== undefined) {
    const target = URL.canParse(location, requestUrl) ? new URL(location, requestUrl).toString() : undefined;
    where = target === undefined ? 'to an address that is not a URL' : `to ${maskUrl(target)}`;
  }
  return {
    status,
    message: `the server redirected (HTTP ${status}) ${where}; mmx does not follow redirects`,
    requestId: requestIdOf(undefined, headers),
    hint: 'If that address is the API, use it as --base-url; a redirect is never followed, so the key cannot be sent elsewhere.',
  };
}

function requestIdOf(body: Record<string, unknown> | undefined, headers: Record<string, string>): string | undefined {
  const fromBody = body?.request_id;
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  return headers['trace-id'] ?? headers['minimax-request-id'] ?? headers['x-mm-request-id'] ?? undefined;
}

/** The failure inside a parsed JSON body, or undefined when the body reports success. */
function failureInBody(status: number, json: unknown, headers: Record<string, string>): Failure | undefined {
  const body = asRecord(json);
  const error = asRecord(body?.error);
  if (body?.type === 'error' && error) {
    const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
    return {
      status,
      message,
      apiCode: parseApiCode(message),
      errorType: typeof error.type === 'string' ? error.type : undefined,
      requestId: requestIdOf(body, headers),
    };
  }
  const baseResp = asRecord(body?.base_resp);
  const code = baseResp?.status_code;
  if (typeof code === 'number' && code !== 0) {
    const message = typeof baseResp?.status_msg === 'string' && baseResp.status_msg !== '' ? baseResp.status_msg : `error ${code}`;
    return { status, message, apiCode: code, requestId: requestIdOf(body, headers) };
  }
  if (status >= 400) return { status, message: `HTTP ${status}`, requestId: requestIdOf(body, headers) };
  return undefined;
}

/** Parses a body already read as text; non-JSON bodies of errors are failures too. */
export function failureFromText(status: number, headers: Record<string, string>, text: string): Failure | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const contentType = headers['content-type'] ?? 'no content type';
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 80);
    return {
      status,
      message: `the server answered HTTP ${status} with a body that is not JSON (${contentType})${snippet ? `: ${snippet}` : ''}`,
      nonJson: true,
      contentType,
      requestId: requestIdOf(undefined, headers),
    };
  }
  return failureInBody(status, json, headers);
}

/** `2026-05-15 23:00 (UTC+08:00)`: a moment in the local time zone, with its offset, so it is read once and right. */
export function localTime(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} (${zone})`;
}

function resetHint(message: string, now: number): string | undefined {
  const m = /resets at (\S+?)\)?(?:\s*\(\d+\))?\s*$/.exec(message) ?? /resets at (\S+)/.exec(message);
  if (!m?.[1]) return undefined;
  const at = Date.parse(m[1].replace(/[),.]+$/, ''));
  if (Number.isNaN(at)) return undefined;
  const minutes = Math.max(0, Math.round((at - now) / 60_000));
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
  return `The limit resets at ${localTime(at)}, in ${span}. See "mmx quota".`;
}

/**
 * The one-line message of an API failure: the server's text, its MiniMax code
 * once, and the HTTP status only when it says something the text does not (never
 * "(HTTP 200)" after a base_resp error, nor "(529) (HTTP 529)").
 */
export function failureMessage(failure: Failure): string {
  let text = failure.message;
  if (failure.apiCode !== undefined && !text.includes(`(${failure.apiCode})`)) text = `${text} (${failure.apiCode})`;
  const statusShown = text.includes(`(${failure.status})`) || text.includes(`HTTP ${failure.status}`);
  if (failure.status >= 400 && !statusShown) text = `${text} (HTTP ${failure.status})`;
  return `API error: ${text}`;
}

export function errorFromFailure(failure: Failure, context: { region: Region; now: number; note?: string | undefined }): ApiError {
  const exitCode = failure.nonJson && failure.status < 400 ? ExitCode.GENERAL : exitCodeForApi(failure);
  const message = failureMessage(failure);
  const other = context.region === 'cn' ? 'global' : 'cn';
  let hint: string | undefined;
  if (exitCode === ExitCode.AUTH) {
    hint =
      failure.apiCode === 2049 || /invalid api key/i.test(failure.message)
        ? `The key was not accepted in region ${context.region}. Keys work only in their own region: try --region ${other}, or check it with "mmx auth status".`
        : 'Check the key with "mmx auth status", or log in again with "mmx auth login".';
  } else if (exitCode === ExitCode.QUOTA) {
    hint = resetHint(failure.message, context.now) ?? 'Wait and retry, or check your plan with "mmx quota".';
  } else if (exitCode === ExitCode.CONTENT_FILTER) {
    hint = 'The content was flagged by the sensitivity filter; rephrase the input.';
  } else if (exitCode === ExitCode.TIMEOUT) {
    hint = 'The server timed out; retry, or raise --timeout.';
  } else if (failure.apiCode === 2057 || /not (token|coding) plan token/i.test(failure.message)) {
    hint = 'Web search and vision work only with Token Plan keys (sk-cp-…), not pay-as-you-go keys (sk-api-…).';
  } else if (failure.nonJson) {
    hint = 'Check --base-url: it should point at the MiniMax API (or a gateway that speaks it).';
  }
  if (failure.hint) hint = failure.hint;
  if (context.note) hint = hint ? `${context.note} ${hint}` : context.note;
  return new ApiError(exitCode, message, {
    hint,
    apiCode: failure.apiCode,
    requestId: failure.requestId,
    httpStatus: failure.status,
  });
}
