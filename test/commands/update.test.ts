/**
 * `mmx update`: advice by where mmx runs from, and never the network. The
 * global npm install itself: test/e2e/package.test.ts; a clone: below, with the
 * built bin/mmx.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adviceFor, installOf, renderAdvice, shellWord } from '../../src/commands/update.js';
import type { Transport } from '../../src/http/transport.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../helpers/run-cli.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

/** A transport that fails the test if anything is sent. */
const noNetwork: Transport = async (request) => {
  throw new Error(`mmx update used the network: ${request.method} ${request.url}`);
};

describe('mmx update', () => {
  it('where mmx cannot tell: says so, and gives the npm command; nothing sent, no key needed', async () => {
    const r = await runCli(['update', '--output', 'text'], { transport: noNetwork, env: { CI: '' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `mmx ${VERSION} (mmx-plus).\nmmx cannot tell how it was installed.\n\nIf it came from npm, update it with:\n  npm install -g mmx-plus@latest\n`,
    );
  });

  it('--output json: the version, the install kind and the commands; --quiet (text): the commands alone', async () => {
    const json = await runCli(['update', '--output', 'json'], { transport: noNetwork });
    expect(json.json()).toEqual({
      version: VERSION,
      package: 'mmx-plus',
      install: 'unknown',
      dir: null,
      about: 'mmx cannot tell how it was installed.',
      commands: ['npm install -g mmx-plus@latest'],
    });
    const quiet = await runCli(['update', '--output', 'text', '--quiet'], { transport: noNetwork });
    expect(quiet.stdout).toBe('npm install -g mmx-plus@latest\n');
  });

  it('in CI too: no network, the same advice', async () => {
    const r = await runCli(['update', '--output', 'json'], { transport: noNetwork, env: { CI: 'true' } });
    expect(r.code).toBe(0);
    expect(r.json().commands).toEqual(['npm install -g mmx-plus@latest']);
  });

  it('the built bin/mmx in this clone: a clone, with the git command and the npm one', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const r = await spawnMmx(['update', '--output', 'json'], { env: isolatedHome() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      install: 'clone',
      dir: root,
      commands: [`cd ${shellWord(root)} && git pull && npm ci && npm run build`, 'npm install -g mmx-plus@latest'],
    });
  });
});

describe('installOf', () => {
  it.each([
    ['npm -g on Linux/macOS', '/usr/local/lib/node_modules/mmx-plus', false, { kind: 'npm-global' }],
    ['npm -g under nvm', '/home/u/.nvm/versions/node/v20.20.0/lib/node_modules/mmx-plus', false, { kind: 'npm-global' }],
    ['npm -g on Windows', 'C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\mmx-plus', false, { kind: 'npm-global' }],
    ['a project dependency', '/work/app/node_modules/mmx-plus', false, { kind: 'npm-local', project: '/work/app' }],
    ['npx', '/home/u/.npm/_npx/0a1b2c/node_modules/mmx-plus', false, { kind: 'npx' }],
    ['pnpm', '/home/u/.local/share/pnpm/global/5/.pnpm/mmx-plus@0.1.0/node_modules/mmx-plus', false, { kind: 'unknown' }],
    ['a clone', '/home/u/src/mmx', true, { kind: 'clone' }],
    ['a copied directory', '/opt/mmx', false, { kind: 'unknown' }],
    ['a clone inside node_modules is still a package', '/x/node_modules/mmx-plus', true, { kind: 'npm-local' }],
  ] as const)('%s', (_, dir, isClone, expected) => {
    expect(installOf(dir, isClone)).toMatchObject({ ...expected, dir });
  });

  it('no directory at all: unknown', () => {
    expect(installOf(undefined, false)).toEqual({ kind: 'unknown' });
  });
});

describe('the advice', () => {
  it('a global install: one command', () => {
    const advice = adviceFor({ kind: 'npm-global', dir: '/usr/lib/node_modules/mmx-plus' });
    expect(renderAdvice(advice, '1.2.3')).toBe(
      'mmx 1.2.3 (mmx-plus).\nmmx is installed globally with npm (/usr/lib/node_modules/mmx-plus).\n\nUpdate it with:\n  npm install -g mmx-plus@latest\n',
    );
  });

  it('a project dependency, npx and a clone: their own command first, the global one after', () => {
    expect(adviceFor({ kind: 'npm-local', dir: '/p/node_modules/mmx-plus', project: '/p' }).steps.map((s) => s.command)).toEqual([
      'npm install mmx-plus@latest',
      'npm install -g mmx-plus@latest',
    ]);
    expect(adviceFor({ kind: 'npx' }).steps.map((s) => s.command)).toEqual(['npx mmx-plus@latest', 'npm install -g mmx-plus@latest']);
    expect(adviceFor({ kind: 'clone', dir: "/home/o'neil/my mmx" }).steps[0]!.command).toBe(
      "cd '/home/o'\\''neil/my mmx' && git pull && npm ci && npm run build",
    );
  });

  it('shellWord quotes only what a shell would split or expand', () => {
    expect(shellWord('/usr/lib/mmx-plus_1.0')).toBe('/usr/lib/mmx-plus_1.0');
    expect(shellWord('/a b/$HOME')).toBe("'/a b/$HOME'");
  });
});
