/** Proxies over real sockets: every request goes through the proxy the environment or config names, unless NO_PROXY covers the host. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { proxyFor } from '../../src/http/proxy.js';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { startRecordingProxy } from '../helpers/recording-proxy.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

let emulator: Emulator;
let server: EmulatorServer;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator);
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

const hostPort = () => new URL(server.url).host;
const base = () => ['--region', 'cn', '--base-url', server.url, '--output', 'json'];

describe('proxies', () => {
  it('HTTP_PROXY carries every request to an http target: chat, streaming chat and quota', async () => {
    const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, HTTP_PROXY: proxy.url };
    const chat = await runCli(['text', 'chat', '--message', 'hi', ...base()], { env });
    const stream = await runCli(['text', 'chat', '--message', 'hi', '--stream', ...base()], { env });
    const quota = await runCli(['quota', ...base()], { env });
    expect([chat.code, stream.code, quota.code]).toEqual([0, 0, 0]);
    expect(JSON.parse(stream.stdout).content_blocks.at(-1).type).toBe('text');
    expect(emulator.requests).toHaveLength(3);
    expect(proxy.entries).toHaveLength(3);
    for (const entry of proxy.entries) expect(entry).toMatch(new RegExp(`^(CONNECT ${hostPort()}|(GET|POST) ${server.url}/)`));
  });

  it('NO_PROXY covering the host bypasses the proxy', async () => {
    const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' };
    const r = await runCli(['quota', ...base()], { env });
    expect(r.code).toBe(0);
    expect(emulator.requests).toHaveLength(1);
    expect(proxy.entries).toEqual([]);
  });

  it('ALL_PROXY is the fallback, and config proxy the last resort; login probes go through it too', async () => {
    const viaAll = await runCli(['quota', ...base()], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn, all_proxy: proxy.url } });
    expect(viaAll.code).toBe(0);
    expect(proxy.entries).toHaveLength(1);

    const configDir = tempConfigDir();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(`${configDir}/config.json`, JSON.stringify({ proxy: proxy.url }), { mode: 0o600 });
    const login = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--output', 'json'], {
      configDir,
      env: { MINIMAX_CN_BASE_URL: server.url, MINIMAX_GLOBAL_BASE_URL: server.url.replace('127.0.0.1', 'localhost') },
    });
    expect(login.code).toBe(0);
    // The region probes tunnel through the config proxy: the one that accepted the key (cn, 127.0.0.1) for
    // sure; the other (localhost) is cancelled as soon as cn accepts, so its tunnel may or may not have opened.
    const port = new URL(server.url).port;
    const probes = proxy.entries.slice(1);
    expect(probes).toContain(`CONNECT 127.0.0.1:${port}`);
    for (const entry of probes) expect([`CONNECT 127.0.0.1:${port}`, `CONNECT localhost:${port}`]).toContain(entry);
  });

  it('an unreachable proxy is a network error (exit 6) that names the proxy settings', async () => {
    const r = await runCli(['quota', ...base(), '--max-retries', '0'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn, HTTP_PROXY: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stderr).error.hint).toContain('HTTPS_PROXY');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('proxyFor', () => {
  it('picks by scheme, falls back to ALL_PROXY then config, lower case first, and honours NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://h:1', ALL_PROXY: 'http://a:1' };
    expect(proxyFor('https://api.minimaxi.com/v1', env)).toBe('http://s:1');
    expect(proxyFor('http://api.minimaxi.com/v1', env)).toBe('http://h:1');
    expect(proxyFor('https://x.test', { ALL_PROXY: 'http://a:1' })).toBe('http://a:1');
    expect(proxyFor('https://x.test', {}, 'http://c:1')).toBe('http://c:1');
    expect(proxyFor('https://x.test', {})).toBeUndefined();
    expect(proxyFor('https://x.test', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })).toBe('http://lower:1');
    expect(proxyFor('https://api.minimaxi.com', { ...env, NO_PROXY: '.minimaxi.com' })).toBeUndefined();
    expect(proxyFor('https://api.minimaxi.com', { ...env, NO_PROXY: '*.minimaxi.com' })).toBeUndefined();
    expect(proxyFor('https://api.minimaxi.com', { ...env, NO_PROXY: 'minimaxi.com' })).toBeUndefined();
    expect(proxyFor('https://api.minimaxi.com', { ...env, NO_PROXY: '*' })).toBeUndefined();
    expect(proxyFor('https://api.minimaxi.com', { ...env, NO_PROXY: 'api.minimaxi.com:8443' })).toBe('http://s:1');
    expect(proxyFor('https://notminimaxi.com', { ...env, NO_PROXY: 'minimaxi.com' })).toBe('http://s:1');
    expect(proxyFor('http://127.0.0.1:8080/x', { ...env, no_proxy: '127.0.0.1' })).toBeUndefined();
  });
});
