/**
 * Server-Sent Events decoding: bytes → text → events.
 *
 * The line protocol (fields, comments, CR/LF/CRLF, multi-line `data:`) is left to
 * eventsource-parser. This module adds what that parser leaves to its caller:
 *
 * - UTF-8 decoding with a streaming TextDecoder, so a multi-byte character cut
 *   across two network chunks decodes correctly (and a leading BOM is dropped).
 * - A well-defined end of input. eventsource-parser never dispatches at end of
 *   input: `reset({ consume: true })` parses a dangling unterminated line but
 *   then clears the pending event without emitting it, and it also holds back a
 *   final bare `\r` (it cannot tell CR from the first half of CRLF), so a
 *   CR-terminated stream loses its last event even when the blank line is there.
 *   We resolve both here: see {@link SseTextDecoder.end}.
 */

import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` field; `'message'` when the event had none (the SSE default). */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The `id:` field, when the event carried one. */
  id?: string;
}

const LF = 10;
const CR = 13;

/**
 * Incremental decoder for SSE text that has already been decoded to a string.
 * Feed it text in arbitrary slices with {@link push}, then call {@link end} once.
 *
 * Invariant kept here (not in the parser): the parser is only ever fed text up to
 * and including the last line terminator seen so far. The unterminated tail is
 * held back in `tail` until a later chunk terminates it. At end of input the tail
 * is therefore exactly the one line that may have been cut by a dropped
 * connection, and we can discard it (and the event it belongs to) instead of
 * guessing — without the parser having parsed a half line into its state.
 */
/** An SSE event (or a line of one) grew past the decoder's limit before it was complete. */
export class SseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`an SSE event passed ${limit} characters before it ended`);
    this.name = 'SseTooLargeError';
  }
}

export class SseTextDecoder {
  readonly #parser: EventSourceParser;
  /** Most characters held for one event (its lines, complete or not); more throws SseTooLargeError. */
  readonly #maxEventChars: number;
  /** Characters fed since the last event was dispatched (approximately: see push). */
  #pending = 0;
  /** Events dispatched by the parser during the current push/end call. */
  #out: SseEvent[] = [];
  /** Unterminated trailing text, kept as fragments: joining per chunk would be O(n²) for a huge line. */
  readonly #tail: string[] = [];
  /** Last character code fed to the parser (0 before any): tells us whether the parser holds back a `\r`. */
  #lastFed = 0;
  #started = false;
  #ended = false;

  constructor(options: { maxEventChars?: number } = {}) {
    this.#maxEventChars = options.maxEventChars ?? Number.POSITIVE_INFINITY;
    this.#parser = createParser({
      onEvent: (e) => {
        const ev: SseEvent = { event: e.event ?? 'message', data: e.data };
        if (e.id !== undefined) ev.id = e.id;
        this.#out.push(ev);
      },
      // Unknown fields and invalid `retry:` values are to be ignored per the SSE spec.
      onError: () => {},
    });
  }

  /** Decodes one slice of text; returns the events it completed (possibly none). */
  push(text: string): SseEvent[] {
    if (this.#ended) throw new Error('SseTextDecoder: push() after end()');
    if (!this.#started) {
      if (text.length === 0) return [];
      this.#started = true;
      // A BOM may start the stream (spec). TextDecoder already drops it from bytes;
      // this covers text handed in directly.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length === 0) return [];
    const events = this.#feed(text);
    // Bounded memory: an endless line, or an event that never ends, is an error, not a crash.
    // Counted since the last event dispatched; after a push that completed one only the
    // unterminated tail counts (lines of the next event earlier in that chunk are not, at most
    // a chunk's worth).
    this.#pending = events.length > 0 ? this.#tail.reduce((n, fragment) => n + fragment.length, 0) : this.#pending + text.length;
    if (this.#pending > this.#maxEventChars) throw new SseTooLargeError(this.#maxEventChars);
    return events;
  }

  /** Feeds the parser up to the last line terminator in `text` and keeps the rest as the tail. */
  #feed(text: string): SseEvent[] {
    // Scan back to the last line terminator. Chunks usually end in "\n\n", so this
    // is O(1) in the common case and O(tail) otherwise.
    let i = text.length - 1;
    for (; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) break;
    }
    if (i < 0) {
      this.#tail.push(text);
      return [];
    }
    // Hand the held fragments over one by one: each has no terminator, so the parser
    // just appends it to its own fragment list and joins once when `text` ends the line.
    for (const fragment of this.#tail) this.#parser.feed(fragment);
    this.#tail.length = 0;
    if (i === text.length - 1) {
      this.#parser.feed(text);
    } else {
      this.#parser.feed(text.slice(0, i + 1));
      this.#tail.push(text.slice(i + 1));
    }
    this.#lastFed = text.charCodeAt(i);
    return this.#take();
  }

  /**
   * Ends the input and returns the events that only the end completes.
   *
   * - An event whose lines are all terminated but which lacks the final blank
   *   line is complete in content and is delivered.
   * - An unterminated last line may have been cut anywhere (dropped connection),
   *   so it and the event it belongs to are discarded rather than delivered as
   *   if complete. Consumers detect the loss at their level (e.g. a missing
   *   `message_stop`).
   */
  end(): SseEvent[] {
    if (this.#ended) return [];
    this.#ended = true;
    // A held-back final "\r" is a complete terminator now that nothing can follow;
    // "\n" turns it into a CRLF, i.e. still one terminator.
    if (this.#lastFed === CR) this.#parser.feed('\n');
    // No dangling tail: every line the parser has is complete, so a blank line
    // dispatches the pending event, if there is one.
    if (this.#tail.length === 0) this.#parser.feed('\n');
    this.#tail.length = 0;
    // Drops whatever is still pending (the event a cut line belonged to).
    this.#parser.reset();
    return this.#take();
  }

  #take(): SseEvent[] {
    if (this.#out.length === 0) return [];
    const events = this.#out;
    this.#out = [];
    return events;
  }
}

/**
 * Decodes an SSE byte stream (e.g. a fetch response body) into events.
 * Chunks may be cut anywhere, including inside a line, a CRLF pair, or a
 * multi-byte UTF-8 character. See {@link SseTextDecoder.end} for end-of-input rules.
 */
export async function* decodeSse(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { maxEventChars?: number } = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const utf8 = new TextDecoder('utf-8');
  const sse = new SseTextDecoder(options);
  for await (const chunk of chunks) {
    const text = utf8.decode(chunk, { stream: true });
    if (text.length === 0) continue;
    for (const ev of sse.push(text)) yield ev;
  }
  // Flushing emits U+FFFD for a truncated trailing character; it has no line
  // terminator, so it only ever lands in the discarded tail.
  const rest = utf8.decode();
  if (rest.length > 0) for (const ev of sse.push(rest)) yield ev;
  for (const ev of sse.end()) yield ev;
}

/** Decodes a complete SSE text at once (fixtures, recorded bodies). */
export function decodeSseText(text: string): SseEvent[] {
  const sse = new SseTextDecoder();
  const events = sse.push(text);
  const last = sse.end();
  return last.length === 0 ? events : events.concat(last);
}
