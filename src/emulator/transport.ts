import type { TransportPlan } from './faults.js';
import type { EmuResponse, SseEvent } from './responses.js';

const encoder = new TextEncoder();

/** One SSE frame: `event:` and `data:` lines and a blank line, with the chosen line ending. */
export function encodeSseEvent(event: SseEvent, eol: '\n' | '\r\n' = '\n'): string {
  return `event: ${event.event}${eol}data: ${JSON.stringify(event.data)}${eol}${eol}`;
}

function isTextDelta(event: SseEvent): boolean {
  const data = event.data as { delta?: { type?: unknown } } | null;
  return event.event === 'content_block_delta' && data?.delta?.type === 'text_delta';
}

/** Index just past the n-th text_delta; falls back to "after message_start + ping" when there is no text. */
function afterTextDeltas(events: readonly SseEvent[], n: number): number {
  let seen = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event !== undefined && isTextDelta(event) && ++seen >= n) return i + 1;
  }
  return Math.min(2, events.length);
}

/**
 * Byte pieces in wire order. SSE yields one piece per event so slow-stream delays land between events;
 * other bodies are a single piece. Then cuts and re-chunking are applied on raw bytes, which is what splits
 * lines and UTF-8 sequences.
 */
export function bodyPieces(body: EmuResponse['body'], plan: TransportPlan): Uint8Array[] {
  let pieces: Uint8Array[];
  if (body.kind === 'sse') {
    let events = body.events;
    if (plan.streamError !== undefined) {
      const at = afterTextDeltas(events, Math.max(1, plan.streamError.afterTextDeltas));
      events = [
        ...events.slice(0, at),
        { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: plan.streamError.message } } },
      ];
    }
    if (plan.cut !== undefined && plan.cut.afterBytes === undefined) {
      events = events.slice(0, plan.cut.afterEvents ?? afterTextDeltas(events, 1));
    }
    if (plan.stallAfterTextDeltas !== undefined) events = events.slice(0, afterTextDeltas(events, Math.max(1, plan.stallAfterTextDeltas)));
    pieces = events.map((event) => encoder.encode(encodeSseEvent(event, plan.eol)));
  } else if (body.kind === 'text') {
    pieces = body.text === '' ? [] : [encoder.encode(body.text)];
  } else {
    pieces = [];
  }
  if (plan.cut?.afterBytes !== undefined) pieces = truncate(pieces, Math.max(0, plan.cut.afterBytes));
  if (plan.chunkBytes !== undefined) pieces = rechunk(pieces, plan.chunkBytes);
  return pieces;
}

function truncate(pieces: Uint8Array[], limit: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let left = limit;
  for (const piece of pieces) {
    if (left <= 0) break;
    out.push(piece.length <= left ? piece : piece.subarray(0, left));
    left -= piece.length;
  }
  return out;
}

function rechunk(pieces: Uint8Array[], size: number): Uint8Array[] {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    all.set(piece, offset);
    offset += piece.length;
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < total; i += size) out.push(all.slice(i, i + size));
  return out;
}

/**
 * A pull-based stream with highWaterMark 0: nothing is produced until the consumer asks, so the delay
 * between pieces happens in real time on the wire instead of being buffered ahead.
 */
export function pieceStream(
  pieces: readonly Uint8Array[],
  options: { delayMs: number; abort: boolean; stall?: boolean; sleep: (ms: number) => Promise<void> },
): ReadableStream<Uint8Array> {
  let next = 0;
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next >= pieces.length) {
          // A stalled server: no more bytes and no end. The pending pull is dropped when the reader cancels.
          if (options.stall) return new Promise<void>(() => undefined);
          if (options.abort) controller.error(new Error('minimax emulator: connection cut (cut-stream fault)'));
          else controller.close();
          return;
        }
        if (next > 0 && options.delayMs > 0) await options.sleep(options.delayMs);
        if (cancelled) return;
        const piece = pieces[next++];
        if (piece !== undefined) controller.enqueue(piece);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function toFetchResponse(
  response: EmuResponse,
  plan: TransportPlan,
  traceId: string,
  sleep: (ms: number) => Promise<void>,
): Response {
  const headers = new Headers(response.headers);
  headers.set('trace-id', traceId);
  if (NULL_BODY_STATUSES.has(response.status)) return new Response(null, { status: response.status, headers });
  const pieces = bodyPieces(response.body, plan);
  // Plain bodies carry a length like the real API's; a cut body must not, or clients would wait for the rest.
  if (response.body.kind !== 'sse' && plan.cut === undefined) {
    headers.set('content-length', String(pieces.reduce((n, p) => n + p.length, 0)));
  }
  const body = pieceStream(pieces, {
    delayMs: plan.pieceDelayMs,
    abort: plan.cut?.abort === true,
    stall: plan.stallAfterTextDeltas !== undefined,
    sleep,
  });
  return new Response(body, { status: response.status, headers });
}
