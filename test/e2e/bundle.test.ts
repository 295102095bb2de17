/**
 * The bundle's lazily required pieces, through the built bin/mmx: socks behind
 * a SOCKS5 proxy, chalk for colour, conf for writes (login in bin.test.ts), and
 * the V8 code caches the build writes for this Node (the bundle's, conf's and
 * proper-lockfile's).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { EmulatorServer } from '../../src/emulator/index.js';
import { startRecordingProxy } from '../helpers/recording-proxy.js';
import { startSocksServer } from '../helpers/socks-server.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

let server: EmulatorServer;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let socks: Awaited<ReturnType<typeof startSocksServer>>;
beforeAll(async () => {
  server = await startEmulatorServer(createEmulator({ region: 'cn' }));
  proxy = await startRecordingProxy();
  socks = await startSocksServer();
});
afterAll(async () => {
  await proxy.close();
  await socks.close();
  await server.close();
});

const DIST = resolve(import.meta.dirname, '../../dist');
const BUNDLE = resolve(DIST, 'mmx.cjs');
const LOADER = resolve(import.meta.dirname, '../../bin/load-bundle.js');

describe('the built bundle', () => {
  it('goes through HTTP_PROXY with nothing more to load, and through SOCKS5 (socks, required on demand) without a warning', async () => {
    const quota = ['quota', '--output', 'json', '--region', 'cn', '--base-url', server.url];
    const env = { ...isolatedHome(), MINIMAX_API_KEY: EMULATOR_KEYS.cn };
    const http = await spawnMmx(quota, { env: { ...env, HTTP_PROXY: proxy.url } });
    expect(http.code).toBe(0);
    expect(JSON.parse(http.stdout).base_resp.status_code).toBe(0);
    expect(proxy.entries).toEqual([`GET ${server.url}/v1/token_plan/remains`]);
    const viaSocks = await spawnMmx(quota, { env: { ...env, ALL_PROXY: socks.url } });
    expect(viaSocks.code).toBe(0);
    expect(viaSocks.stderr).toBe('');
    expect(JSON.parse(viaSocks.stdout).base_resp.status_code).toBe(0);
    expect(socks.connects).toHaveLength(1);
  });

  it('colours with FORCE_COLOR (chalk, required on demand) and not with NO_COLOR', async () => {
    const env = { ...isolatedHome(), MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
    const coloured = await spawnMmx(['auth', 'status', '--output', 'text'], { env: { ...env, FORCE_COLOR: '1' } });
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain('\u001b[1mKey\u001b[22m');
    const plain = await spawnMmx(['auth', 'status', '--output', 'text'], { env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('loads with the code cache the build wrote, which this Node accepts', () => {
    const { loadBundle } = createRequire(import.meta.url)('../../bin/load-bundle.js');
    const { exports, script } = loadBundle(resolve(import.meta.dirname, '../../dist/mmx.cjs'));
    expect(script.cachedDataRejected).toBe(false);
    expect(typeof exports.run).toBe('function');
  });

  it('under a V8 flag in NODE_OPTIONS, which rejects the build cache, the first run writes a cache for those flags that the next run loads', () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'mmx-xdg-'));
    const env = { PATH: process.env.PATH ?? '', ...isolatedHome(), XDG_CACHE_HOME: cacheHome, NODE_OPTIONS: '--max-old-space-size=3000' };
    // What loadBundle does in bin/mmx, in a child with those flags: was a cache accepted?
    const probe = () =>
      spawnSync(
        process.execPath,
        [
          '-e',
          `const { script } = require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(BUNDLE)}); process.stdout.write(String(script.cachedDataRejected))`,
        ],
        { env, encoding: 'utf8' },
      );
    const before = probe();
    expect(before.stdout).toBe('true'); // the build's cache does not fit these flags
    // That run wrote the cache of its flags as it exited; the next one loads it.
    const files = readdirSync(join(cacheHome, 'mmx'));
    expect(files).toEqual([expect.stringMatching(/^mmx\.cjs-[0-9a-f]{16}\.cache$/)]);
    expect(statSync(join(cacheHome, 'mmx')).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheHome, 'mmx', files[0] as string)).mode & 0o777).toBe(0o600);
    expect(probe().stdout).toBe('false');
    // Other flags, another cache; none at all, none written.
    spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/mmx'), 'config', 'path'], {
      env: { ...env, NODE_OPTIONS: '--max-old-space-size=3001' },
    });
    expect(readdirSync(join(cacheHome, 'mmx'))).toHaveLength(2);
    spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/mmx'), 'config', 'path'], { env: { ...env, NODE_OPTIONS: '' } });
    expect(readdirSync(join(cacheHome, 'mmx'))).toHaveLength(2);
  });

  it('loads conf and proper-lockfile at the first config write, each with the code cache the build wrote', async () => {
    const { loadBundle } = createRequire(import.meta.url)('../../bin/load-bundle.js');
    const scripts = new Map<string, { cachedDataRejected?: boolean }>();
    const { exports } = loadBundle(BUNDLE, {
      onScript: (file: string, script: { cachedDataRejected?: boolean }) => scripts.set(file, script),
    });
    expect([...scripts.keys()]).toEqual([BUNDLE]);
    const configDir = join(mkdtempSync(join(tmpdir(), 'mmx-lazy-')), '.mmx');
    const quiet = { write: () => undefined, writeAndDrain: async () => undefined, isTTY: false };
    const code = await exports.run(['config', 'set', '--key', 'timeout', '--value', '60'], {
      stdout: quiet,
      stderr: quiet,
      stdin: { isTTY: false, readAll: async () => '', readSecret: async () => '', readLine: async () => '' },
      env: {},
      configDir,
      transport: exports.nodeTransport(),
      now: () => Date.now(),
      sleep: async () => undefined,
      signal: new AbortController().signal,
      openUrl: async () => undefined,
    });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'))).toEqual({ timeout: 60 });
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
    const lazy = (name: string) => scripts.get(resolve(DIST, 'lazy', `${name}.cjs`));
    expect(lazy('conf')?.cachedDataRejected).toBe(false);
    expect(lazy('proper-lockfile')?.cachedDataRejected).toBe(false);
  });

  it('builds conf without what only options mmx never passes need: no ajv or semver (a clear error if asked), node:crypto on first use', () => {
    const script = `
      const Conf = require(${JSON.stringify(resolve(DIST, 'lazy', 'conf.cjs'))});
      const cwd = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'mmx-conf-'));
      const store = new Conf({ cwd, configName: 'config', configFileMode: 0o600 });
      store.store = { region: 'cn' };
      const crypto = () => process.moduleLoadList.includes('NativeModule crypto');
      const before = crypto();
      let schema;
      try { new Conf({ cwd, configName: 'other', schema: { region: { type: 'string' } } }); } catch (error) { schema = error.message; }
      const encrypted = new Conf({ cwd, configName: 'secret', encryptionKey: 'k' });
      encrypted.store = { a: 1 };
      process.stdout.write(JSON.stringify({ stored: store.store, before, schema, after: crypto(), decrypted: encrypted.store }));
    `;
    // A file, not -e: node -e loads node:crypto itself.
    const file = join(mkdtempSync(join(tmpdir(), 'mmx-conf-test-')), 'conf-check.cjs');
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout);
    expect(result).toMatchObject({ stored: { region: 'cn' }, before: false, after: true, decrypted: { a: 1 } });
    expect(result.schema).toMatch(/mmx's build of conf has no ajv or semver/);
  });
});
