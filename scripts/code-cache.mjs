// Writes the V8 code caches bin/mmx loads (bin/load-bundle.js): dist/mmx.cjs.cache for the
// CLI bundle, and dist/lazy/<package>.cjs.cache for each lazily required package the
// warm-up loaded. The warm-up runs, through the real run() against the emulator in
// memory, the argument vectors each command declares in the registry (`warmup` in its
// spec), then a login with region detection, whose config write loads conf and
// proper-lockfile. V8 ignores a cache that does not fit its version or flags, so a stale
// one costs a compile and nothing more.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../dist/emulator/index.js';

const require = createRequire(import.meta.url);
const { loadBundle } = require('../bin/load-bundle.js');
const bundle = join(import.meta.dirname, '..', 'dist', 'mmx.cjs');
const scripts = new Map();
const { exports: cli } = loadBundle(bundle, { flagsCache: false, onScript: (file, script) => scripts.set(file, script) });

const server = await startEmulatorServer(createEmulator({ region: 'cn' }));
const configDir = mkdtempSync(join(tmpdir(), 'mmx-warm-'));
const quiet = { write: () => undefined, writeAndDrain: async () => undefined, isTTY: false };
const commandEnv = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_BASE_URL: server.url, MINIMAX_REGION: 'cn' };
// Both region hosts on the emulator, nothing given: the login's region detection runs.
const loginEnv = { MINIMAX_CN_BASE_URL: server.url, MINIMAX_GLOBAL_BASE_URL: server.url };
const deps = (env) => ({
  stdout: quiet,
  stderr: quiet,
  stdin: { isTTY: true, readAll: async () => '', readSecret: async () => '', readLine: async () => '' },
  env,
  configDir,
  transport: cli.nodeTransport(),
  now: () => Date.now(),
  sleep: async () => undefined,
  signal: new AbortController().signal,
  openUrl: async () => undefined,
});
try {
  for (const argv of cli.warmupArgvs()) {
    await cli.run(argv, deps(commandEnv));
  }
  const login = await cli.run(['auth', 'login', '--api-key', EMULATOR_KEYS.cn], deps(loginEnv));
  if (login !== 0) throw new Error(`the warm-up login exited ${login}`);
} finally {
  await server.close();
  rmSync(configDir, { recursive: true, force: true });
}
for (const [file, script] of scripts) writeFileSync(`${file}.cache`, script.createCachedData());
