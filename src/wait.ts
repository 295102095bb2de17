/**
 * Waits that Ctrl-C cuts short. `waitOrAbort` is the one wait every loop uses
 * (retry pauses, task polling): it rejects with InterruptedError the moment the
 * signal aborts, whatever the injected sleep does. `timerSleep` is the real
 * sleep: a timer that is cleared on abort, so a Ctrl-C during a 60 s wait does
 * not keep the process alive until the timer would have fired.
 */
import { InterruptedError } from './errors.js';

/** `Deps.sleep`'s shape: the signal, when given, ends the wait early (it resolves; the caller decides what an abort means). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A real timer of `ms`, cleared as soon as `signal` aborts (then it resolves at once). */
export function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
  });
}

/** `sleep(ms)`, or InterruptedError at once when `signal` aborts before or during it. */
export function waitOrAbort(sleep: Sleep, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new InterruptedError());
  return new Promise((resolve, reject) => {
    // Registered before the sleep starts, so it runs before any abort listener of the sleep's own.
    const onAbort = () => reject(new InterruptedError());
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms, signal).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(new InterruptedError());
        else resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
