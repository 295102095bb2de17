/**
 * HTTPS end to end: the emulator behind TLS on loopback (a test certificate for
 * 127.0.0.1 and localhost, trusted through NODE_EXTRA_CA_CERTS), reached directly over
 * node:https and through proxies as real MiniMax hosts are: a CONNECT tunnel through
 * an http or https proxy, or SOCKS5, with TLS to the host inside, so the key never
 * reaches the proxy.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { type RecordingProxy, startRecordingProxy } from '../helpers/recording-proxy.js';
import { type SocksServer, startSocksServer } from '../helpers/socks-server.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const CERT = resolve(import.meta.dirname, '../fixtures/tls/cert.pem');
const TLS = { key: readFileSync(resolve(import.meta.dirname, '../fixtures/tls/key.pem')), cert: readFileSync(CERT) };
const KEY = EMULATOR_KEYS.cn;
let emulator: Emulator;
let server: EmulatorServer;
let proxy: RecordingProxy;
let squid: RecordingProxy;
let authProxy: RecordingProxy;
let tlsProxy: RecordingProxy;
let socks: SocksServer;
beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator, { tls: TLS });
  [proxy, squid, authProxy, tlsProxy, socks] = await Promise.all([
    startRecordingProxy(),
    startRecordingProxy({ connectPorts: [443] }),
    startRecordingProxy({ requireCredentials: 'alice:' }),
    startRecordingProxy({ tls: TLS }),
    startSocksServer({ hosts: { localhost: '127.0.0.1' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([proxy.close(), squid.close(), authProxy.close(), tlsProxy.close(), socks.close()]);
  await server.close();
});
beforeEach(() => {
  emulator.reset();
  for (const p of [proxy, squid, authProxy, tlsProxy]) p.reset();
  socks.reset();
});

const env = () => ({ ...isolatedHome(), NODE_EXTRA_CA_CERTS: CERT, MINIMAX_API_KEY: KEY });
const args = (baseUrl = server.url) => ['--region', 'cn', '--base-url', baseUrl, '--output', 'json'];
const hostPort = () => new URL(server.url).host;
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

/** The key crossed the proxy only inside TLS: not in the CONNECT's headers, not in clear in the tunnel. */
function expectKeyOnlyInsideTls(log: { headers?: unknown[]; tunnelBytes: Buffer[] }): void {
  expect(JSON.stringify(log.headers ?? [])).not.toContain(KEY);
  expect(log.tunnelBytes.length).toBeGreaterThan(0);
  for (const bytes of log.tunnelBytes) {
    expect(bytes[0]).toBe(0x16); // a TLS handshake record opens the tunnel
    expect(bytes.includes(KEY)).toBe(false);
    expect(bytes.includes('authorization')).toBe(false);
  }
}

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

  it('an untrusted certificate is a network error (exit 6) naming TLS', async () => {
    const r = await spawnMmx(['quota', ...args(), '--max-retries', '0'], { env: { ...isolatedHome(), MINIMAX_API_KEY: KEY } });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stderr).error.message).toMatch(/TLS certificate|self-signed|certificate/i);
  });
});

describe('https through an http proxy: CONNECT, TLS inside', () => {
  it('HTTPS_PROXY: one CONNECT to host:port; the key reaches the API, and the proxy only inside TLS', async () => {
    const r = await spawnMmx(['text', 'chat', '--message', 'hi', '--stream', ...args()], { env: { ...env(), HTTPS_PROXY: proxy.url } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(proxy.entries).toEqual([`CONNECT ${hostPort()}`]);
    expect(proxy.credentials).toEqual([undefined]);
    expectKeyOnlyInsideTls(proxy);
    expect(emulator.requests.map((q) => [q.method, q.path, q.authStyle, q.key === KEY])).toEqual([
      ['POST', '/anthropic/v1/messages', 'bearer', true],
    ]);
  });

  it('HTTP_PROXY alone applies to an https target too, as in mmx-cli', async () => {
    const r = await spawnMmx(['quota', ...args()], { env: { ...env(), HTTP_PROXY: proxy.url } });
    expect(r.code).toBe(0);
    expect(proxy.entries).toEqual([`CONNECT ${hostPort()}`]);
    expect(emulator.requests).toHaveLength(1);
  });

  it('credentials ride on the CONNECT (a user without a password too)', async () => {
    const r = await spawnMmx(['quota', ...args()], { env: { ...env(), HTTPS_PROXY: authProxy.url.replace('://', '://alice@') } });
    expect(r.code).toBe(0);
    expect(authProxy.entries).toEqual([`CONNECT ${hostPort()}`]);
    expect(authProxy.credentials).toEqual(['alice:']);
    expectKeyOnlyInsideTls(authProxy);
  });

  it('a proxy that refuses the tunnel (squid, to a port other than 443): exit 6 naming the proxy and the answer', async () => {
    const r = await spawnMmx(['quota', ...args()], { env: { ...env(), HTTPS_PROXY: squid.url } });
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr)).toEqual({
      code: 6,
      message: `The proxy ${squid.url} (HTTPS_PROXY) refused to open a tunnel to ${hostPort()} (HTTP 403 Forbidden).`,
      hint: 'Its rules may not allow this host or port: ask whoever runs it, or list the host in NO_PROXY to go direct.',
    });
    expect(squid.entries).toEqual([`CONNECT ${hostPort()}`]); // not retried
    expect(emulator.requests).toHaveLength(0);
  });

  it('an https:// proxy: TLS to the proxy, the CONNECT inside it, TLS to the host inside that', async () => {
    expect(tlsProxy.url).toMatch(/^https:/);
    const r = await spawnMmx(['quota', ...args()], { env: { ...env(), HTTPS_PROXY: tlsProxy.url } });
    expect(r.code).toBe(0);
    expect(tlsProxy.entries).toEqual([`CONNECT ${hostPort()}`]);
    expectKeyOnlyInsideTls(tlsProxy);
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('an https:// proxy for an http target', () => {
  it('the forward request goes inside TLS to the proxy, credentials with it', async () => {
    const plain = createEmulator({ region: 'cn' });
    const plainServer = await startEmulatorServer(plain);
    const tlsAuthProxy = await startRecordingProxy({ tls: TLS, requireCredentials: 'mmx:p@ss' });
    try {
      const r = await spawnMmx(['quota', ...args(plainServer.url)], {
        env: { ...env(), HTTP_PROXY: tlsAuthProxy.url.replace('://', '://mmx:p%40ss@') },
      });
      expect(r.code).toBe(0);
      expect(tlsAuthProxy.entries).toEqual([`GET ${plainServer.url}/v1/token_plan/remains`]);
      expect(tlsAuthProxy.credentials).toEqual(['mmx:p@ss']);
      expect(plain.requests.map((q) => [q.path, q.authStyle, q.headers['proxy-authorization']])).toEqual([
        ['/v1/token_plan/remains', 'bearer', undefined],
      ]);
    } finally {
      await tlsAuthProxy.close();
      await plainServer.close();
    }
  });
});

describe('https through SOCKS5', () => {
  it('socks5h://: the name goes to the proxy, the certificate is checked against it, the key only inside TLS; no warning', async () => {
    const target = `https://localhost:${new URL(server.url).port}`;
    const r = await spawnMmx(['text', 'chat', '--message', 'hi', '--stream', ...args(target)], {
      env: { ...env(), ALL_PROXY: socks.url.replace('socks5:', 'socks5h:') },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // no ExperimentalWarning, no notice
    expect(socks.connects).toEqual([{ addressType: 'domain', host: 'localhost', port: Number(new URL(server.url).port) }]);
    expectKeyOnlyInsideTls(socks);
    expect(emulator.requests.map((q) => [q.path, q.authStyle, q.key === KEY])).toEqual([['/anthropic/v1/messages', 'bearer', true]]);
  });

  it('socks5://: an address goes to the proxy; the stream works the same', async () => {
    const r = await spawnMmx(['quota', ...args()], { env: { ...env(), all_proxy: socks.url } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(socks.connects).toEqual([{ addressType: 'ipv4', host: '127.0.0.1', port: Number(new URL(server.url).port) }]);
    expectKeyOnlyInsideTls(socks);
  });
});
