/**
 * Reading a response body with each wait for the next chunk bounded by
 * --idle-timeout and cut short by Ctrl-C, for every body read piece by piece (an
 * answer streamed by the API, a file from a CDN). Ending early, for whatever
 * reason, destroys the body, which closes its connection.
 */
import { CliError, InterruptedError } from '../errors.js';

export interface IdleBound {
  idleMs: number;
  /** Ctrl-C: InterruptedError at once. */
  signal: AbortSignal;
  /** The error when nothing arrived for `idleMs`. */
  idle: () => CliError;
  /** The error for a body that failed (a reset, a cut): what the user is told, in the caller's words. */
  failed: (error: unknown) => CliError;
}

export async function* idleBounded(body: AsyncIterable<Uint8Array>, bound: IdleBound): AsyncGenerator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(bound.idle()), bound.idleMs);
        onAbort = () => reject(new InterruptedError());
        if (bound.signal.aborted) onAbort();
        else bound.signal.addEventListener('abort', onAbort, { once: true });
      });
      let next: IteratorResult<Uint8Array>;
      try {
        next = await Promise.race([iterator.next(), stop]);
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw bound.failed(error);
      } finally {
        // Cleared before the chunk is handed on: a slow consumer (a full pipe) is not an idle server.
        clearTimeout(timer);
        if (onAbort) bound.signal.removeEventListener('abort', onAbort);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // A Node stream's iterator is an async generator: its return() waits for the pending read,
    // which a stalled server never ends. Destroying the stream (both transports hand one over)
    // ends that read and closes the connection, so an idle timeout or Ctrl-C ends at once.
    if (!finished) (body as { destroy?: () => void }).destroy?.();
    await iterator.return?.();
  }
}

/** What a chunk's reader says: go on, wait for this first (its output is full), or stop reading. */
export type ChunkVerdict = Promise<void> | undefined | 'stop';

/** A Node readable (an http response, a socket): read by events, without an async hop per chunk. */
interface NodeReadable {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
  readonly readableEnded?: boolean;
}

function isNodeReadable(body: unknown): body is NodeReadable {
  const b = body as Partial<NodeReadable>;
  return typeof b?.on === 'function' && typeof b.pause === 'function' && typeof b.resume === 'function' && typeof b.destroy === 'function';
}

/**
 * Hands each chunk of `body` to `onChunk` as it arrives, with the bounds of
 * `idleBounded`. `onChunk` runs synchronously in the data event; when it returns
 * a promise (its reader is full), the body is paused until it settles, so the
 * server's bytes wait in the socket (TCP backpressure) and not in memory, and
 * the idle timer stops meanwhile (a slow reader is not an idle server). Resolves
 * at the end of the body; rejects as `idleBounded` does, or with what `onChunk`
 * threw. Ending early destroys the body.
 *
 * Event-driven rather than `for await`: a Node stream's async iterator and a
 * bounding generator around it cost two promise hops and a timer per chunk.
 */
export function consumeBounded(
  body: AsyncIterable<Uint8Array>,
  bound: IdleBound,
  onChunk: (chunk: Uint8Array) => ChunkVerdict,
): Promise<void> {
  if (!isNodeReadable(body)) return consumeIterating(body, bound, onChunk);
  const stream = body;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => finish(bound.idle()), bound.idleMs);
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      bound.signal.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve();
        return;
      }
      stream.destroy();
      reject(error);
    };
    const onData = (chunk: Uint8Array) => {
      if (settled) return;
      let wait: ChunkVerdict;
      try {
        wait = onChunk(chunk);
      } catch (error) {
        finish(error);
        return;
      }
      if (wait === 'stop') {
        // The reader has all it needs (the answer's last event): the rest of the body is not read.
        finish();
        stream.destroy();
        return;
      }
      if (wait === undefined) {
        timer.refresh();
        return;
      }
      clearTimeout(timer);
      stream.pause();
      wait.then(
        () => {
          if (settled) return;
          timer.refresh();
          stream.resume();
        },
        (error: unknown) => finish(error),
      );
    };
    const onEnd = () => finish();
    const onError = (error: unknown) => finish(error instanceof CliError ? error : bound.failed(error));
    // A body closed without its end (the connection dropped) is a failure, unless it ended.
    const onClose = () => {
      if (!stream.readableEnded) finish(bound.failed(new Error('the connection closed')));
    };
    const onAbort = () => finish(new InterruptedError());
    if (bound.signal.aborted) {
      finish(new InterruptedError());
      return;
    }
    bound.signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** The same for a body that is only an async iterable (a test's stub). */
async function consumeIterating(
  body: AsyncIterable<Uint8Array>,
  bound: IdleBound,
  onChunk: (chunk: Uint8Array) => ChunkVerdict,
): Promise<void> {
  for await (const chunk of idleBounded(body, bound)) {
    const verdict = onChunk(chunk);
    if (verdict === 'stop') return;
    await verdict;
  }
}
