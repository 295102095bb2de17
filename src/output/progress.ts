/**
 * Progress on stderr while mmx waits or transfers: a spinner with the elapsed
 * seconds (task polling), or a bar with bytes, total and rate (downloads,
 * uploads). `progressEnabled` is the one decision of whether to draw at all;
 * when it says no, nothing is drawn, no timer starts, and the drawing code
 * (progress-draw.ts) is never loaded.
 */
import type { Context } from '../cli/context.js';
import { inCi } from '../config/settings.js';

export interface ProgressConditions {
  stderrIsTTY: boolean;
  quiet: boolean;
  json: boolean;
  verbose: boolean;
  /** `CI` set (non-empty). */
  ci: boolean;
}

/**
 * Only on a terminal, and never under --quiet, JSON output or CI (logs keep every
 * frame). Not under --verbose either: its request lines would land in the middle of
 * a line that is redrawn in place.
 */
export function progressEnabled(c: ProgressConditions): boolean {
  return c.stderrIsTTY && !c.quiet && !c.json && !c.verbose && !c.ci;
}

/** What is shown: a wait (spinner, elapsed seconds, status) or a transfer (bar when the total is known, else a spinner with bytes). */
export type ProgressSpec =
  | { readonly kind: 'wait'; readonly label: string }
  | { readonly kind: 'transfer'; readonly label: string; readonly total?: number | undefined };

export interface Progress {
  /** A transfer's bytes so far, and its total once known. Shaped to be an upload-progress callback. */
  bytes(done: number, total?: number): void;
  /** A wait's status text, and when the next check is due (a time on the injected clock). */
  status(text: string, nextAt?: number): void;
  /** Clears the line and stops the timer. Call it in `finally`: on success, errors and Ctrl-C alike. Safe twice. */
  stop(): void;
}

export const NO_PROGRESS: Progress = Object.freeze({ bytes: () => undefined, status: () => undefined, stop: () => undefined });

/** Starts drawing `spec` on stderr when `progressEnabled` says so for this run, else returns NO_PROGRESS. */
export async function startProgress(ctx: Context, spec: ProgressSpec): Promise<Progress> {
  const on = progressEnabled({
    stderrIsTTY: ctx.deps.stderr.isTTY,
    quiet: ctx.settings.quiet,
    json: ctx.json,
    verbose: ctx.settings.verbose,
    ci: inCi(ctx.deps.env),
  });
  if (!on) return NO_PROGRESS;
  const { drawProgress } = await import('./progress-draw.js');
  return drawProgress(ctx.deps.stderr, () => ctx.deps.now(), spec);
}

/**
 * Runs `work` with `spec` drawn on stderr (when this run draws progress) as the context's active
 * progress line, so warnings print above it; the line is cleared however `work` ends.
 */
export async function withProgress<T>(ctx: Context, spec: ProgressSpec, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = await startProgress(ctx, spec);
  ctx.activeProgress = progress;
  try {
    return await work(progress);
  } finally {
    ctx.activeProgress = undefined;
    progress.stop();
  }
}
