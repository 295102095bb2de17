// Writes dist/mmx.cjs.cache: the V8 code cache of the CLI bundle after a warm-up
// that runs, through the real run() against the emulator in memory, the argument
// vectors each command declares in the registry (`warmup` in its spec). bin/mmx
// loads the bundle with it (bin/load-bundle.js); V8 ignores a cache that does not
// fit its version or flags, so a stale one costs a compile and nothing more.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../dist/emulator/index.js';

const require = createRequire(import.meta.url);
const { loadBundle } = require('../bin/load-bundle.js');
const bundle = join(import.meta.dirname, '..', 'dist', 'mmx.cjs');
const { exports: cli, script } = loadBundle(bundle);

const server = await startEmulatorServer(createEmulator({ region: 'cn' }));
const configDir = mkdtempSync(join(tmpdir(), 'mmx-warm-'));
const quiet = { write: () => undefined, writeAndDrain: async () => undefined, isTTY: false };
const deps = () => ({
  stdout: quiet,
  stderr: quiet,
  stdin: { isTTY: true, readAll: async () => '', readSecret: async () => '', readLine: async () => '' },
  env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_BASE_URL: server.url, MINIMAX_REGION: 'cn' },
  configDir,
  transport: cli.nodeTransport(),
  now: () => Date.now(),
  sleep: async () => undefined,
  signal: new AbortController().signal,
  openUrl: async () => undefined,
});
try {
  for (const argv of cli.warmupArgvs()) {
    await cli.run(argv, deps());
  }
} finally {
  await server.close();
  rmSync(configDir, { recursive: true, force: true });
}
writeFileSync(`${bundle}.cache`, script.createCachedData());
