/**
 * SOCKS5 proxies over real sockets, as Clash exports them (`all_proxy=socks5://127.0.0.1:7890`):
 * socks5:// resolves the name here and sends an address, socks5h:// sends the name for the
 * proxy to resolve; credentials go as SOCKS5 username/password. The target is the emulator
 * over http; https through SOCKS is in tls-proxy.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { type SocksServer, startSocksServer } from '../helpers/socks-server.js';

const KEY = EMULATOR_KEYS.cn;
/** A name no resolver knows: only a proxy that resolves it itself (socks5h) can reach it. */
const PRIVATE_NAME = 'minimax-emulator.invalid';
let emulator: Emulator;
let server: EmulatorServer;
let socks: SocksServer;
let authSocks: SocksServer;

beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator);
  socks = await startSocksServer({ hosts: { [PRIVATE_NAME]: '127.0.0.1' } });
  authSocks = await startSocksServer({ requireCredentials: 'mmx:p@ss', hosts: { [PRIVATE_NAME]: '127.0.0.1' } });
});
afterAll(async () => {
  await Promise.all([socks.close(), authSocks.close()]);
  await server.close();
});
beforeEach(() => {
  emulator.reset();
  socks.reset();
  authSocks.reset();
});

const port = () => Number(new URL(server.url).port);
const privateUrl = () => `http://${PRIVATE_NAME}:${port()}`;
const args = (baseUrl = server.url) => ['--region', 'cn', '--base-url', baseUrl, '--output', 'json'];
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

describe('socks5h:// (the proxy resolves names)', () => {
  it('sends the host name, which only the proxy can resolve: chat, streaming chat and quota', async () => {
    const env = { MINIMAX_API_KEY: KEY, all_proxy: socks.url.replace('socks5:', 'socks5h:') };
    const chat = await runCli(['text', 'chat', '--message', 'hi', ...args(privateUrl())], { env });
    const stream = await runCli(['text', 'chat', '--message', 'hi', '--stream', ...args(privateUrl())], { env });
    const quota = await runCli(['quota', ...args(privateUrl())], { env });
    expect([chat.code, stream.code, quota.code]).toEqual([0, 0, 0]);
    expect(socks.connects).toEqual(Array(3).fill({ addressType: 'domain', host: PRIVATE_NAME, port: port() }));
    expect(socks.methods).toEqual([[0], [0], [0]]);
    expect(emulator.requests.map((r) => [r.path, r.authStyle, r.key === KEY, r.headers.host])).toEqual([
      ['/anthropic/v1/messages', 'bearer', true, `${PRIVATE_NAME}:${port()}`],
      ['/anthropic/v1/messages', 'bearer', true, `${PRIVATE_NAME}:${port()}`],
      ['/v1/token_plan/remains', 'bearer', true, `${PRIVATE_NAME}:${port()}`],
    ]);
  });

  it('with user:password: SOCKS5 username/password authentication, decoded', async () => {
    const r = await runCli(['quota', ...args(privateUrl())], {
      env: { MINIMAX_API_KEY: KEY, ALL_PROXY: authSocks.url.replace('socks5://', 'socks5h://mmx:p%40ss@') },
    });
    expect(r.code).toBe(0);
    expect(authSocks.methods).toEqual([[0, 2]]);
    expect(authSocks.credentials).toEqual(['mmx:p@ss']);
    expect(authSocks.connects).toEqual([{ addressType: 'domain', host: PRIVATE_NAME, port: port() }]);
    expect(emulator.requests).toHaveLength(1);
  });

  it('a name the proxy cannot reach: exit 6 naming the proxy and the host, with the reply', async () => {
    const r = await runCli(['quota', ...args(`http://elsewhere.invalid:${port()}`)], {
      env: { MINIMAX_API_KEY: KEY, ALL_PROXY: socks.url.replace('socks5:', 'socks5h:') },
    });
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr).message).toBe(
      `The proxy ${socks.url.replace('socks5:', 'socks5h:')} (ALL_PROXY) could not reach elsewhere.invalid:${port()} (HostUnreachable).`,
    );
  });
});

describe('socks5:// (names resolved here)', () => {
  it('sends an address: an IP target as IPv4, to the emulator', async () => {
    const r = await runCli(['quota', ...args()], { env: { MINIMAX_API_KEY: KEY, ALL_PROXY: socks.url } });
    expect(r.code).toBe(0);
    expect(socks.connects).toEqual([{ addressType: 'ipv4', host: '127.0.0.1', port: port() }]);
    expect(emulator.requests.map((r) => [r.path, r.authStyle])).toEqual([['/v1/token_plan/remains', 'bearer']]);
  });

  it('resolves the name before it connects: a name only the proxy knows fails here (exit 6), saying so, and reaches no proxy', async () => {
    const r = await runCli(['quota', ...args(privateUrl()), '--max-retries', '0'], { env: { MINIMAX_API_KEY: KEY, ALL_PROXY: socks.url } });
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr)).toMatchObject({
      message: expect.stringMatching(new RegExp(`^Cannot resolve ${PRIVATE_NAME} for the SOCKS5 proxy ${socks.url} \\(ALL_PROXY\\): `)),
      hint: 'socks5:// resolves names on this machine; socks5h:// lets the proxy resolve them.',
    });
    expect(socks.methods).toEqual([]);
    expect(emulator.requests).toHaveLength(0);
  });

  it('a user without a password authenticates as user with an empty password', async () => {
    const aliceSocks = await startSocksServer({ requireCredentials: 'alice:' });
    try {
      const r = await runCli(['quota', ...args()], {
        env: { MINIMAX_API_KEY: KEY, ALL_PROXY: aliceSocks.url.replace('://', '://alice@') },
      });
      expect(r.code).toBe(0);
      expect(aliceSocks.credentials).toEqual(['alice:']);
    } finally {
      await aliceSocks.close();
    }
  });

  it('credentials the proxy refuses, or none when it wants them: exit 6, masked, not retried', async () => {
    const wrong = await runCli(['quota', ...args()], {
      env: { MINIMAX_API_KEY: KEY, ALL_PROXY: authSocks.url.replace('://', '://mmx:hunter2@') },
    });
    expect(wrong.code).toBe(6);
    expect(jsonError(wrong.stderr).message).toBe(
      `The proxy ${authSocks.url.replace('://', '://…@')} (ALL_PROXY) did not accept the credentials in ALL_PROXY (SOCKS5 authentication failed).`,
    );
    expect(wrong.stderr).not.toContain('hunter2');
    expect(authSocks.credentials).toEqual(['mmx:hunter2']);

    const none = await runCli(['quota', ...args()], { env: { MINIMAX_API_KEY: KEY, ALL_PROXY: authSocks.url } });
    expect(none.code).toBe(6);
    expect(jsonError(none.stderr)).toEqual({
      code: 6,
      message: `The proxy ${authSocks.url} (ALL_PROXY) wants credentials (no SOCKS5 authentication method in common).`,
      hint: 'Give them in the proxy URL: socks5://user:password@host:port (percent-encode @ : / in them).',
    });
    expect(emulator.requests).toHaveLength(0);
  });

  it('an unreachable SOCKS proxy is named: exit 6', async () => {
    const r = await runCli(['quota', ...args(), '--max-retries', '0'], {
      env: { MINIMAX_API_KEY: KEY, all_proxy: 'socks5://127.0.0.1:9' },
    });
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr).message).toBe('Cannot reach the proxy socks5://127.0.0.1:9 (all_proxy): connection refused (ECONNREFUSED).');
  });

  it('an http proxy given as socks5://: exit 6, the handshake failure named, with a hint', async () => {
    const { startRecordingProxy } = await import('../helpers/recording-proxy.js');
    const http = await startRecordingProxy();
    try {
      const r = await runCli(['quota', ...args(), '--max-retries', '0'], {
        env: { MINIMAX_API_KEY: KEY, ALL_PROXY: http.url.replace('http:', 'socks5:') },
      });
      expect(r.code).toBe(6);
      expect(jsonError(r.stderr)).toMatchObject({
        message: expect.stringContaining(
          `The proxy ${http.url.replace('http:', 'socks5:')} (ALL_PROXY) did not complete the SOCKS5 handshake`,
        ),
        hint: 'Is it a SOCKS5 proxy? An HTTP proxy is written http://host:port.',
      });
    } finally {
      await http.close();
    }
  });

  it('--verbose says which proxy and who resolves the name', async () => {
    const r = await runCli(['quota', ...args(), '--verbose'], { env: { MINIMAX_API_KEY: KEY, ALL_PROXY: socks.url } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`* proxy ${socks.url} (ALL_PROXY): SOCKS5 to 127.0.0.1:${port()}, the name resolved here\n`);
  });
});
