/**
 * Public types of the MiniMax emulator. Kept in one place so the behaviour modules
 * (auth, messages, quota, faults, transport) can share them without import cycles.
 */

import type { Cdn } from './cdn.js';
import type { RouteModule } from './routes/types.js';

export type Region = 'global' | 'cn';

/** Endpoint families, chosen by path prefix: `/anthropic/`, `/v1/`, `/account/`. */
export type AuthFamily = 'anthropic' | 'v1' | 'account';

/**
 * How a family treats the two credential headers.
 * - `region-default`: cn → Bearer required (x-api-key alone on /anthropic gives the 500 "system error (1033)"
 *   seen in MiniMax-AI/cli#59; on /v1 and /account HTTP 200 base_resp 1004); global → either header.
 * - `either`: Bearer or x-api-key (Bearer wins when both are sent).
 * - `bearer-only` / `x-api-key-only`: the named header is required (401 / base_resp 1004 otherwise).
 */
export type AuthPolicy = 'region-default' | 'either' | 'bearer-only' | 'x-api-key-only';

/** Which credential headers a request carried (a non-Bearer `Authorization` value counts as none). */
export type AuthStyle = 'bearer' | 'x-api-key' | 'both' | 'none';

/** `sk-api-…` keys are pay-as-you-go; every other key is treated as a Token Plan key. */
export type KeyKind = 'payg' | 'token-plan';

export type KeyRegistry = Readonly<Record<string, { readonly region: Region }>>;

/** Quota payload generation served by `/v1/token_plan/remains` (see docs/minimax-api-notes.md, Quota). */
export type QuotaEra = 'count' | 'percent';

export interface RecordedRequest {
  method: string;
  /** URL pathname, e.g. `/anthropic/v1/messages`. */
  path: string;
  query: Record<string, string>;
  /** Header names lower-cased (as `Headers` iteration yields them). */
  headers: Record<string, string>;
  authStyle: AuthStyle;
  /** The key that was presented: the Bearer token if any, else the x-api-key value. */
  key?: string;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
}

/** The request handed to a `reply` function: the parsed Messages body plus convenience fields. */
export interface ReplyRequest {
  model: string;
  messages: unknown[];
  system?: unknown;
  max_tokens?: number;
  /** Text of the last `user` message (string content, or its text blocks joined). */
  lastUserText: string;
  [field: string]: unknown;
}

export interface Reply {
  /** Omit or leave empty for a text-only answer (no thinking block, text at index 0). */
  thinking?: string;
  text: string;
}

export type ReplyFn = (request: ReplyRequest) => Reply | Promise<Reply>;

/** Count-era figures are for the text bucket and use "used" semantics (as MiniMax's own CLI reads Generation B). */
export interface QuotaFigures {
  intervalTotal: number;
  intervalUsed: number;
  weeklyTotal: number;
  weeklyUsed: number;
  intervalRemainingPercent: number;
  weeklyRemainingPercent: number;
  intervalBoostPermille: number;
  weeklyBoostPermille: number;
}

/** Amounts are decimal strings, as the real endpoint returns them. */
export interface BalanceFigures {
  available_amount: string;
  cash_balance: string;
  voucher_balance: string;
  credit_balance: string;
  owed_amount: string;
  balance_alert_switch: boolean;
  balance_alert_threshold: string;
}

/** Restricts a fault to one path: an exact pathname, or a prefix when it ends with `*`. */
interface FaultScope {
  path?: string;
}

export type Fault = FaultScope &
  (
    | { kind: 'rate-limit'; message?: string }
    | { kind: 'overloaded'; message?: string }
    | { kind: 'server-error'; code: 1000 | 1008 | 1033 }
    /**
     * The body ends early. `afterEvents` counts SSE events; `afterBytes` counts body bytes (works for JSON
     * bodies too). With neither, an SSE stream is cut right after its first text_delta. `abort: true` makes
     * the stream error instead of ending cleanly (over a socket: the connection is destroyed).
     */
    | { kind: 'cut-stream'; afterEvents?: number; afterBytes?: number; abort?: boolean }
    | { kind: 'slow-first-byte'; ms: number }
    | { kind: 'slow-stream'; ms: number }
    | { kind: 'non-json'; status?: number }
    /** An `event: error` frame after `afterTextDeltas` text deltas (default 1); the stream then ends. */
    | { kind: 'stream-error'; afterTextDeltas?: number; message?: string }
    /**
     * The body is written in pieces of exactly `bytes` bytes (the last may be shorter), splitting lines and
     * UTF-8 sequences. Over a real socket the client may coalesce back-to-back pieces; add `slow-stream` to
     * keep them apart.
     */
    | { kind: 'chunking'; bytes: number }
    | { kind: 'crlf' }
    | { kind: 'status'; status: number; body?: unknown; contentType?: string; headers?: Record<string, string> }
  );

export type FaultKind = Fault['kind'];

/** The image and video routes' knobs; each default is what a healthy API does. */
export interface MediaOptions {
  /** Status checks a video task answers as not done (Queueing, then Processing) before it is done; default 2. */
  videoPolls?: number;
  /** How video tasks end: done (default), or failed (v1 status `Fail`; v2 status `failed` with an error). */
  videoOutcome?: 'success' | 'fail';
  /**
   * The content filter: `input` refuses the prompt when the task or images are created (1026);
   * `output` withholds the result (a video task ends with 1027, every image is withheld).
   */
  contentFilter?: 'input' | 'output';
  /** Size of each generated video; default 256 KiB. */
  videoBytes?: number;
  /** Size of each generated image; default 32 KiB. */
  imageBytes?: number;
  /** How long download links stay valid; default one day. */
  linkTtlMs?: number;
}

export interface EmulatorOptions {
  /** Region this emulator pretends to be (default `cn`). Keys registered to the other region get 2049. */
  region?: Region;
  /** Replaces the default registry (`EMULATOR_KEY_REGISTRY`); spread it in to keep the demo keys. */
  keys?: KeyRegistry;
  /** Default `percent` (Generation C). */
  quotaEra?: QuotaEra;
  authPolicy?: Partial<Record<AuthFamily, AuthPolicy>>;
  reply?: ReplyFn;
  /** Characters (code points) per text_delta / thinking_delta; default 16. */
  textDeltaSize?: number;
  /** Clock for quota windows and "resets at" times; default `Date.now`. */
  now?: () => number;
  /** Used for every delay (slow faults); default a setTimeout promise. */
  sleep?: (ms: number) => Promise<void>;
  /** When set, request ids / message ids are derived from it deterministically instead of randomly. */
  seed?: string;
  quota?: Partial<QuotaFigures>;
  balance?: Partial<BalanceFigures>;
  /** Where media routes put generated files, and the origin their download links point at. */
  cdn?: { readonly store: Cdn; readonly origin: string };
  /** How the image and video routes behave (task lengths, outcomes, file sizes). */
  media?: MediaOptions;
  /** More route modules (tests of the route machinery). */
  routes?: readonly RouteModule[];
}

export interface Emulator {
  readonly region: Region;
  readonly keys: KeyRegistry;
  readonly requests: RecordedRequest[];
  handle(request: Request): Promise<Response>;
  /** Clears recorded requests and all faults (persistent and queued). */
  reset(): void;
  /** Persistent until `clearFaults()`; replaces an earlier fault of the same kind and path. */
  setFault(fault: Fault): void;
  /**
   * One-shot: consumed by the next request whose path matches. An array is one entry whose faults are
   * applied together (e.g. `[{kind:'chunking',bytes:7},{kind:'crlf'}]`); separate calls queue separate requests.
   */
  enqueueFault(fault: Fault | readonly Fault[]): void;
  clearFaults(): void;
}
