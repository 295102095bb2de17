/**
 * The Anthropic Messages stream (as served by MiniMax on /anthropic/v1/messages):
 * SSE events → render deltas + the final accumulated message. Pure: no IO, no
 * clocks, no module state; the caller owns the byte stream and the rendering.
 */

import { isPlainObject } from '../json.js';
import type { SseEvent } from './sse.js';

// ---------------------------------------------------------------------------
// Message shapes

export interface TextBlock {
  type: 'text';
  text: string;
  [k: string]: unknown;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  /** Must be sent back unchanged with the block in multi-turn tool use. */
  signature?: string;
  [k: string]: unknown;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  /** Parsed JSON input; the raw string when the streamed JSON was invalid or cut. */
  input: unknown;
  [k: string]: unknown;
}

/** Any block type this client does not know (kept as received, for forward compatibility). */
export interface OtherBlock {
  type: string;
  [k: string]: unknown;
}

export type ContentBlock = TextBlock | ThinkingBlock | ToolUseBlock | OtherBlock;

/**
 * Token counts plus whatever else the server puts in `usage` (MiniMax M3 puts a
 * `service_tier` string there), hence not a plain number record.
 */
export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  [k: string]: unknown;
}

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: string | null;
  stop_sequence?: string | null;
  usage: Usage;
  [k: string]: unknown;
}

/** What a renderer needs, in stream order. */
export type StreamDelta =
  | { type: 'text'; index: number; text: string }
  | { type: 'thinking'; index: number; text: string }
  | { type: 'block-start'; index: number; block: string; name?: string }
  | { type: 'block-stop'; index: number; block: string };

/** A decoded stream event: the JSON of a `data:` line, with its `type`. */
export interface StreamEvent {
  type: string;
  [k: string]: unknown;
}

// ---------------------------------------------------------------------------
// Errors

/**
 * `(NNNN)` codes at the end of an API error message, e.g.
 * `"当前服务集群负载较高… (2064) (529)"`.
 *
 * Rule: look only at the run of parenthesised integers at the very end of the
 * message (ASCII or full-width parentheses, whitespace between them allowed),
 * and take the first one, in reading order, that is not HTTP-status-like. A
 * value is HTTP-status-like when it has exactly three digits and lies in
 * 100–599: MiniMax business codes are four or five digits (1004, 2013, 20132),
 * while the 529 path appends the HTTP status after the code. Numbers that are
 * not at the end (`"… 999 (1000)"` → 1000 comes from the trailing group only)
 * are ignored.
 */
export function parseApiCode(message: string): number | undefined {
  return trailingCodes(message).apiCode;
}

const TRAILING_GROUP = /[(（]\s*(\d{1,9})\s*[)）]\s*$/;

function trailingCodes(message: string): { apiCode?: number; httpStatus?: number } {
  const groups: string[] = [];
  let rest = message;
  // Bounded: each step removes one group from the end; messages are short.
  for (let m = TRAILING_GROUP.exec(rest); m !== null; m = TRAILING_GROUP.exec(rest)) {
    groups.unshift(m[1] as string);
    rest = rest.slice(0, m.index);
  }
  const result: { apiCode?: number; httpStatus?: number } = {};
  for (const g of groups) {
    const n = Number(g);
    if (g.length === 3 && n >= 100 && n <= 599) {
      if (result.httpStatus === undefined) result.httpStatus = n;
    } else if (result.apiCode === undefined) {
      result.apiCode = n;
    }
  }
  return result;
}

/** An `error` event inside the stream (e.g. `overloaded_error`); the answer so far is in `partial`. */
export class StreamError extends Error {
  /** Anthropic-style `error.type`, e.g. `overloaded_error`. */
  readonly errorType: string;
  /** The server's message, unchanged (including any `(NNNN)` suffix). */
  readonly apiMessage: string;
  /** MiniMax code from the message suffix, see {@link parseApiCode}. */
  readonly apiCode: number | undefined;
  /** HTTP-status-like trailing number (`… (2064) (529)` → 529), if the message had one. */
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly partial: AnthropicMessage;

  constructor(info: { errorType: string; apiMessage: string; requestId?: string | undefined }, partial: AnthropicMessage) {
    super(`stream error (${info.errorType}): ${info.apiMessage}`);
    this.name = 'StreamError';
    this.errorType = info.errorType;
    this.apiMessage = info.apiMessage;
    const codes = trailingCodes(info.apiMessage);
    this.apiCode = codes.apiCode;
    this.httpStatus = codes.httpStatus;
    this.requestId = info.requestId;
    this.partial = partial;
  }
}

/** The input ended before `message_stop` (dropped connection, proxy timeout…). */
export class StreamCutError extends Error {
  readonly partial: AnthropicMessage;
  /** Characters (UTF-16 code units, i.e. JS string length) of answer text received. */
  readonly textChars: number;

  constructor(partial: AnthropicMessage, textChars: number, started: boolean) {
    super(
      started
        ? `stream ended before message_stop after ${textChars} characters of text`
        : 'stream ended before any message event was received',
    );
    this.name = 'StreamCutError';
    this.partial = partial;
    this.textChars = textChars;
  }
}

/** The answer grew past the accumulator's limit (a stream that never ends); what arrived is in `acc.message`. */
export class MessageTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the answer passed ${limit} characters`);
    this.name = 'MessageTooLargeError';
  }
}

/** A known event whose data is not the JSON we expect; the stream cannot be trusted past it. */
export class StreamProtocolError extends Error {
  readonly event: string;

  constructor(event: string, detail: string) {
    super(`malformed "${event}" stream event: ${detail}`);
    this.name = 'StreamProtocolError';
    this.event = event;
  }
}

// ---------------------------------------------------------------------------
// SSE event → StreamEvent

const KNOWN_EVENTS = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'error',
]);

/** Longest excerpt of bad data quoted in an error message (answers can be megabytes). */
const EXCERPT = 200;

function excerpt(s: string): string {
  return s.length <= EXCERPT ? JSON.stringify(s) : `${JSON.stringify(s.slice(0, EXCERPT))}…`;
}

/**
 * Turns one SSE event into a stream event, or `undefined` for events to skip:
 * `ping`, unknown event names (forward compatibility), and untyped events that
 * are not JSON (e.g. an OpenAI-style `[DONE]` some proxies add).
 *
 * The SSE `event:` name decides the type. Events without one (`'message'`) are
 * typed by their JSON `type`, for proxies that drop `event:` lines.
 *
 * Throws {@link StreamProtocolError} when a known event's data is not a JSON
 * object. An `error` event with non-JSON data becomes a {@link StreamError}
 * instead, by the accumulator, since the server was reporting a failure either way.
 */
export function parseStreamEvent(sse: SseEvent): StreamEvent | undefined {
  const name = sse.event;
  if (name === 'message') {
    const parsed = tryJson(sse.data);
    if (!isPlainObject(parsed) || typeof parsed.type !== 'string') return undefined;
    return KNOWN_EVENTS.has(parsed.type) ? (parsed as StreamEvent) : undefined;
  }
  if (!KNOWN_EVENTS.has(name)) return undefined;
  const parsed = tryJson(sse.data);
  if (!isPlainObject(parsed)) {
    if (name === 'error') return { type: 'error', error: { type: 'unknown_error', message: sse.data } };
    throw new StreamProtocolError(name, `data is not a JSON object: ${excerpt(sse.data)}`);
  }
  // The event name is authoritative; a missing or different `type` in the data is tolerated.
  if (parsed.type !== name) return { ...parsed, type: name };
  return parsed as StreamEvent;
}

const NOT_JSON = Symbol('not json');

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return NOT_JSON;
  }
}

// ---------------------------------------------------------------------------
// Accumulator

/** Per-block state. Streamed strings are kept as parts and joined lazily: answers can be megabytes. */
interface BlockState {
  block: Record<string, unknown> & { type: string };
  /** Which field the text parts belong to (`text` / `thinking`), if any. */
  field: 'text' | 'thinking' | undefined;
  parts: string[];
  /** Code units in `parts` (with a tail limit, what is kept of the block's text). */
  kept: number;
  signatureParts: string[];
  /** `input_json_delta` fragments; `undefined` when none arrived. */
  jsonParts: string[] | undefined;
}

const NO_DELTAS: readonly StreamDelta[] = Object.freeze([]);

export interface AccumulatorOptions {
  /**
   * Keep only the last this many code units of each text and thinking block (the text was
   * already shown as it arrived): memory stays constant however long the answer. `message`
   * then holds those tails, and `droppedChars` says how much is missing. Default: keep all.
   */
  textTail?: number;
  /**
   * The most characters one answer may stream (text, thinking, signatures and tool input
   * together, whether held or already shown and dropped); more throws MessageTooLargeError, so
   * a server that never stops is cut in every output mode (default: no limit).
   */
  maxChars?: number;
}

/**
 * Folds stream events into the final message. Feed it with {@link apply} (or let
 * {@link readMessageStream} do it); read {@link message} at any time — before
 * `message_stop` it is the partial answer.
 */
export class MessageAccumulator {
  readonly #tail: number;
  #dropped = 0;
  #base: Record<string, unknown> = {};
  #usage: Usage = {};
  readonly #blocks = new Map<number, BlockState>();
  /** Indices a content_block_start has opened: a second start would silently replace what the block holds. */
  readonly #opened = new Set<number>();
  #started = false;
  #done = false;
  #textChars = 0;
  #thinkingChars = 0;
  /** Characters streamed so far (text, thinking, signatures, tool input), against `#maxChars`. */
  #streamedChars = 0;
  readonly #maxChars: number;

  constructor(options: AccumulatorOptions = {}) {
    this.#tail = options.textTail ?? Number.POSITIVE_INFINITY;
    this.#maxChars = options.maxChars ?? Number.POSITIVE_INFINITY;
  }

  /** Code units of text and thinking not kept (see `textTail`); 0 when everything is. */
  get droppedChars(): number {
    return this.#dropped;
  }

  /** `message_stop` was received. */
  get done(): boolean {
    return this.#done;
  }

  /** Any event other than an ignored one was applied (usually `message_start`). */
  get started(): boolean {
    return this.#started;
  }

  /** Answer text received so far (UTF-16 code units), over all text blocks. */
  get textChars(): number {
    return this.#textChars;
  }

  /** Thinking text received so far (UTF-16 code units). */
  get thinkingChars(): number {
    return this.#thinkingChars;
  }

  /**
   * Applies one event; returns the render deltas it produced (often none).
   * Throws {@link StreamError} for an `error` event and {@link StreamProtocolError}
   * for a known event with an impossible shape. Unknown types are ignored.
   */
  apply(event: StreamEvent): readonly StreamDelta[] {
    switch (event.type) {
      case 'message_start':
        return this.#messageStart(event);
      case 'content_block_start':
        return this.#blockStart(event);
      case 'content_block_delta':
        return this.#blockDelta(event);
      case 'content_block_stop':
        return this.#blockStop(event);
      case 'message_delta':
        this.#started = true;
        this.#messageDelta(event);
        return NO_DELTAS;
      case 'message_stop':
        this.#started = true;
        this.#done = true;
        return NO_DELTAS;
      case 'error':
        throw this.#streamError(event);
      default:
        // ping, and event types newer than this client.
        return NO_DELTAS;
    }
  }

  /**
   * The message so far, as a snapshot: the message, its content array, each block
   * and usage are fresh objects, so later events do not change a snapshot already
   * taken (nested values such as a tool's `input` object are shared, not cloned).
   */
  get message(): AnthropicMessage {
    const indices = [...this.#blocks.keys()].sort((a, b) => a - b);
    const content: ContentBlock[] = indices.map((i) => this.#materialize(this.#blocks.get(i) as BlockState));
    return {
      ...this.#base,
      id: typeof this.#base.id === 'string' ? this.#base.id : '',
      type: 'message',
      role: 'assistant',
      model: typeof this.#base.model === 'string' ? this.#base.model : '',
      content,
      stop_reason: typeof this.#base.stop_reason === 'string' ? this.#base.stop_reason : null,
      usage: { ...this.#usage },
    };
  }

  /** One block as it stands (a snapshot, like `message`'s), without materialising the others. */
  blockAt(index: number): ContentBlock | undefined {
    const state = this.#blocks.get(index);
    return state === undefined ? undefined : this.#materialize(state);
  }

  /** The message without its content: id, model, stop_reason, usage (cheap at any time). */
  get envelope(): Omit<AnthropicMessage, 'content'> {
    return {
      ...this.#base,
      id: typeof this.#base.id === 'string' ? this.#base.id : '',
      type: 'message',
      role: 'assistant',
      model: typeof this.#base.model === 'string' ? this.#base.model : '',
      stop_reason: typeof this.#base.stop_reason === 'string' ? this.#base.stop_reason : null,
      usage: { ...this.#usage },
    };
  }

  #messageStart(event: StreamEvent): readonly StreamDelta[] {
    const msg = event.message;
    if (!isPlainObject(msg)) throw new StreamProtocolError('message_start', 'no "message" object');
    this.#started = true;
    const { content, usage, ...rest } = msg;
    this.#base = rest;
    if (isPlainObject(usage)) this.#mergeUsage(usage);
    // Normally []; a server that pre-fills content gets its blocks kept as received.
    if (Array.isArray(content)) {
      content.forEach((b, i) => {
        if (isPlainObject(b) && typeof b.type === 'string') this.#blocks.set(i, this.#newState({ ...b, type: b.type }));
      });
    }
    return NO_DELTAS;
  }

  #blockStart(event: StreamEvent): readonly StreamDelta[] {
    const index = indexOf(event, 'content_block_start');
    const cb = event.content_block;
    if (!isPlainObject(cb) || typeof cb.type !== 'string') {
      throw new StreamProtocolError('content_block_start', 'no "content_block" with a "type"');
    }
    if (this.#opened.has(index)) throw new StreamProtocolError('content_block_start', `a second start for block ${index}`);
    this.#opened.add(index);
    this.#started = true;
    const state = this.#newState({ ...cb, type: cb.type });
    this.#blocks.set(index, state);
    const start: StreamDelta =
      cb.type === 'tool_use' && typeof cb.name === 'string'
        ? { type: 'block-start', index, block: cb.type, name: cb.name }
        : { type: 'block-start', index, block: cb.type };
    // Anthropic starts blocks empty; if a server pre-fills text, render it too.
    const initial = state.field === undefined ? '' : (state.parts[0] ?? '');
    if (initial.length === 0) return [start];
    this.#count(state.field, initial);
    return [start, { type: state.field === 'text' ? 'text' : 'thinking', index, text: initial }];
  }

  #blockDelta(event: StreamEvent): readonly StreamDelta[] {
    const index = indexOf(event, 'content_block_delta');
    const delta = event.delta;
    if (!isPlainObject(delta) || typeof delta.type !== 'string') {
      throw new StreamProtocolError('content_block_delta', 'no "delta" with a "type"');
    }
    this.#started = true;
    switch (delta.type) {
      case 'text_delta': {
        const text = stringField(delta, 'text', 'content_block_delta');
        const [state, implicit] = this.#stateFor(index, 'text');
        this.#keep(state, text);
        this.#count('text', text);
        return withImplicitStart(implicit, state, index, text.length === 0 ? undefined : { type: 'text', index, text });
      }
      case 'thinking_delta': {
        const text = stringField(delta, 'thinking', 'content_block_delta');
        const [state, implicit] = this.#stateFor(index, 'thinking');
        this.#keep(state, text);
        this.#count('thinking', text);
        return withImplicitStart(implicit, state, index, text.length === 0 ? undefined : { type: 'thinking', index, text });
      }
      case 'signature_delta': {
        const sig = stringField(delta, 'signature', 'content_block_delta');
        const [state, implicit] = this.#stateFor(index, 'thinking');
        this.#hold(sig.length);
        state.signatureParts.push(sig);
        return withImplicitStart(implicit, state, index, undefined);
      }
      case 'input_json_delta': {
        const json = stringField(delta, 'partial_json', 'content_block_delta');
        const [state, implicit] = this.#stateFor(index, 'tool_use');
        this.#hold(json.length);
        (state.jsonParts ??= []).push(json);
        return withImplicitStart(implicit, state, index, undefined);
      }
      default:
        // e.g. citations_delta: nothing to render, and unknown to this client.
        return NO_DELTAS;
    }
  }

  #blockStop(event: StreamEvent): readonly StreamDelta[] {
    const index = indexOf(event, 'content_block_stop');
    this.#started = true;
    const state = this.#blocks.get(index);
    if (state === undefined) return NO_DELTAS;
    return [{ type: 'block-stop', index, block: state.block.type }];
  }

  #messageDelta(event: StreamEvent): void {
    const delta = event.delta;
    if (delta !== undefined && !isPlainObject(delta)) {
      throw new StreamProtocolError('message_delta', '"delta" is not an object');
    }
    // stop_reason, stop_sequence and any newer message-level field.
    if (delta !== undefined) Object.assign(this.#base, delta);
    if (isPlainObject(event.usage)) this.#mergeUsage(event.usage);
  }

  /**
   * Later usage wins field by field: MiniMax sends complete usage in
   * `message_delta` (its `message_start` may say input_tokens: 0), Anthropic only
   * the changed fields. Nulls are skipped so they cannot erase a known count.
   */
  #mergeUsage(usage: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(usage)) {
      if (v !== null && v !== undefined) this.#usage[k] = v;
    }
  }

  #streamError(event: StreamEvent): StreamError {
    this.#started = true;
    const err = isPlainObject(event.error) ? event.error : {};
    const errorType = typeof err.type === 'string' ? err.type : 'unknown_error';
    const apiMessage = typeof err.message === 'string' ? err.message : JSON.stringify(event.error ?? event).slice(0, 500);
    const requestId = typeof event.request_id === 'string' ? event.request_id : undefined;
    return new StreamError({ errorType, apiMessage, requestId }, this.message);
  }

  #newState(block: Record<string, unknown> & { type: string }): BlockState {
    const field = block.type === 'text' ? 'text' : block.type === 'thinking' ? 'thinking' : undefined;
    const parts: string[] = [];
    let kept = 0;
    if (field !== undefined) {
      const initial = block[field];
      if (typeof initial === 'string' && initial.length > 0) {
        parts.push(initial);
        kept = initial.length;
      }
    }
    const signatureParts: string[] = [];
    if (typeof block.signature === 'string' && block.signature.length > 0) signatureParts.push(block.signature);
    return { block, field, parts, kept, signatureParts, jsonParts: undefined };
  }

  /**
   * The block at `index`, created on the fly (with a block-start delta) when a
   * delta arrives without its content_block_start, so a sloppy server loses no text.
   */
  #stateFor(index: number, type: 'text' | 'thinking' | 'tool_use'): [BlockState, boolean] {
    const existing = this.#blocks.get(index);
    if (existing !== undefined) return [existing, false];
    const block: Record<string, unknown> & { type: string } =
      type === 'tool_use' ? { type, id: '', name: '', input: {} } : { type, [type]: '' };
    const state = this.#newState(block);
    this.#blocks.set(index, state);
    return [state, true];
  }

  /** Adds streamed text to a block, dropping its oldest text past the tail limit (amortised: trimmed at twice the limit). */
  #keep(state: BlockState, text: string): void {
    state.parts.push(text);
    state.kept += text.length;
    if (state.kept <= 2 * this.#tail) return;
    const joined = state.parts.join('');
    const tail = joined.slice(joined.length - this.#tail);
    this.#dropped += joined.length - tail.length;
    state.parts.splice(0, state.parts.length, tail);
    state.kept = tail.length;
  }

  #count(field: 'text' | 'thinking' | undefined, text: string): void {
    this.#hold(text.length);
    if (field === 'text') this.#textChars += text.length;
    else if (field === 'thinking') this.#thinkingChars += text.length;
  }

  /**
   * Counts streamed characters; past the limit the answer is refused. Dropped text counts too:
   * with a tail memory stays flat, but an answer that never ends must still end.
   */
  #hold(chars: number): void {
    this.#streamedChars += chars;
    if (this.#streamedChars > this.#maxChars) throw new MessageTooLargeError(this.#maxChars);
  }

  #materialize(state: BlockState): ContentBlock {
    const block: Record<string, unknown> & { type: string } = { ...state.block };
    if (state.field !== undefined) {
      // Collapse to one part so repeated snapshots do not re-join megabytes.
      if (state.parts.length > 1) state.parts.splice(0, state.parts.length, state.parts.join(''));
      block[state.field] = state.parts[0] ?? '';
    }
    if (state.signatureParts.length > 0) {
      if (state.signatureParts.length > 1) state.signatureParts.splice(0, state.signatureParts.length, state.signatureParts.join(''));
      block.signature = state.signatureParts[0];
    }
    if (state.jsonParts !== undefined) {
      const raw = state.jsonParts.join('');
      // MiniMax's first input_json_delta is often "": no JSON at all keeps the start's input ({}).
      if (raw.length > 0) {
        const parsed = tryJson(raw);
        block.input = parsed === NOT_JSON ? raw : parsed;
      }
    }
    return block as ContentBlock;
  }
}

function indexOf(event: StreamEvent, name: string): number {
  const index = event.index;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw new StreamProtocolError(name, `"index" is not a non-negative integer: ${excerpt(String(index))}`);
  }
  return index;
}

function stringField(obj: Record<string, unknown>, key: string, event: string): string {
  const v = obj[key];
  if (typeof v !== 'string') {
    throw new StreamProtocolError(event, `${String(obj.type)} without a string "${key}"`);
  }
  return v;
}

function withImplicitStart(implicit: boolean, state: BlockState, index: number, delta: StreamDelta | undefined): readonly StreamDelta[] {
  if (!implicit) return delta === undefined ? NO_DELTAS : [delta];
  const start: StreamDelta = { type: 'block-start', index, block: state.block.type };
  return delta === undefined ? [start] : [start, delta];
}

// ---------------------------------------------------------------------------
// Driver

/**
 * Reads a Messages stream: yields render deltas as they arrive, returns the final
 * message. Stops at `message_stop` (ending the input iteration, which lets the
 * caller's body stream close) rather than waiting for the connection to end.
 *
 * Throws {@link StreamError} on an `error` event, {@link StreamProtocolError} on
 * malformed data of a known event, and {@link StreamCutError} when the input ends
 * before `message_stop`. All three carry or allow recovering the partial message
 * via `acc.message`.
 */
export async function* readMessageStream(
  events: AsyncIterable<SseEvent> | Iterable<SseEvent>,
  acc: MessageAccumulator = new MessageAccumulator(),
): AsyncGenerator<StreamDelta, AnthropicMessage, undefined> {
  for await (const sse of events) {
    const event = parseStreamEvent(sse);
    if (event === undefined) continue;
    const deltas = acc.apply(event);
    for (const d of deltas) yield d;
    if (acc.done) return acc.message;
  }
  throw new StreamCutError(acc.message, acc.textChars, acc.started);
}
