/**
 * The drawing half of progress.ts, loaded only when progress is on: each frame
 * is a pure function of the state, redrawn in place on stderr (`\r`, the line,
 * erase to its end) by an unref'd timer, and erased when the work is done.
 */
import type { OutStream } from '../deps.js';
import type { Progress, ProgressSpec } from './progress.js';

export const REDRAW_MS = 100;
/** Erase to the end of the line. */
const EL = '\u001b[K';
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 20;

/** Decimal units, one decimal below 10: `512 B`, `1.5 kB`, `23 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export interface TransferState {
  label: string;
  done: number;
  total: number | undefined;
  elapsedMs: number;
  tick: number;
}

/** `video.mp4 [█████░░░…] 25%  1.2 MB / 4.8 MB  2.0 MB/s`, or with an unknown total `⠋ video.mp4  1.2 MB  2.0 MB/s`. */
export function transferFrame(s: TransferState): string {
  const rate = s.elapsedMs >= 1000 ? `${formatBytes(s.done / (s.elapsedMs / 1000))}/s` : undefined;
  if (s.total !== undefined && s.total > 0) {
    const ratio = Math.min(1, s.done / s.total);
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${Math.floor(ratio * 100)}%`;
    return [`${s.label} ${bar}`, `${formatBytes(s.done)} / ${formatBytes(s.total)}`, rate].filter(Boolean).join('  ');
  }
  return [`${SPINNER[s.tick % SPINNER.length]} ${s.label}`, formatBytes(s.done), rate].filter(Boolean).join('  ');
}

export interface WaitState {
  label: string;
  status: string | undefined;
  elapsedMs: number;
  /** Until the next check; undefined while a check runs. */
  nextInMs: number | undefined;
  tick: number;
}

/** `⠋ task 123: Processing · 42 s · next check in 8 s`. */
export function waitFrame(s: WaitState): string {
  const head = `${SPINNER[s.tick % SPINNER.length]} ${s.label}${s.status ? `: ${s.status}` : ''}`;
  const next = s.nextInMs === undefined ? undefined : `next check in ${Math.max(0, Math.ceil(s.nextInMs / 1000))} s`;
  return [head, `${Math.floor(s.elapsedMs / 1000)} s`, next].filter(Boolean).join(' · ');
}

/** Cut to the terminal's width (one column spare), so the line never wraps and `\r` returns to its start. */
export function fitLine(line: string, columns: number | undefined): string {
  if (columns === undefined || columns < 2) return line;
  const chars = [...line];
  return chars.length < columns ? line : `${chars.slice(0, columns - 2).join('')}…`;
}

/** Draws `spec` on `stderr` now and every REDRAW_MS until `stop()`, which erases the line. */
export function drawProgress(stderr: OutStream, now: () => number, spec: ProgressSpec): Progress {
  const started = now();
  let tick = 0;
  let done = 0;
  let total = spec.kind === 'transfer' ? spec.total : undefined;
  let status: string | undefined;
  let nextAt: number | undefined;
  let stopped = false;
  const frame = (): string => {
    const elapsedMs = now() - started;
    return spec.kind === 'transfer'
      ? transferFrame({ label: spec.label, done, total, elapsedMs, tick })
      : waitFrame({ label: spec.label, status, elapsedMs, nextInMs: nextAt === undefined ? undefined : nextAt - now(), tick });
  };
  const draw = () => {
    stderr.write(`\r${fitLine(frame(), stderr.columns)}${EL}`);
    tick++;
  };
  draw();
  // unref'd: a progress line never keeps the process alive; stop() clears it in any case.
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  return {
    bytes(n, t) {
      done = n;
      if (t !== undefined) total = t;
    },
    status(text, at) {
      // A new status (a retry, "Thinking") shows at once; the same one again waits for the timer.
      const changed = text !== status;
      status = text;
      nextAt = at;
      if (changed && !stopped) draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stderr.write(`\r${EL}`);
    },
  };
}
