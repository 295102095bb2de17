/**
 * How long mmx waits between retries, through the real entry over loopback
 * sockets (no msw): every `Deps.sleep` is recorded (`RunResult.waits`) and the
 * jitter's random source is pinned, so the waits are exact. A server's
 * Retry-After wins; otherwise full-jitter exponential backoff; refused and reset
 * connections are retried with the same waits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer, Fault } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const half = () => 0.5;
let emulator: Emulator;
let server: EmulatorServer;

beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator);
});
afterAll(async () => server.close());
beforeEach(() => emulator.reset());

const quota = (base: string, ...extra: string[]) => ['quota', '--output', 'json', '--region', 'cn', '--base-url', base, ...extra];
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn };
const tooMany = (headers: Record<string, string>): Fault => ({
  kind: 'status',
  status: 429,
  headers,
  body: { type: 'error', error: { type: 'rate_limit_error', message: 'rate limit exceeded (1002)' } },
});

describe('Retry-After', () => {
  it('in seconds: "Retry-After: 5" is a 5000 ms wait, then the retry succeeds', async () => {
    emulator.enqueueFault(tooMany({ 'Retry-After': '5' }));
    const r = await runCli(quota(server.url), { env, random: half });
    expect(r.code).toBe(0);
    expect(r.waits).toEqual([5000]);
    expect(emulator.requests).toHaveLength(2);
  });

  it('as an HTTP date, counted from the injected clock', async () => {
    emulator.enqueueFault(tooMany({ 'Retry-After': new Date(NOW + 7_000).toUTCString() }));
    const r = await runCli(quota(server.url), { env, random: half, now: NOW });
    expect(r.code).toBe(0);
    expect(r.waits).toEqual([7000]);
  });

  it('wins over the backoff on every retry, and --verbose says the wait', async () => {
    emulator.enqueueFault(tooMany({ 'Retry-After': '2' }));
    emulator.enqueueFault(tooMany({ 'Retry-After': '3' }));
    const r = await runCli(quota(server.url, '--verbose'), { env, random: half });
    expect(r.code).toBe(0);
    expect(r.waits).toEqual([2000, 3000]);
    expect(r.stderr).toContain('attempt 1 of 3 failed (HTTP 429: rate limit exceeded (1002)); retrying in 2.0 s');
    expect(r.stderr).toContain('attempt 2 of 3 failed (HTTP 429: rate limit exceeded (1002)); retrying in 3.0 s');
  });
});

describe('exponential backoff with full jitter', () => {
  const busy: Fault = { kind: 'status', status: 503, body: { error: 'busy' } };

  it('doubles the ceiling each retry: 500, 1000, 2000 … ms, times the random draw', async () => {
    emulator.setFault(busy);
    const r = await runCli(quota(server.url, '--max-retries', '3'), { env, random: half });
    expect(r.code).toBe(1);
    expect(emulator.requests).toHaveLength(4);
    expect(r.waits).toEqual([250, 500, 1000]);
    const high = await runCli(quota(server.url, '--max-retries', '2'), { env, random: () => 0.999 });
    expect(high.waits).toEqual([499, 999]);
  });

  it('the ceiling stops at 8 s', async () => {
    emulator.setFault(busy);
    const r = await runCli(quota(server.url, '--max-retries', '6'), { env, random: half });
    expect(r.waits).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });

  it('no wait, and no retry, for what retrying cannot fix (a used-up quota window)', async () => {
    emulator.setFault({ kind: 'rate-limit' });
    const r = await runCli(quota(server.url), { env, random: half });
    expect(r.code).toBe(4);
    expect(r.waits).toEqual([]);
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('connections that fail before any answer', () => {
  let resetting: Server;
  let resetUrl = '';
  let received = 0;
  beforeAll(async () => {
    // Reads each request whole, then drops the connection without a byte of answer.
    resetting = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.socket?.destroy();
      });
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    resetUrl = `http://127.0.0.1:${(resetting.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => resetting.close(() => resolve())));

  it('a refused connection is retried, with the backoff between tries, then exit 6', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const dead = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await runCli(quota(dead, '--verbose'), { env, random: half });
    expect(r.code).toBe(6);
    expect(r.waits).toEqual([250, 500]);
    expect(r.stderr.match(/attempt \d of 3 failed \(Cannot reach .*connection refused \(ECONNREFUSED\)/g)).toHaveLength(2);
  });

  it('a reset connection is retried: three requests reach the server, with the backoff between them', async () => {
    received = 0;
    const r = await runCli(quota(resetUrl), { env, random: half });
    expect(r.code).toBe(6);
    expect(received).toBe(3);
    expect(r.waits).toEqual([250, 500]);
  });
});
