/**
 * Waits that Ctrl-C cuts short. `waitOrAbort` is the one wait every loop uses
 * (retry pauses, task polling): it rejects with InterruptedError the moment the
 * signal aborts, whatever the injected sleep does; `orAbort` does the same for
 * any promise (a request, a prompt, a slow reader). `timerSleep` is the real
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

/**
 * `promise`'s outcome, or InterruptedError as soon as `signal` aborts, whichever comes first.
 * An abandoned promise settles unobserved (its failure is not an unhandled rejection).
 */
export function orAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** `sleep(ms)`, or InterruptedError at once when `signal` aborts before or during it. */
export async function waitOrAbort(sleep: Sleep, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new InterruptedError();
  await orAbort(sleep(ms, signal), signal);
  // A sleep that resolved because of the abort (timerSleep does) still means interrupted.
  if (signal.aborted) throw new InterruptedError();
}
