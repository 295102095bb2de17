/**
 * The HTTP client: applies the auth strategy, bounds each request by --timeout,
 * logs under --verbose (keys masked), turns failures into CliErrors, and switches
 * header style once when a server rejects the one it was sent.
 */
import {
  type AuthChoice,
  type AuthStyle,
  type AuthStyleSetting,
  type EndpointFamily,
  type RememberedStyles,
  authHeaders,
  chooseAuth,
  familyOf,
  maskHeaders,
  otherStyle,
  rejectsStyle,
  styleLabel,
} from '../auth/strategy.js';
import type { Region } from '../config/regions.js';
import { CliError, ExitCode, InterruptedError, NetworkError, TimeoutError } from '../errors.js';
import type { HttpResponse, Transport } from '../http/transport.js';
import { type Failure, errorFromFailure, failureFromText } from './failure.js';
import { backoffMs, isRetryableFailure, isRetryableNetworkCode, retryAfterMs } from './retry.js';

export interface ClientOptions {
  baseUrl: string;
  region: Region;
  key: string;
  authStyle: AuthStyleSetting;
  authStyleSource?: string;
  remembered?: RememberedStyles | undefined;
  transport: Transport;
  timeoutMs: number;
  /** Ends a stream that sends nothing for this long. */
  idleTimeoutMs?: number;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Extra tries after a transient failure (default 2). */
  maxRetries?: number;
  /** Waits between retries (injected so tests run instantly). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now: () => number;
  userAgent: string;
  /** --verbose lines (already masked); absent when not verbose. */
  log?: ((line: string) => void) | undefined;
  /** Called when an auto-switch found the working style; persists it, best-effort. */
  remember?: ((origin: string, family: EndpointFamily, style: AuthStyle) => Promise<void>) | undefined;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Expect an SSE body on success. */
  stream?: boolean;
}

export interface JsonResult {
  status: number;
  headers: Record<string, string>;
  json: unknown;
}

export interface DescribedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  auth: { style: AuthStyle; header: string; reason: AuthChoice['reason']; why: string };
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'socket error',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

function errorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown })?.code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

interface Attempt {
  response: HttpResponse;
  failure?: Failure;
  /** Parsed JSON of a successful non-stream response. */
  json?: unknown;
  elapsedMs: number;
}

export class ApiClient {
  readonly origin: string;

  constructor(private readonly options: ClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
  }

  get region(): Region {
    return this.options.region;
  }

  choiceFor(path: string): AuthChoice {
    const o = this.options;
    return chooseAuth({
      region: o.region,
      family: familyOf(path),
      setting: o.authStyle,
      settingSource: o.authStyleSource,
      origin: this.origin,
      remembered: o.remembered,
    });
  }

  private headersFor(spec: RequestSpec, style: AuthStyle): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: spec.stream ? 'text/event-stream' : 'application/json',
      ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...spec.headers,
      ...authHeaders(style, this.options.key),
    };
    return headers;
  }

  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  /** What would be sent, key masked: for --dry-run. */
  describe(spec: RequestSpec): DescribedRequest {
    const choice = this.choiceFor(spec.path);
    return {
      method: spec.method,
      url: this.url(spec.path),
      headers: maskHeaders(this.headersFor(spec, choice.style)),
      ...(spec.body === undefined ? {} : { body: spec.body }),
      auth: { style: choice.style, header: styleLabel(choice.style), reason: choice.reason, why: choice.why },
    };
  }

  async json(spec: RequestSpec): Promise<JsonResult> {
    const attempt = await this.send(spec);
    return { status: attempt.response.status, headers: attempt.response.headers, json: attempt.json };
  }

  /** A successful SSE response whose body yields chunks, each read bounded by the idle timeout. */
  async stream(spec: RequestSpec): Promise<HttpResponse> {
    const attempt = await this.send({ ...spec, stream: true });
    return { ...attempt.response, body: this.idleBounded(attempt.response.body) };
  }

  private async send(spec: RequestSpec): Promise<Attempt> {
    const choice = this.choiceFor(spec.path);
    const first = await this.attempt(spec, choice.style, choice);
    if (!first.failure) return first;
    if (choice.reason !== 'explicit' && rejectsStyle(choice.style, first.failure)) {
      const next = otherStyle(choice.style);
      this.options.log?.(
        `* ${this.origin} rejected ${styleLabel(choice.style)} (${first.failure.message}); retrying once with ${styleLabel(next)}`,
      );
      const second = await this.attempt(spec, next, { style: next, reason: 'switched', why: 'after a rejected header' });
      if (!second.failure) {
        const family = familyOf(spec.path);
        if (this.options.remembered?.[this.origin]?.[family] !== next) {
          await this.options.remember?.(this.origin, family, next);
        }
        return second;
      }
      const note = `Both ${styleLabel(choice.style)} and ${styleLabel(next)} were tried.`;
      const context = { region: this.options.region, now: this.options.now(), note };
      const retryError = errorFromFailure(second.failure, context);
      throw retryError.exitCode === ExitCode.AUTH ? retryError : errorFromFailure(first.failure, context);
    }
    const note =
      choice.reason === 'explicit' && rejectsStyle(choice.style, first.failure)
        ? `The server rejected ${styleLabel(choice.style)}, which is set explicitly (${choice.why}), so mmx did not switch; use --auth-style auto to let it.`
        : undefined;
    throw errorFromFailure(first.failure, { region: this.options.region, now: this.options.now(), note });
  }

  /** One style, with retries on transient failures. Nothing has reached the user yet, so a retry is safe. */
  private async attempt(spec: RequestSpec, style: AuthStyle, choice: AuthChoice): Promise<Attempt> {
    const o = this.options;
    const maxRetries = o.maxRetries ?? 2;
    for (let retry = 0; ; retry++) {
      let result: Attempt | undefined;
      let networkError: NetworkError | undefined;
      try {
        result = await this.attemptOnce(spec, style, choice);
      } catch (error) {
        if (!(error instanceof NetworkError) || !isRetryableNetworkCode(errorCode(error.cause))) throw error;
        networkError = error;
      }
      const retryable = networkError !== undefined || (result?.failure !== undefined && isRetryableFailure(result.failure));
      if (!retryable || retry >= maxRetries) {
        if (networkError) throw networkError;
        return result as Attempt;
      }
      const wait = (result && retryAfterMs(result.response.headers, o.now())) ?? backoffMs(retry, o.random ?? Math.random);
      const why = networkError ? networkError.message : `HTTP ${result?.response.status}: ${result?.failure?.message}`;
      o.log?.(`* attempt ${retry + 1} of ${maxRetries + 1} failed (${why}); retrying in ${(wait / 1000).toFixed(1)} s`);
      await this.pause(wait);
    }
  }

  /** The wait between retries, cut short by Ctrl-C. */
  private async pause(ms: number): Promise<void> {
    const o = this.options;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new InterruptedError());
      if (o.signal.aborted) onAbort();
      else o.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([(o.sleep ?? ((wait: number) => new Promise<void>((r) => setTimeout(r, wait).unref())))(ms), aborted]);
    } finally {
      if (onAbort) o.signal.removeEventListener('abort', onAbort);
    }
  }

  private async attemptOnce(spec: RequestSpec, style: AuthStyle, choice: AuthChoice): Promise<Attempt> {
    const o = this.options;
    const headers = this.headersFor(spec, style);
    const url = this.url(spec.path);
    o.log?.(`> ${spec.method} ${url}`);
    o.log?.(`> auth: ${styleLabel(style)} (${choice.why})`);
    for (const [name, value] of Object.entries(maskHeaders(headers))) o.log?.(`> ${name}: ${value}`);

    const timeout = new AbortController();
    const onAbort = () => timeout.abort(o.signal.reason);
    if (o.signal.aborted) throw new InterruptedError();
    o.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), o.timeoutMs);
    const started = o.now();
    try {
      const response = await o.transport({
        method: spec.method,
        url,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: timeout.signal,
      });
      const contentType = response.headers['content-type'] ?? '';
      const ok = response.status >= 200 && response.status < 300;
      if (spec.stream && ok && contentType.includes('text/event-stream')) {
        clearTimeout(timer); // from here on the idle timeout guards the stream
        o.log?.(`< ${response.status} ${contentType} after ${o.now() - started} ms`);
        return { response, elapsedMs: o.now() - started };
      }
      const text = await response.text();
      const elapsedMs = o.now() - started;
      o.log?.(`< ${response.status} ${contentType || '(no content type)'} after ${elapsedMs} ms`);
      const failure = failureFromText(response.status, response.headers, text);
      if (failure) return { response, failure, elapsedMs };
      if (spec.stream) {
        return {
          response,
          elapsedMs,
          failure: { status: response.status, message: `expected an event stream, got ${contentType || 'no content type'}`, nonJson: true },
        };
      }
      return { response, json: JSON.parse(text), elapsedMs };
    } catch (error) {
      throw this.transportError(error, url, timeout.signal);
    } finally {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
    }
  }

  private transportError(error: unknown, url: string, signal: AbortSignal): Error {
    if (error instanceof CliError) return error;
    if (this.options.signal.aborted) return new InterruptedError();
    if (signal.aborted) {
      return new TimeoutError(`No response from ${new URL(url).origin} within ${this.options.timeoutMs / 1000} s (--timeout).`, {
        hint: 'Raise --timeout (seconds), or check the network and --region.',
      });
    }
    const code = errorCode(error);
    const what = (code && NETWORK_CODES[code]) ?? (error instanceof Error ? error.message : String(error));
    return new NetworkError(`Cannot reach ${new URL(url).origin}: ${what}${code ? ` (${code})` : ''}.`, {
      hint: 'Check the network, the proxy settings (HTTPS_PROXY, NO_PROXY) and --base-url.',
      cause: error,
    });
  }

  private async *idleBounded(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const o = this.options;
    const idleMs = o.idleTimeoutMs ?? 60_000;
    const iterator = body[Symbol.asyncIterator]();
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        let onAbort: (() => void) | undefined;
        const stop = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new TimeoutError(`The stream sent nothing for ${idleMs / 1000} s (--idle-timeout); the answer is incomplete.`, {
                  hint: 'The server stalled mid-answer; retry, or raise --idle-timeout.',
                }),
              ),
            idleMs,
          );
          onAbort = () => reject(new InterruptedError());
          o.signal.addEventListener('abort', onAbort, { once: true });
        });
        try {
          const next = await Promise.race([iterator.next(), stop]);
          if (next.done) return;
          yield next.value;
        } catch (error) {
          if (error instanceof CliError) throw error;
          const code = errorCode(error);
          throw new NetworkError(`The connection failed mid-answer${code ? ` (${code})` : ''}.`, { cause: error });
        } finally {
          clearTimeout(timer);
          if (onAbort) o.signal.removeEventListener('abort', onAbort);
        }
      }
    } finally {
      await iterator.return?.();
    }
  }
}
