/**
 * Request values: what an endpoint call is, as data. Resources
 * (`api/resources/<area>.ts`) build them; `ApiClient` describes one for
 * `--dry-run` and sends the same one, so the two cannot drift. A request names
 * its path (the auth family follows from it), query, body, the response it
 * expects, and its retry policy.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * - `transient`: retried after rate limits, overloads, transient 5xx and a connection that failed
 *   before any response; a GET also after a body cut mid-way. Right for reads and for chat.
 * - `refused-only`: for requests that create paid work (video, music, image, speech, uploads): retried
 *   only when the server provably did not take it: a 429 or code 1002 answer, or a connection refused
 *   or a host not found. Never after a reset, a timeout or a 5xx, which may follow a created task.
 */
export type RetryPolicy = 'transient' | 'refused-only';

export type Expect = 'json' | 'sse' | 'bytes';

/** A body sent as a stream of known length; `open` is called again for each attempt (auth switch, retry). */
export interface StreamBody {
  readonly length: number;
  readonly contentType: string;
  open(): AsyncIterable<Uint8Array>;
  /** What `--dry-run` shows instead of the bytes. */
  describe(): Record<string, unknown>;
}

/** A part of a multipart/form-data body: a text field, or a file read from a path when sent. */
export type MultipartPart =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly path: string; readonly filename?: string; readonly contentType?: string };

export type RequestBody =
  | { readonly json: unknown }
  | { readonly bytes: Uint8Array; readonly contentType: string }
  | { readonly stream: StreamBody }
  | { readonly multipart: readonly MultipartPart[] };

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ApiRequest<T = unknown> {
  readonly method: HttpMethod;
  /** From the base URL: `/v1/token_plan/remains`. */
  readonly path: string;
  readonly query?: Query | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: RequestBody | undefined;
  readonly expect: Expect;
  readonly retry: RetryPolicy;
  /** Turns the JSON payload into the typed result; throws ResponseShapeError when it cannot. */
  readonly parse?: ((payload: unknown) => T) | undefined;
}

/** A parsed answer: the payload as received (what `--output json` prints) and the fields mmx reads from it. */
export interface Parsed<T> {
  payload: unknown;
  value: T;
}

/** A payload that parsed as JSON but is not what the endpoint documents. */
export class ResponseShapeError extends Error {
  override name = 'ResponseShapeError';
}

interface Options<T> {
  query?: Query;
  headers?: Record<string, string>;
  expect?: Expect;
  retry?: RetryPolicy;
  parse?: (payload: unknown) => T;
}

/** A read: transient retries by default. */
export function get<T = unknown>(path: string, options: Options<T> = {}): ApiRequest<T> {
  return { method: 'GET', path, expect: 'json', retry: 'transient', ...options };
}

/** A write. The policy is required: only the resource knows whether the call creates paid work. */
export function post<T = unknown>(path: string, body: RequestBody, options: Options<T> & { retry: RetryPolicy }): ApiRequest<T> {
  return { method: 'POST', path, body, expect: 'json', ...options };
}

export function del<T = unknown>(path: string, options: Options<T> & { retry: RetryPolicy }): ApiRequest<T> {
  return { method: 'DELETE', path, expect: 'json', ...options };
}

/** `path?query`, with undefined values left out and everything percent-encoded. */
export function pathWithQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.append(name, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
