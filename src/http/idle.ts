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
