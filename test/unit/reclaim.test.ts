/**
 * Downloads collect garbage as they go: the cadence (once per RECLAIM_EVERY
 * bytes, never in between) and V8's gc() switched on at run time (a call shows
 * as a young-generation collection in V8's own GC performance entries).
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RECLAIM_EVERY, everyBytes, exposedGc, reclaimer } from '../../src/api/reclaim.js';

describe('everyBytes', () => {
  it('runs once each time another step has passed, counting from the last run', () => {
    let runs = 0;
    const tick = everyBytes(100, () => runs++);
    for (const bytes of [0, 99, 100, 150, 199, 200, 1000, 1001, 1099, 1100]) tick(bytes);
    expect(runs).toBe(4); // at 100, 200, 1000 and 1100
  });
});

describe('exposedGc', () => {
  it('gives V8 gc(), whose call is a young-generation collection', async () => {
    const gc = await exposedGc();
    expect(typeof gc).toBe('function');
    let minor = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
    });
    observer.observe({ entryTypes: ['gc'] });
    gc?.({ type: 'minor' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    expect(minor).toBeGreaterThanOrEqual(1);
  });

  it('reclaimer() is the cadence of RECLAIM_EVERY (256 KiB) over it', async () => {
    expect(RECLAIM_EVERY).toBe(256 * 1024);
    const reclaim = await reclaimer();
    expect(() => reclaim(RECLAIM_EVERY)).not.toThrow();
  });
});
