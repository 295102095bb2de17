import type { OAuthControl, OAuthOptions } from './oauth.js';

/**
 * Public types of the MiniMax emulator. Kept in one place so the behaviour modules
 * (auth, messages, quota, faults, transport) can share them without import cycles.
 */

import type { Cdn } from './cdn.js';
import type { SpeechEmulatorOptions } from './routes/speech.js';
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

/**
 * How a gateway answers a key carried in a header it does not take: the shapes MiniMax has been seen
 * sending (docs/minimax-api-notes.md, Auth headers → Header-rejection signatures). `<field>` is the header
 * the policy wants, `Authorization` or `X-Api-Key`.
 * - `system-error-1033` (S1): HTTP 500, `api_error`, `system error (1033)`; names no field.
 * - `carry` (S2, and S5 when the field is X-Api-Key): HTTP 401, `authentication_error`,
 *   `login fail: Please carry the API secret key in the '<field>' field of the request header`.
 * - `carry-1004` (S3): HTTP 401, `authorized_error` with `http_code`, the same text and ` (1004)`.
 * - `carry-bearer-scheme` (S4): HTTP 401, `authentication_error`, the same text and
 *   `, using the 'Bearer' authentication scheme.` (only when the field is Authorization).
 * - `base-resp-1004` (S6): HTTP 200, `base_resp` 1004 with the same text.
 */
export type HeaderRejection = 'system-error-1033' | 'carry' | 'carry-1004' | 'carry-bearer-scheme' | 'base-resp-1004';
export const HEADER_REJECTIONS: readonly HeaderRejection[] = [
  'system-error-1033',
  'carry',
  'carry-1004',
  'carry-bearer-scheme',
  'base-resp-1004',
];

/** A header field a rejection message asks for. */
export type HeaderField = 'Authorization' | 'X-Api-Key';

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
    /**
     * A stream that stalls for good: the events up to and including the `afterTextDeltas`-th text_delta
     * (default 1) are sent, then nothing, and the body never ends until the client goes away.
     */
    | { kind: 'stall-stream'; afterTextDeltas?: number }
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
    /**
     * Answers as a gateway rejecting the header, whatever was sent: `signature`'s shape naming `field`. Naming
     * the header the client did send is how MiniMax answers a bad key with the same text (ccmate-release #12).
     */
    | { kind: 'header-rejection'; signature: HeaderRejection; field: HeaderField }
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
  /**
   * `region-default` accepts only what the real service is known to accept (docs/minimax-api-notes.md, Auth
   * headers → Per endpoint family): global `/anthropic` either header (both documented, both reported
   * working), global native `/v1` and `/account` Bearer only; cn is the same either way (its defaults are
   * already Bearer-only). Off: global takes either header everywhere.
   */
  strictAuth?: boolean;
  /** The shape of a header rejection (see `HeaderRejection`); default: S1 for x-api-key on cn /anthropic, S3 on other /anthropic rejections, S6 on native. */
  headerRejection?: HeaderRejection;
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
  /** The largest page `GET /anthropic/v1/models` serves, whatever `limit` asks (default 1000). */
  modelPageLimit?: number;
  /** How the image and video routes behave (task lengths, outcomes, file sizes). */
  media?: MediaOptions;
  /** More route modules (tests of the route machinery). */
  routes?: readonly RouteModule[];
  /** The account host's OAuth endpoints (`/oauth2/…`), served by the same emulator. */
  oauth?: OAuthOptions;
  /** Voices, content-filter triggers and the transcript of the speech routes. */
  speech?: SpeechEmulatorOptions;
}

export interface Emulator {
  readonly region: Region;
  readonly keys: KeyRegistry;
  /** The OAuth side: approve or deny a waiting code, issue tokens, see refreshes. */
  readonly oauth: OAuthControl;
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
