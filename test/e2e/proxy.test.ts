/**
 * HTTP proxies over real sockets, for an http target (the emulator on loopback): what the
 * proxy saw (request line, credentials) and what the emulator saw (path, auth header),
 * which setting applies, and what the user is told when the proxy is the problem.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { type RecordingProxy, startRecordingProxy } from '../helpers/recording-proxy.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

const KEY = EMULATOR_KEYS.cn;
let emulator: Emulator;
let server: EmulatorServer;
/** Configured as squid is by default: CONNECT only to port 443. */
let squid: RecordingProxy;
let authProxy: RecordingProxy;
let aliceProxy: RecordingProxy;

beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator);
  squid = await startRecordingProxy({ connectPorts: [443] });
  authProxy = await startRecordingProxy({ requireCredentials: 'mmx:p@ss:w/rd' });
  aliceProxy = await startRecordingProxy({ requireCredentials: 'alice:' });
});
afterAll(async () => {
  await Promise.all([squid.close(), authProxy.close(), aliceProxy.close()]);
  await server.close();
});
beforeEach(() => {
  emulator.reset();
  for (const proxy of [squid, authProxy, aliceProxy]) proxy.reset();
});

const base = () => ['--region', 'cn', '--base-url', server.url, '--output', 'json'];
const withCredentials = (proxy: RecordingProxy, userInfo: string) => proxy.url.replace('://', `://${userInfo}@`);
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

describe('an http target through an http proxy', () => {
  it('goes as forward requests (absolute URL), which squid allows, not CONNECT, which it refuses: chat, streaming chat and quota', async () => {
    const env = { MINIMAX_API_KEY: KEY, HTTP_PROXY: squid.url };
    const chat = await runCli(['text', 'chat', '--message', 'hi', ...base()], { env });
    const stream = await runCli(['text', 'chat', '--message', 'hi', '--stream', ...base()], { env });
    const quota = await runCli(['quota', ...base()], { env });
    expect([chat.code, stream.code, quota.code]).toEqual([0, 0, 0]);
    expect(JSON.parse(stream.stdout).content_blocks.at(-1).type).toBe('text');
    expect(squid.entries).toEqual([
      `POST ${server.url}/anthropic/v1/messages`,
      `POST ${server.url}/anthropic/v1/messages`,
      `GET ${server.url}/v1/token_plan/remains`,
    ]);
    expect(squid.credentials).toEqual([undefined, undefined, undefined]);
    expect(emulator.requests.map((r) => [r.method, r.path, r.authStyle, r.key === KEY, r.headers.host])).toEqual([
      ['POST', '/anthropic/v1/messages', 'bearer', true, new URL(server.url).host],
      ['POST', '/anthropic/v1/messages', 'bearer', true, new URL(server.url).host],
      ['GET', '/v1/token_plan/remains', 'bearer', true, new URL(server.url).host],
    ]);
  });

  it('sends the URL credentials as Proxy-Authorization: Basic, decoded, to the proxy only', async () => {
    const env = { MINIMAX_API_KEY: KEY, HTTP_PROXY: withCredentials(authProxy, 'mmx:p%40ss%3Aw%2Frd') };
    const r = await runCli(['quota', ...base()], { env });
    expect(r.code).toBe(0);
    expect(authProxy.entries).toEqual([`GET ${server.url}/v1/token_plan/remains`]);
    expect(authProxy.credentials).toEqual(['mmx:p@ss:w/rd']);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]?.headers['proxy-authorization']).toBeUndefined();
    expect(r.stderr).not.toContain('p%40ss');
  });

  it('a user without a password is sent too (user:)', async () => {
    const r = await runCli(['quota', ...base()], { env: { MINIMAX_API_KEY: KEY, HTTP_PROXY: withCredentials(aliceProxy, 'alice') } });
    expect(r.code).toBe(0);
    expect(aliceProxy.credentials).toEqual(['alice:']);
    expect(emulator.requests).toHaveLength(1);
  });

  it('a proxy that wants credentials: exit 6 naming the proxy, masked, and how to give them; nothing reaches the API', async () => {
    const none = await runCli(['quota', ...base()], { env: { MINIMAX_API_KEY: KEY, HTTP_PROXY: authProxy.url } });
    expect(none.code).toBe(6);
    expect(jsonError(none.stderr)).toEqual({
      code: 6,
      message: `The proxy ${authProxy.url} (HTTP_PROXY) wants credentials (HTTP 407 Proxy Authentication Required).`,
      hint: 'Give them in the proxy URL: http://user:password@host:port (percent-encode @ : / in them).',
    });
    const wrong = await runCli(['quota', ...base()], {
      env: { MINIMAX_API_KEY: KEY, HTTP_PROXY: withCredentials(authProxy, 'mmx:wrong-secret') },
    });
    expect(wrong.code).toBe(6);
    expect(jsonError(wrong.stderr).message).toBe(
      `The proxy ${authProxy.url.replace('://', '://…@')} (HTTP_PROXY) did not accept the credentials in HTTP_PROXY (HTTP 407 Proxy Authentication Required).`,
    );
    expect(wrong.stderr).not.toContain('wrong-secret');
    expect(authProxy.entries).toHaveLength(2); // not retried: other credentials will not appear by themselves
    expect(emulator.requests).toHaveLength(0);
  });

  it('a proxy written without a scheme (127.0.0.1:7890) is an http proxy, as curl reads it', async () => {
    const r = await runCli(['quota', ...base()], { env: { MINIMAX_API_KEY: KEY, http_proxy: squid.url.replace('http://', '') } });
    expect(r.code).toBe(0);
    expect(squid.entries).toEqual([`GET ${server.url}/v1/token_plan/remains`]);
  });
});

describe('which setting applies', () => {
  it('NO_PROXY covering the host, by name, address or range, bypasses the proxy', async () => {
    for (const noProxy of ['localhost,127.0.0.1', '127.0.0.0/8', `127.0.0.1:${new URL(server.url).port}`]) {
      const r = await runCli(['quota', ...base()], { env: { MINIMAX_API_KEY: KEY, HTTP_PROXY: squid.url, NO_PROXY: noProxy } });
      expect(r.code).toBe(0);
    }
    expect(emulator.requests).toHaveLength(3);
    expect(squid.entries).toEqual([]);
  });

  it('ALL_PROXY is the fallback, and config proxy the last resort; login probes go through it too', async () => {
    const viaAll = await runCli(['quota', ...base()], { env: { MINIMAX_API_KEY: KEY, all_proxy: squid.url } });
    expect(viaAll.code).toBe(0);
    expect(squid.entries).toHaveLength(1);

    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(`${configDir}/config.json`, JSON.stringify({ proxy: squid.url }), { mode: 0o600 });
    const login = await runCli(['auth', 'login', '--api-key', KEY, '--output', 'json'], {
      configDir,
      env: { MINIMAX_CN_BASE_URL: server.url, MINIMAX_GLOBAL_BASE_URL: server.url.replace('127.0.0.1', 'localhost') },
    });
    expect(login.code).toBe(0);
    // The region probes go through the config proxy: the one that accepted the key (cn, 127.0.0.1) for sure;
    // the other (localhost) is cancelled as soon as cn accepts, so it may or may not have been sent.
    const probes = squid.entries.slice(1);
    const cnHost = new URL(server.url).host;
    const globalHost = cnHost.replace('127.0.0.1', 'localhost');
    expect(probes.some((entry) => entry.includes(`//${cnHost}/`))).toBe(true);
    for (const entry of probes) expect(entry.includes(`//${cnHost}/`) || entry.includes(`//${globalHost}/`)).toBe(true);
  });

  it('a proxy scheme mmx does not speak is a usage error (exit 2) naming the variable; nothing is sent', async () => {
    const r = await runCli(['quota', ...base()], { env: { MINIMAX_API_KEY: KEY, HTTP_PROXY: 'socks4://u:secret@127.0.0.1:1080' } });
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toBe(
      'HTTP_PROXY names a socks4 proxy (socks4://…@127.0.0.1:1080); mmx speaks http, https, socks5 and socks5h.',
    );
    expect(r.stderr).not.toContain('secret');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('saying which proxy is used, masked', () => {
  it('an unreachable proxy is a network error (exit 6) that names the proxy and its variable, not the API host', async () => {
    const r = await runCli(['quota', ...base(), '--max-retries', '0'], {
      env: { MINIMAX_API_KEY: KEY, HTTP_PROXY: 'http://mmx:hunter2@127.0.0.1:9' },
    });
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr)).toEqual({
      code: 6,
      message: 'Cannot reach the proxy http://…@127.0.0.1:9 (HTTP_PROXY): connection refused (ECONNREFUSED).',
      hint: 'Start the proxy, or fix or unset HTTP_PROXY; NO_PROXY lists hosts to reach directly.',
    });
    expect(r.stderr).not.toMatch(/mmx:|hunter2/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('the config proxy, unreachable, is named as such, with the command that changes it', async () => {
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(`${configDir}/config.json`, JSON.stringify({ proxy: '127.0.0.1:9' }), { mode: 0o600 });
    const r = await runCli(['quota', ...base(), '--max-retries', '0', '--output', 'text'], { configDir, env: { MINIMAX_API_KEY: KEY } });
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      'Error: Cannot reach the proxy http://127.0.0.1:9 (config proxy): connection refused (ECONNREFUSED).\n' +
        '  Start the proxy, or change it: mmx config set --key proxy --value http://host:port (mmx config unset proxy to go direct).\n',
    );
  });

  it('--verbose says which proxy each request goes through and how', async () => {
    const r = await runCli(['quota', ...base(), '--verbose'], {
      env: { MINIMAX_API_KEY: KEY, HTTP_PROXY: withCredentials(authProxy, 'mmx:p%40ss%3Aw%2Frd') },
    });
    expect(r.code).toBe(0);
    const shown = authProxy.url.replace('://', '://…@');
    expect(r.stderr).toContain(`* proxy ${shown} (HTTP_PROXY): the request in absolute form\n`);
    expect(r.stderr).not.toMatch(/mmx:|p%40ss|p@ss/);
  });

  it('auth status names the proxy requests to the base URL use, masked, in JSON and text', async () => {
    const env = { MINIMAX_API_KEY: KEY, https_proxy: 'http://mmx:hunter2@10.0.0.1:3128' };
    const json = await runCli(['auth', 'status', '--offline', '--output', 'json', '--region', 'cn'], { env });
    expect(json.json()).toMatchObject({ proxy: 'http://…@10.0.0.1:3128', proxy_set_by: 'https_proxy' });
    const text = await runCli(['auth', 'status', '--offline', '--output', 'text', '--region', 'cn'], { env });
    expect(text.stdout).toContain('\nProxy      http://…@10.0.0.1:3128 (https_proxy)\n');
    expect(json.stdout + text.stdout).not.toMatch(/mmx:|hunter2/);

    const direct = await runCli(['auth', 'status', '--offline', '--output', 'json', '--region', 'cn'], {
      env: { ...env, NO_PROXY: '.minimax.cn' },
    });
    expect(direct.json()).toMatchObject({ proxy: null, proxy_set_by: null });
  });
});

describe('a proxy that never answers', () => {
  /** Accepts connections and says nothing: a stuck proxy. */
  async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
    const sockets = new Set<Socket>();
    const hole = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    return {
      port: (hole.address() as AddressInfo).port,
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          hole.close(() => resolve());
        }),
    };
  }

  it.each([
    ['a forward request', 'http', 'HTTP_PROXY'],
    ['a CONNECT', 'http', 'HTTPS_PROXY'],
    ['a SOCKS5 handshake', 'socks5h', 'ALL_PROXY'],
  ])('%s is bounded by --timeout (exit 5) and ended by Ctrl-C (exit 130)', async (_, scheme, variable) => {
    const hole = await blackHole();
    try {
      const target = variable === 'HTTPS_PROXY' ? 'https://api.minimaxi.test' : 'http://api.minimaxi.test';
      const argv = ['quota', '--region', 'cn', '--base-url', target, '--output', 'json', '--max-retries', '0'];
      const env = { MINIMAX_API_KEY: KEY, [variable]: `${scheme}://127.0.0.1:${hole.port}` };
      let started = Date.now();
      const timedOut = await runCli([...argv, '--timeout', '0.3'], { env });
      expect(timedOut.code).toBe(5);
      expect(Date.now() - started).toBeLessThan(3000);

      const ctrlC = new AbortController();
      started = Date.now();
      setTimeout(() => ctrlC.abort(), 200);
      const interrupted = await runCli(argv, { env, signal: ctrlC.signal });
      expect(interrupted.code).toBe(130);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await hole.close();
    }
  });
});
