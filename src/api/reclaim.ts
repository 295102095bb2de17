/**
 * Keeping a long download's memory flat. Node reads a socket into a fresh 64 KiB
 * buffer per read, and frees those buffers only when V8 collects garbage, which
 * V8 starts for such "external" memory only once about 64 MB of it has piled up:
 * a 100 MB download peaked at ~92 MiB of RSS against ~52 MiB for a 1 MB one, a
 * bare `res.pipe(createWriteStream())` no better. A young-generation collection
 * every RECLAIM_EVERY bytes frees the buffers as they go (a fraction of a
 * millisecond each; measured in docs/performance.md). Scripts cannot ask V8 to
 * collect without `--expose-gc`, which a `#!/usr/bin/env node` shim cannot pass,
 * so the flag is set at run time (as Jest's --detectLeaks does), and only by a
 * download. Where that is not possible, downloads simply run without it.
 *
 * That left ~9 MiB (1.18x a 1 MB download): the optimizing compiler, once the
 * download loop ran hot, compiling it and touching more of the node binary. A
 * download also switches it off (`--no-opt`, for the functions not yet optimized):
 * the loop is I/O, and measured no slower without it (docs/performance.md).
 */

export const RECLAIM_EVERY = 256 * 1024;

type Collect = (options: { type: 'minor' }) => void;

/** V8's gc(), switched on at run time; undefined where that is not possible. */
export async function exposedGc(): Promise<Collect | undefined> {
  try {
    (await import('node:v8')).setFlagsFromString('--expose-gc');
    // The flag exposes gc() in contexts made from now on, not in the running one.
    const gc: unknown = (await import('node:vm')).runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Collect) : undefined;
  } catch {
    return undefined;
  }
}

/** `(bytesSoFar) => void` that runs `action` each time another `step` bytes have passed (pure cadence). */
export function everyBytes(step: number, action: () => void): (bytes: number) => void {
  let next = step;
  return (bytes) => {
    if (bytes < next) return;
    next = bytes + step;
    action();
  };
}

/** What download() calls after each chunk: a young-generation collection every RECLAIM_EVERY bytes. */
export async function reclaimer(): Promise<(bytes: number) => void> {
  const gc = await exposedGc();
  try {
    (await import('node:v8')).setFlagsFromString('--no-opt');
  } catch {
    // Only memory is at stake.
  }
  return gc === undefined ? () => undefined : everyBytes(RECLAIM_EVERY, () => gc({ type: 'minor' }));
}
