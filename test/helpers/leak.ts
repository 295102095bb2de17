/**
 * Keys must never reach the user's screen in full: only `sk-…` and the last four
 * characters (`maskKey`). These helpers assert that for a `runCli` result.
 */
import { expect } from 'vitest';
import type { RunResult } from './run-cli.js';

/** The masked form the spec prescribes (`sk-…a1b2`), computed independently of src/. */
export function masked(key: string): string {
  return `sk-…${key.slice(-4)}`;
}

/**
 * Neither the full key nor any 8-character piece of its secret part (after the
 * last "-", without the visible last four) appears on stdout or stderr, so a key
 * printed without its prefix, or cut short, is caught too.
 */
export function expectNoKeyLeak(result: Pick<RunResult, 'stdout' | 'stderr'>, ...keys: string[]): void {
  const output = `${result.stdout}\n${result.stderr}`;
  for (const key of keys) {
    expect(output, 'full key leaked').not.toContain(key);
    const secret = key.slice(key.lastIndexOf('-') + 1, -4);
    for (let i = 0; i + 8 <= secret.length; i++) {
      const piece = secret.slice(i, i + 8);
      if (!output.includes(piece)) continue;
      expect.fail(`a piece of the key (${piece}) leaked into the output`);
    }
  }
}
