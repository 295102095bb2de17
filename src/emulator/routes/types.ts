/**
 * What a route module of the emulator gets and gives. A module (one per API area:
 * speech, image, video, files …) is a function of the emulator's environment
 * returning routes keyed by "METHOD /path", where a `:name` segment matches any
 * one segment (`GET /v2/query/video_generation/:id`).
 */
import type { EmuResponse } from '../responses.js';
import type { EmulatorOptions, KeyKind, Region } from '../types.js';

export interface RouteContext {
  method: string;
  path: string;
  /** The `:name` segments of the route's key, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  /** JSON when the body parsed as JSON, else its text, undefined when empty. */
  body: unknown;
  /** The body as received (multipart uploads). */
  rawBody: Uint8Array | undefined;
  requestId: string;
  keyKind: KeyKind;
  /** The key the request carried (routes that keep per-account state, such as uploaded files, key by it). */
  key: string;
}

export type Route = (ctx: RouteContext) => EmuResponse | Promise<EmuResponse>;

export interface RouteEnv {
  readonly region: Region;
  readonly options: EmulatorOptions;
  now(): number;
  /** A fresh 32-hex id (deterministic under `options.seed`). */
  nextId(): string;
}

export type RouteModule = (env: RouteEnv) => Readonly<Record<string, Route>>;
