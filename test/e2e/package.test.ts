/**
 * The published package, as a user gets it: `npm pack`, then a global install
 * from the tarball into a temporary prefix, offline, with this clone's
 * node_modules out of reach. dist/ is self-contained (no runtime dependencies,
 * no build script on install), and the installed `mmx` answers --version, --help
 * and a chat against the emulator. The machine's own global install is never
 * touched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: ROOT, encoding: 'utf8' })) as {
  name: string;
  version: string;
};
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

let work: string;
let prefix: string;
let tarball: string;
let emulator: Emulator;
let server: EmulatorServer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mmx-pack-'));
  // dist/ is already built (npm test builds first): pack it as it is, without running prepack again.
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', work, '--json'], ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
  prefix = join(work, 'global');
  const installed = npm(['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], work);
  expect(installed.status, installed.stderr).toBe(0);
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator);
}, 120_000);

afterAll(async () => server?.close());

describe('the package', () => {
  it('holds bin/ and dist/ only: no sources, no source maps, no emulator, and no runtime dependencies', () => {
    const listed = npm(['pack', '--ignore-scripts', '--dry-run', '--json'], ROOT);
    const files = (JSON.parse(listed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('dist/mmx.cjs');
    expect(files).toContain('dist/mmx.cjs.cache');
    expect(files).toContain('bin/mmx');
    for (const path of files)
      expect(path).toMatch(
        /^(bin\/|dist\/(mmx\.cjs|mmx\.cjs\.cache|help\.json|completion\.json|lazy\/)|package\.json$|README\.md$|LICENSE)/,
      );
    const installedPkg = join(prefix, 'lib', 'node_modules', pkg.name);
    expect(readdirSync(installedPkg)).not.toContain('node_modules');
  });

  it('installs the `mmx` command, which answers --version and --help', () => {
    const mmx = join(prefix, 'bin', 'mmx');
    expect(statSync(mmx).isFile() || statSync(mmx).isSymbolicLink()).toBe(true);
    const version = spawnSync(mmx, ['--version'], { encoding: 'utf8', cwd: work, env: { PATH: process.env.PATH ?? '' } });
    expect(version.stdout).toBe(`mmx ${pkg.version}\n`);
    const help = spawnSync(mmx, ['text', 'chat', '--help'], { encoding: 'utf8', cwd: work, env: { PATH: process.env.PATH ?? '' } });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mmx text chat /);
  });

  it('the installed mmx update knows it is a global npm install, and says how to update it', () => {
    const r = spawnSync(join(prefix, 'bin', 'mmx'), ['update', '--output', 'json'], {
      encoding: 'utf8',
      cwd: work,
      env: { PATH: process.env.PATH ?? '', ...isolatedHome() },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      install: 'npm-global',
      dir: realpathSync(join(prefix, 'lib', 'node_modules', pkg.name)),
      commands: [`npm install -g ${pkg.name}@latest`],
    });
  });

  it('the installed mmx chats with the emulator (Bearer on cn), its bundle and lazy parts loaded from the prefix', async () => {
    const bin = join(prefix, 'bin', 'mmx');
    const env = {
      ...isolatedHome(),
      MINIMAX_API_KEY: EMULATOR_KEYS.cn,
      MINIMAX_REGION: 'cn',
      MINIMAX_BASE_URL: server.url,
      FORCE_COLOR: '1',
    };
    const chat = await spawnMmx(['text', 'chat', '--message', 'hi', '--output', 'json', '--stream'], { env, bin });
    expect(chat.code).toBe(0);
    expect(JSON.parse(chat.stdout).content).toContain('MiniMax emulator');
    const login = await spawnMmx(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--output', 'json'], { env, bin }); // conf, from dist/lazy
    expect(login.code).toBe(0);
    const status = await spawnMmx(['auth', 'status', '--output', 'text'], { env, bin }); // chalk, from dist/lazy
    expect(status.stdout).toContain('\u001b[');
    expect(emulator.requests.map((q) => q.authStyle)).toEqual(['bearer', 'bearer', 'bearer']);
  });
});

describe('a clone without dist/ (npm ci runs no build script any more)', () => {
  it('./bin/mmx builds dist/ on its first run, then runs the command', async () => {
    const { cpSync, symlinkSync } = await import('node:fs');
    const clone = mkdtempSync(join(tmpdir(), 'mmx-clone-'));
    for (const entry of ['bin', 'scripts', 'src', 'package.json', 'tsconfig.json'])
      cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const r = await spawnMmx(['config', 'path'], { env: isolatedHome(), bin: join(clone, 'bin', 'mmx'), timeoutMs: 120_000 });
    expect(r.stderr).toContain('mmx: building dist/ (the first run in a clone)');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/config\.json\n$/);
    expect(statSync(join(clone, 'dist', 'mmx.cjs')).size).toBeGreaterThan(0);
    // The second run finds it built.
    const again = await spawnMmx(['config', 'path'], { env: isolatedHome(), bin: join(clone, 'bin', 'mmx') });
    expect(again.stderr).toBe('');
  }, 120_000);
});
