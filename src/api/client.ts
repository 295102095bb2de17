/**
 * The HTTP client: one pipeline for every endpoint. For a request value it
 * chooses the header (auth strategy) → switches once on a rejected style →
 * retries by the request's policy → maps a failure to a CliError → parses.
 * Each attempt is bounded by --timeout (connect + headers), streamed bodies by
 * --idle-timeout; --verbose logs it (keys masked).
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
import { type Region, regionOfHost } from '../config/regions.js';
import { ApiError, CliError, ExitCode, InterruptedError, NetworkError, TimeoutError } from '../errors.js';
import { ACCEPT_ENCODING, decodeBody } from '../http/encoding.js';
import { type ChunkVerdict, type IdleBound, consumeBounded, idleBounded } from '../http/idle.js';
import { ProxyError, errorCode, networkErrorInfo } from '../http/network-errors.js';
import type { HttpRequest, HttpResponse, Transport } from '../http/transport.js';
import { type Failure, errorFromFailure, failureFromText, redirectFailure } from './failure.js';
import { DEFAULT_LIMITS, ResponseTooLargeError, formatAmount } from './limits.js';
import { multipartBody } from './multipart.js';
import { type ApiRequest, type RequestBody, ResponseShapeError, pathWithQuery } from './request.js';
import { type Outcome, backoffMs, retryAfterMs, shouldRetry } from './retry.js';
import { type Sleep, timerSleep, waitOrAbort } from '../wait.js';

export interface ClientOptions {
  baseUrl: string;
  region: Region;
  key: string;
  authStyle: AuthStyleSetting;
  /** Where an explicit style was set, as the user wrote it (for messages). */
  authStyleSetBy?: string | undefined;
  remembered?: RememberedStyles | undefined;
  transport: Transport;
  timeoutMs: number;
  /** Ends a stream that sends nothing for this long. */
  idleTimeoutMs?: number;
  /** The most bytes of a response read whole (default: DEFAULT_LIMITS.bodyBytes, 64 MiB). */
  maxBodyBytes?: number | undefined;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Extra tries after a failure the request's retry policy allows (default 2). */
  maxRetries?: number;
  /** Waits between retries (injected so tests run instantly); a real timer when absent. */
  sleep?: Sleep | undefined;
  /** Uniform in [0, 1), for the backoff's jitter; `Math.random` when absent. */
  random?: (() => number) | undefined;
  now: () => number;
  userAgent: string;
  /** --verbose lines (already masked); absent when not verbose. */
  log?: ((line: string) => void) | undefined;
  /** A one-line notice for a person watching (a retry and its wait); the context decides where it goes. */
  notice?: ((line: string) => void) | undefined;
  /** Called when an auto-switch found the working style; persists it, best-effort. */
  remember?: ((origin: string, family: EndpointFamily, style: AuthStyle) => Promise<void>) | undefined;
  /** Told before the key first goes over plain http:// to a MiniMax host (the context warns, once). */
  plainHttp?: ((origin: string) => void) | undefined;
}

export interface DescribedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** The auth header and why; absent for a request that carries none (OAuth's account host). */
  auth?: { style: AuthStyle; header: string; reason: AuthChoice['reason']; why: string };
}

/** Per-call options of `send` and `open`. */
export interface SendOptions {
  /**
   * Upload progress of a streamed body (a file, multipart): bytes handed to the connection so
   * far, of the total. Starts at 0, and again when the body is sent anew (auth switch, retry).
   */
  onUploadProgress?: ((sent: number, total: number) => void) | undefined;
  /**
   * This request's bound on connecting and the response headers, instead of --timeout: a
   * status check inside a wait that --timeout bounds as a whole (see commands/video/wait.ts).
   */
  timeoutMs?: number | undefined;
}

/** A successful response whose body the caller reads (SSE, bytes), each read bounded by the idle timeout. */
export interface OpenResponse {
  status: number;
  headers: Record<string, string>;
  /** The body, chunk by chunk. Read it once, by iterating it or with `consume`. */
  body: AsyncIterable<Uint8Array>;
  /** The body, each chunk handed to `onChunk` synchronously as it arrives (see `consumeBounded`). */
  consume(onChunk: (chunk: Uint8Array) => ChunkVerdict): Promise<void>;
}

/** A connection failure inside the client, before it becomes the user's NetworkError. */
class ConnectionFailure extends Error {
  constructor(
    readonly error: NetworkError,
    readonly code: string | undefined,
    readonly responded: boolean,
  ) {
    super(error.message);
  }
}

interface Attempt {
  response: HttpResponse;
  failure?: Failure;
  /** The body text of a complete (non-streamed) response. */
  text?: string;
}

export class ApiClient {
  readonly origin: string;

  constructor(
    private readonly options: ClientOptions,
    /** Styles this run switched to, by family: later requests of the run (a REPL's turns) start with them. */
    private readonly learned: Partial<Record<EndpointFamily, AuthStyle>> = {},
  ) {
    this.origin = new URL(options.baseUrl).origin;
  }

  /**
   * The same client, also ended by `signal` (a REPL stops one answer with Ctrl-C and goes on).
   * Styles learned by either are known to both.
   */
  withSignal(signal: AbortSignal): ApiClient {
    return new ApiClient({ ...this.options, signal: AbortSignal.any([this.options.signal, signal]) }, this.learned);
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
      setBy: o.authStyleSetBy,
      origin: this.origin,
      remembered:
        Object.keys(this.learned).length === 0
          ? o.remembered
          : { ...o.remembered, [this.origin]: { ...o.remembered?.[this.origin], ...this.learned } },
    });
  }

  url(request: Pick<ApiRequest, 'path' | 'query'>): string {
    return `${this.options.baseUrl}${pathWithQuery(request.path, request.query)}`;
  }

  private headersFor(request: ApiRequest, style: AuthStyle, contentType: string | undefined): Record<string, string> {
    return {
      'user-agent': this.options.userAgent,
      accept: request.expect === 'sse' ? 'text/event-stream' : request.expect === 'bytes' ? '*/*' : 'application/json',
      'accept-encoding': ACCEPT_ENCODING,
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
      ...request.headers,
      ...authHeaders(style, this.options.key),
    };
  }

  /** What would be sent, key masked: for --dry-run. Multipart and streamed bodies are described, never read. */
  describe(request: ApiRequest): DescribedRequest {
    const choice = this.choiceFor(request.path);
    return {
      method: request.method,
      url: this.url(request),
      headers: maskHeaders(this.headersFor(request, choice.style, contentTypeOf(request.body))),
      ...(request.body === undefined ? {} : { body: describeBody(request.body) }),
      auth: { style: choice.style, header: styleLabel(choice.style), reason: choice.reason, why: choice.why },
    };
  }

  /** Sends a JSON request and returns its payload, parsed by the request's parser when it has one. */
  async send<T>(request: ApiRequest<T>, options: SendOptions = {}): Promise<T> {
    const attempt = await this.run(request, options);
    const payload: unknown = JSON.parse(attempt.text ?? 'null');
    if (!request.parse) return payload as T;
    try {
      return request.parse(payload);
    } catch (error) {
      if (!(error instanceof ResponseShapeError)) throw error;
      // The payload is quoted (briefly): no output mode shows a payload that is not the answer.
      throw new ApiError(
        ExitCode.GENERAL,
        `Unexpected response to ${request.method} ${request.path}: ${error.message} (got ${excerpt(payload)}).`,
        {
          hint: 'Check --base-url: it should point at the MiniMax API (or a gateway that speaks it).',
        },
      );
    }
  }

  /** Sends a request whose successful body is read by the caller (an event stream or bytes). */
  async open(request: ApiRequest, options: SendOptions = {}): Promise<OpenResponse> {
    const attempt = await this.run(request, options);
    const raw = attempt.response.body;
    return {
      status: attempt.response.status,
      headers: attempt.response.headers,
      body: this.idleBounded(raw),
      consume: (onChunk) => consumeBounded(raw, this.idleBound(), onChunk),
    };
  }

  private async run(request: ApiRequest, options: SendOptions): Promise<Attempt> {
    const choice = this.choiceFor(request.path);
    const first = await this.attempt(request, choice.style, choice, options);
    if (!first.failure) return first;
    if (choice.reason !== 'explicit' && rejectsStyle(choice.style, first.failure)) {
      // A rejected header means the request was not taken, so even paid work may be sent again, once.
      const next = otherStyle(choice.style);
      this.options.log?.(
        `* ${this.origin} rejected ${styleLabel(choice.style)} (${first.failure.message}); retrying once with ${styleLabel(next)}`,
      );
      const second = await this.attempt(request, next, { style: next, reason: 'switched', why: 'after a rejected header' }, options);
      if (!second.failure) {
        const family = familyOf(request.path);
        this.learned[family] = next;
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

  /** One style, with the retries the request's policy allows. */
  private async attempt(request: ApiRequest, style: AuthStyle, choice: AuthChoice, options: SendOptions): Promise<Attempt> {
    const o = this.options;
    const maxRetries = o.maxRetries ?? 2;
    for (let retry = 0; ; retry++) {
      let result: Attempt | undefined;
      let outcome: Outcome | undefined;
      let connection: ConnectionFailure | undefined;
      try {
        result = await this.attemptOnce(request, style, choice, options);
        if (result.failure) outcome = { kind: 'answer', failure: result.failure };
      } catch (error) {
        if (!(error instanceof ConnectionFailure)) throw error;
        connection = error;
        outcome = { kind: 'network', code: error.code, responded: error.responded };
      }
      if (outcome === undefined || retry >= maxRetries || !shouldRetry(request.retry, request.method, outcome)) {
        if (connection) throw connection.error;
        return result as Attempt;
      }
      const wait = (result && retryAfterMs(result.response.headers, o.now())) ?? backoffMs(retry, o.random ?? Math.random);
      const why = connection ? connection.error.message : `HTTP ${result?.response.status}: ${result?.failure?.message}`;
      o.log?.(`* attempt ${retry + 1} of ${maxRetries + 1} failed (${why}); retrying in ${(wait / 1000).toFixed(1)} s`);
      const brief = connection
        ? (networkErrorInfo(connection.code)?.text ?? 'the connection failed')
        : `HTTP ${result?.response.status}${result?.failure?.apiCode ? ` (${result.failure.apiCode})` : ''}`;
      o.notice?.(`${brief}; retrying in ${(wait / 1000).toFixed(1)} s (attempt ${retry + 2} of ${maxRetries + 1})`);
      await this.pause(wait);
    }
  }

  /** The wait between retries, cut short by Ctrl-C. */
  private pause(ms: number): Promise<void> {
    return waitOrAbort(this.options.sleep ?? timerSleep, ms, this.options.signal);
  }

  private async attemptOnce(request: ApiRequest, style: AuthStyle, choice: AuthChoice, options: SendOptions): Promise<Attempt> {
    const o = this.options;
    const body = transportBody(request.body, options.onUploadProgress);
    const headers = this.headersFor(request, style, body?.contentType);
    const url = this.url(request);
    o.log?.(`> ${request.method} ${url}`);
    o.log?.(`> auth: ${styleLabel(style)} (${choice.why})`);
    for (const [name, value] of Object.entries(maskHeaders(headers))) o.log?.(`> ${name}: ${value}`);

    // A gateway or emulator on http:// is the user's business; MiniMax's own hosts speak https.
    if (url.startsWith('http:') && regionOfHost(url) !== undefined) o.plainHttp?.(this.origin);
    const timeout = new AbortController();
    const onAbort = () => timeout.abort(o.signal.reason);
    if (o.signal.aborted) throw new InterruptedError();
    o.signal.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = options.timeoutMs ?? o.timeoutMs;
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), timeoutMs);
    const started = o.now();
    let response: HttpResponse | undefined;
    try {
      const sent: HttpRequest = { method: request.method, url, headers, body: body?.data, signal: timeout.signal };
      response = await o.transport(sent);
      const contentType = response.headers['content-type'] ?? '';
      if (response.status >= 300 && response.status < 400) {
        // Never followed, and its body never read: the connection is closed now.
        (response.body as { destroy?: () => void }).destroy?.();
        o.log?.(`< ${response.status} (a redirect, not followed) after ${o.now() - started} ms`);
        return { response, failure: redirectFailure(response.status, response.headers, url) };
      }
      response = await decodeBody(response);
      const ok = response.status >= 200 && response.status < 300;
      if (ok && request.expect !== 'json' && (request.expect === 'bytes' || contentType.includes('text/event-stream'))) {
        clearTimeout(timer); // from here on the idle timeout guards the body
        o.log?.(`< ${response.status} ${contentType} after ${o.now() - started} ms`);
        return { response };
      }
      const text = await readCapped(response.body, o.maxBodyBytes ?? DEFAULT_LIMITS.bodyBytes, `the answer from ${this.origin}`);
      o.log?.(`< ${response.status} ${contentType || '(no content type)'} after ${o.now() - started} ms`);
      const failure = failureFromText(response.status, response.headers, text);
      if (failure) return { response, failure };
      if (request.expect === 'sse') {
        return {
          response,
          failure: { status: response.status, message: `expected an event stream, got ${contentType || 'no content type'}`, nonJson: true },
        };
      }
      return { response, text };
    } catch (error) {
      throw this.transportError(error, url, timeout.signal, response !== undefined, options.timeoutMs);
    } finally {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
    }
  }

  private transportError(error: unknown, url: string, signal: AbortSignal, responded: boolean, ownTimeoutMs?: number): Error {
    if (error instanceof CliError) return error;
    if (this.options.signal.aborted) return new InterruptedError();
    if (signal.aborted) {
      if (ownTimeoutMs !== undefined) {
        return new TimeoutError(`No response from ${new URL(url).origin} within ${ownTimeoutMs / 1000} s.`, {
          hint: 'Check the network and --region.',
        });
      }
      return new TimeoutError(`No response from ${new URL(url).origin} within ${this.options.timeoutMs / 1000} s (--timeout).`, {
        hint: 'Raise --timeout (seconds), or check the network and --region.',
      });
    }
    // The proxy, not the target, failed: its own message names it and where it was set.
    if (error instanceof ProxyError) {
      return new ConnectionFailure(new NetworkError(error.message, { hint: error.hint, cause: error }), error.code, false);
    }
    const code = errorCode(error);
    const what = networkErrorInfo(code)?.text ?? (error instanceof Error ? error.message : String(error));
    const networkError = responded
      ? new NetworkError(
          `The connection to ${new URL(url).origin} failed while reading the response: ${what}${code ? ` (${code})` : ''}.`,
          {
            hint: 'The request reached the server; check the network and retry.',
            cause: error,
          },
        )
      : new NetworkError(`Cannot reach ${new URL(url).origin}: ${what}${code ? ` (${code})` : ''}.`, {
          hint: 'Check the network, the proxy settings (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) and --base-url.',
          cause: error,
        });
    return new ConnectionFailure(networkError, code, responded);
  }

  private idleBounded(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    return idleBounded(body, this.idleBound());
  }

  private idleBound(): IdleBound {
    const idleMs = this.options.idleTimeoutMs ?? 60_000;
    return {
      idleMs,
      signal: this.options.signal,
      idle: () =>
        new TimeoutError(`The stream sent nothing for ${idleMs / 1000} s (--idle-timeout); the answer is incomplete.`, {
          hint: 'The server stalled mid-answer; retry, or raise --idle-timeout.',
        }),
      failed: (error) => {
        const code = errorCode(error);
        return new NetworkError(`The connection failed mid-answer${code ? ` (${code})` : ''}.`, { cause: error });
      },
    };
  }
}

/**
 * A body read whole, as text, up to `limit` bytes: past it, ResponseTooLargeError, and the
 * body is destroyed (its connection closed) instead of growing until the process dies.
 */
async function readCapped(body: AsyncIterable<Uint8Array>, limit: number, what: string): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      (body as { destroy?: () => void }).destroy?.();
      throw new ResponseTooLargeError(what, formatAmount(limit, 'bytes'));
    }
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(parts).toString('utf8');
}

/** A payload in a message: its JSON, cut to a readable length. */
function excerpt(payload: unknown): string {
  const json = JSON.stringify(payload) ?? String(payload);
  return json.length <= 120 ? json : `${json.slice(0, 120)}…`;
}

function contentTypeOf(body: RequestBody | undefined): string | undefined {
  if (body === undefined) return undefined;
  if ('json' in body) return 'application/json';
  if ('bytes' in body) return body.contentType;
  if ('stream' in body) return body.stream.contentType;
  // The boundary is only known once the body is built: describe() shows the type without it.
  return 'multipart/form-data';
}

function describeBody(body: RequestBody): unknown {
  if ('json' in body) return body.json;
  if ('bytes' in body) return { bytes: body.bytes.byteLength, content_type: body.contentType };
  if ('stream' in body) return body.stream.describe();
  return multipartBody(body.multipart).describe();
}

/** The body as the transport takes it, built anew for each attempt (streams are re-opened). */
function transportBody(
  body: RequestBody | undefined,
  onUploadProgress: SendOptions['onUploadProgress'],
): { data: HttpRequest['body']; contentType: string } | undefined {
  if (body === undefined) return undefined;
  if ('json' in body) return { data: JSON.stringify(body.json), contentType: 'application/json' };
  if ('bytes' in body) return { data: body.bytes, contentType: body.contentType };
  const stream = 'stream' in body ? body.stream : multipartBody(body.multipart);
  const open = onUploadProgress ? () => counted(stream.open(), stream.length, onUploadProgress) : () => stream.open();
  return { data: { length: stream.length, open }, contentType: stream.contentType };
}

/** Passes `chunks` through, reporting the bytes taken so far after the reader (the transport, which waits for the socket) asks for more. */
async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  total: number,
  report: (sent: number, total: number) => void,
): AsyncGenerator<Uint8Array> {
  let sent = 0;
  report(sent, total);
  for await (const chunk of chunks) {
    yield chunk;
    sent += chunk.byteLength;
    report(sent, total);
  }
}
