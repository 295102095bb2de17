/**
 * The progress reporter: one decision of whether to draw; when off, no timer and
 * not a byte on stderr; when on, frames redrawn in place with `\r`, an unref'd
 * timer, and a cleared line at the end.
 */
import { describe, expect, it, vi } from 'vitest';
import { Context } from '../../src/cli/context.js';
import type { GlobalFlags } from '../../src/config/settings.js';
import { NO_PROGRESS, progressEnabled, startProgress } from '../../src/output/progress.js';
import { fitLine, formatBytes, transferFrame, waitFrame } from '../../src/output/progress-draw.js';
import { memoryDeps } from '../helpers/run-cli.js';

const EL = '\u001b[K';

describe('progressEnabled', () => {
  const on = { stderrIsTTY: true, quiet: false, json: false, verbose: false, ci: false };
  it.each([
    [{}, true],
    [{ stderrIsTTY: false }, false],
    [{ quiet: true }, false],
    [{ json: true }, false],
    [{ verbose: true }, false],
    [{ ci: true }, false],
    [{ stderrIsTTY: false, quiet: true, json: true, verbose: true, ci: true }, false],
  ])('%o → %s', (change, expected) => {
    expect(progressEnabled({ ...on, ...change })).toBe(expected);
  });
});

async function contextWith(flags: GlobalFlags, options: { stderrTTY: boolean; env?: Record<string, string>; now?: () => number }) {
  const made = memoryDeps({ stderrTTY: options.stderrTTY, env: options.env });
  if (options.now) made.deps.now = options.now;
  return { ctx: await Context.create(made.deps, flags), stderr: made.stderr };
}

describe('startProgress when off', () => {
  it.each([
    ['stderr is not a terminal', { output: 'text' }, { stderrTTY: false }],
    ['--quiet', { output: 'text', quiet: true }, { stderrTTY: true }],
    ['--output json', { output: 'json' }, { stderrTTY: true }],
    ['--verbose', { output: 'text', verbose: true }, { stderrTTY: true }],
    ['CI=1', { output: 'text' }, { stderrTTY: true, env: { CI: '1' } }],
    ['CI=github (not a "true" value, still CI)', { output: 'text' }, { stderrTTY: true, env: { CI: 'github' } }],
  ] as const)('%s: no timer, nothing written', async (_name, flags, options) => {
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const { ctx, stderr } = await contextWith(flags, options);
    for (const spec of [
      { kind: 'wait', label: 'task 1' },
      { kind: 'transfer', label: 'a.mp4', total: 10 },
    ] as const) {
      const progress = await startProgress(ctx, spec);
      progress.bytes(5, 10);
      progress.status('Processing', 1000);
      await new Promise((r) => setImmediate(r));
      progress.stop();
      expect(progress).toBe(NO_PROGRESS);
    }
    expect(intervals).not.toHaveBeenCalled();
    expect(timeouts).not.toHaveBeenCalled();
    expect(stderr.text()).toBe('');
  });
});

describe('startProgress on a terminal', () => {
  it('a transfer: frames start with \\r and erase to the end of the line, the bar follows the bytes, stop() clears it and the timer', async () => {
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const clears = vi.spyOn(globalThis, 'clearInterval');
    let now = 1_000_000;
    const { ctx, stderr } = await contextWith({ output: 'text' }, { stderrTTY: true, now: () => now });
    const progress = await startProgress(ctx, { kind: 'transfer', label: 'a.mp4', total: 4_000_000 });
    expect(progress).not.toBe(NO_PROGRESS);
    expect(intervals).toHaveBeenCalledTimes(1);
    const timer = intervals.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    expect(stderr.text()).toBe(`\ra.mp4 [░░░░░░░░░░░░░░░░░░░░] 0%  0 B / 4.0 MB${EL}`);

    now += 2000;
    progress.bytes(1_000_000);
    await new Promise((r) => setTimeout(r, 250));
    const frames = stderr.text().split('\r').slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.at(-1)).toBe(`a.mp4 [█████░░░░░░░░░░░░░░░] 25%  1.0 MB / 4.0 MB  500 kB/s${EL}`);

    progress.stop();
    expect(stderr.text().endsWith(`\r${EL}`)).toBe(true);
    expect(clears).toHaveBeenCalledWith(timer);
    const length = stderr.text().length;
    await new Promise((r) => setTimeout(r, 150));
    progress.stop();
    expect(stderr.text().length).toBe(length);
  });

  it('a wait: spinner, status, elapsed seconds and seconds to the next check', async () => {
    let now = 0;
    const { ctx, stderr } = await contextWith({ output: 'text' }, { stderrTTY: true, now: () => now });
    const progress = await startProgress(ctx, { kind: 'wait', label: 'task 42' });
    now = 12_000;
    progress.status('Processing', 20_000);
    await new Promise((r) => setTimeout(r, 120));
    progress.stop();
    const frames = stderr.text().split('\r').slice(1);
    expect(frames[0]).toBe(`⠋ task 42 · 0 s${EL}`);
    expect(frames.at(-2)).toMatch(new RegExp(`^. task 42: Processing · 12 s · next check in 8 s${EL.replace('[', '\\[')}$`));
    expect(frames.at(-1)).toBe(EL);
  });
});

describe('frames', () => {
  it('formatBytes: decimal units, one decimal below 10', () => {
    expect([0, 999, 1000, 1500, 23_456, 9_990_000, 12_345_678, 5e9].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 kB',
      '1.5 kB',
      '23 kB',
      '10.0 MB',
      '12 MB',
      '5.0 GB',
    ]);
  });

  it('transferFrame: a bar with the total, a spinner with bytes without it; the rate after a second', () => {
    expect(transferFrame({ label: 'v.mp4', done: 3_000_000, total: 4_000_000, elapsedMs: 1500, tick: 0 })).toBe(
      'v.mp4 [███████████████░░░░░] 75%  3.0 MB / 4.0 MB  2.0 MB/s',
    );
    expect(transferFrame({ label: 'v.mp4', done: 2048, total: undefined, elapsedMs: 500, tick: 1 })).toBe('⠙ v.mp4  2.0 kB');
    expect(transferFrame({ label: 'v.mp4', done: 9, total: 4, elapsedMs: 0, tick: 0 })).toContain('100%');
  });

  it('waitFrame: status and the next check when known', () => {
    expect(waitFrame({ label: 'task 7', status: 'Queueing', elapsedMs: 61_500, nextInMs: 4_200, tick: 2 })).toBe(
      '⠹ task 7: Queueing · 61 s · next check in 5 s',
    );
    expect(waitFrame({ label: 'task 7', status: undefined, elapsedMs: 0, nextInMs: undefined, tick: 0 })).toBe('⠋ task 7 · 0 s');
  });

  it('fitLine: never as wide as the terminal, so the line cannot wrap', () => {
    expect(fitLine('abcdef', 10)).toBe('abcdef');
    expect(fitLine('abcdefghij', 8)).toBe('abcdef…');
    expect(fitLine('abcdef', undefined)).toBe('abcdef');
  });
});
