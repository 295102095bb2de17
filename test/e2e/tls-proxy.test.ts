/**
 * HTTPS end to end: the emulator behind TLS on loopback (a test certificate for
 * 127.0.0.1, trusted through NODE_EXTRA_CA_CERTS), reached directly over
 * node:https and through HTTPS_PROXY with CONNECT, as real MiniMax hosts are.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { startRecordingProxy } from '../helpers/recording-proxy.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const CERT = resolve(import.meta.dirname, '../fixtures/tls/cert.pem');
let emulator: Emulator;
let server: EmulatorServer;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator, {
    tls: { key: readFileSync(resolve(import.meta.dirname, '../fixtures/tls/key.pem')), cert: readFileSync(CERT) },
  });
  proxy = await startRecordingProxy();
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});
beforeEach(() => {
  emulator.reset();
  proxy.entries.length = 0;
});

const env = () => ({ ...isolatedHome(), NODE_EXTRA_CA_CERTS: CERT, MINIMAX_API_KEY: EMULATOR_KEYS.cn });
const args = () => ['--region', 'cn', '--base-url', server.url, '--output', 'json'];

describe('https', () => {
  it('direct, over node:https: quota and a streamed chat', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const quota = await spawnMmx(['quota', ...args()], { env: env() });
    expect(quota.code).toBe(0);
    const chat = await spawnMmx(['text', 'chat', '--message', 'hi', '--stream', ...args()], { env: env() });
    expect(chat.code).toBe(0);
    expect(JSON.parse(chat.stdout).content).toBe('Hello! I am the MiniMax emulator. How can I help you today?');
    expect(emulator.requests.map((r) => r.authStyle)).toEqual(['bearer', 'bearer']);
    expect(proxy.entries).toEqual([]);
  });

  it('through HTTPS_PROXY with CONNECT; HTTP_PROXY alone does not apply to an https target', async () => {
    const viaHttps = await spawnMmx(['text', 'chat', '--message', 'hi', '--stream', ...args()], {
      env: { ...env(), HTTPS_PROXY: proxy.url },
    });
    expect(viaHttps.code).toBe(0);
    expect(proxy.entries).toEqual([`CONNECT ${new URL(server.url).host}`]);
    proxy.entries.length = 0;
    const viaHttp = await spawnMmx(['quota', ...args()], { env: { ...env(), HTTP_PROXY: proxy.url } });
    expect(viaHttp.code).toBe(0);
    expect(proxy.entries).toEqual([]);
  });

  it('an untrusted certificate is a network error (exit 6) naming TLS', async () => {
    const r = await spawnMmx(['quota', ...args(), '--max-retries', '0'], { env: { ...isolatedHome(), MINIMAX_API_KEY: EMULATOR_KEYS.cn } });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stderr).error.message).toMatch(/TLS certificate|self-signed|certificate/i);
  });
});
