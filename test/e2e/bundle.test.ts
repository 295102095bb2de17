/**
 * The bundle's lazily required pieces, through the built bin/mmx: undici behind
 * a proxy, chalk for colour, conf for writes (login in bin.test.ts), and the
 * V8 code cache the build writes for this Node.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { EmulatorServer } from '../../src/emulator/index.js';
import { startRecordingProxy } from '../helpers/recording-proxy.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

let server: EmulatorServer;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
beforeAll(async () => {
  server = await startEmulatorServer(createEmulator({ region: 'cn' }));
  proxy = await startRecordingProxy();
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

describe('the built bundle', () => {
  it('goes through HTTP_PROXY (undici, required on demand)', async () => {
    const r = await spawnMmx(['quota', '--output', 'json', '--region', 'cn', '--base-url', server.url], {
      env: { ...isolatedHome(), MINIMAX_API_KEY: EMULATOR_KEYS.cn, HTTP_PROXY: proxy.url },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).base_resp.status_code).toBe(0);
    expect(proxy.entries).toHaveLength(1);
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
});
