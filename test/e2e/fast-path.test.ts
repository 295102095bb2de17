/**
 * bin/mmx answers --version and --help from the build (package.json, dist/help.json)
 * without loading the CLI: the answers must be exactly what run(argv, deps) prints.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listHelpPaths } from '../../src/cli/program.js';
import { runCli } from '../helpers/run-cli.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const require = createRequire(import.meta.url);
const { fastPath } = require('../../bin/fast-path.js') as { fastPath: (argv: string[]) => number | false };
const snapshot = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../dist/help.json'), 'utf8')) as Record<string, string>;

const HELP_PATHS = listHelpPaths();

describe('the help snapshot', () => {
  it('has every command path of the built tree, and nothing else', () => {
    expect(Object.keys(snapshot).sort()).toEqual(HELP_PATHS.map((p) => p.join(' ')).sort());
  });

  for (const path of HELP_PATHS) {
    it(`mmx ${path.join(' ')} --help: snapshot = live run() = the built bin/mmx`, async () => {
      const live = await runCli([...path, '--help']);
      expect(live.code).toBe(0);
      expect(snapshot[path.join(' ')]).toBe(live.stdout);
      const spawned = await spawnMmx([...path, '--help'], { env: isolatedHome() });
      expect(spawned).toEqual({ code: 0, stdout: live.stdout, stderr: '' });
    });
  }

  it('-h and a bare `mmx` answer from the snapshot too', async () => {
    expect((await spawnMmx(['quota', '-h'], { env: isolatedHome() })).stdout).toBe(snapshot.quota);
    expect((await spawnMmx([], { env: isolatedHome() })).stdout).toBe(snapshot['']);
    expect((await runCli([])).stdout).toBe(snapshot['']);
  });

  it('the live help wraps at 80 columns even on a wider terminal', async () => {
    const wide = await runCli(['text', 'chat', '--help'], { stdoutTTY: true });
    expect(wide.stdout).toBe(snapshot['text chat']);
    expect(
      Math.max(
        ...wide.stdout
          .split('\n')
          .filter((l) => !l.startsWith('  $ ') && !l.startsWith('Stdin'))
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(80);
  });
});

describe('fastPath', () => {
  it('leaves everything but a bare --version or a known --help to run()', () => {
    for (const argv of [
      ['quota'],
      ['text', 'chat', '--message', '--help', 'x'],
      ['nope', '--help'],
      ['--version', 'quota'],
      ['text', 'chat', '--message'],
    ]) {
      expect(fastPath(argv)).toBe(false);
    }
  });
  it('a version from package.json', async () => {
    const r = await spawnMmx(['-v'], { env: isolatedHome() });
    expect(r.stdout).toBe(`mmx ${JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')).version}\n`);
    expect((await runCli(['--version'])).stdout).toBe(r.stdout);
  });
});
