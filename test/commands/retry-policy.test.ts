/**
 * Retry policies per request, over real loopback sockets: a request that may
 * have created work is never sent again. `refused-only` (paid work) is retried
 * only when the server provably did not take it; `transient` (reads, chat) is
 * retried after resets before a response, but a POST never once its response
 * began.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { type ApiRequest, get, post } from '../../src/api/request.js';
import { shouldRetry } from '../../src/api/retry.js';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { nodeTransport } from '../../src/http/transport.js';
import { runCli } from '../helpers/run-cli.js';

/** A server that reads each request whole, counts it, then resets the connection without answering. */
async function resettingServer(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port with nothing listening: the connection is refused. */
async function deadPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function client(baseUrl: string, attempts: string[] = []): ApiClient {
  const transport = nodeTransport();
  return new ApiClient({
    baseUrl,
    region: 'cn',
    key: EMULATOR_KEYS.cn,
    authStyle: 'auto',
    transport: (request) => {
      attempts.push(`${request.method} ${request.url}`);
      return transport(request);
    },
    timeoutMs: 5_000,
    signal: new AbortController().signal,
    maxRetries: 2,
    sleep: async () => undefined,
    now: () => Date.now(),
    userAgent: 'mmx-test',
  });
}

const paid = (): ApiRequest =>
  post('/v1/video_generation', { json: { model: 'MiniMax-Hailuo-2.3', prompt: 'a cat' } }, { retry: 'refused-only' });

describe('refused-only (paid work)', () => {
  let reset: Awaited<ReturnType<typeof resettingServer>>;
  beforeAll(async () => {
    reset = await resettingServer();
  });
  afterAll(async () => reset.close());

  it('is sent once when the connection resets after the request: exit 6, one request at the server', async () => {
    reset.received.length = 0;
    const error = await client(reset.url)
      .send(paid())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 6 });
    expect(reset.received).toEqual(['POST /v1/video_generation {"model":"MiniMax-Hailuo-2.3","prompt":"a cat"}']);
  });

  it('a transient POST after the same reset is retried (it never got a response)', async () => {
    reset.received.length = 0;
    const chat = post('/anthropic/v1/messages', { json: { model: 'm' } }, { retry: 'transient' });
    await expect(client(reset.url).send(chat)).rejects.toMatchObject({ exitCode: 6 });
    expect(reset.received).toHaveLength(3);
  });

  it('is retried when the connection is refused (the request never left)', async () => {
    const attempts: string[] = [];
    await expect(client(await deadPort(), attempts).send(paid())).rejects.toMatchObject({ exitCode: 6 });
    expect(attempts).toHaveLength(3);
  });
});

describe('refused-only against the emulator', () => {
  let emulator: Emulator;
  let server: EmulatorServer;
  beforeAll(async () => {
    // /v1/token_plan/remains stands in for a paid endpoint: the policy, not the path, decides.
    emulator = createEmulator({ region: 'cn' });
    server = await startEmulatorServer(emulator);
  });
  afterAll(async () => server.close());
  const paidRead = (): ApiRequest => ({ ...get('/v1/token_plan/remains'), retry: 'refused-only' });

  it('a 429 rate-limit answer is proof nothing was created: retried', async () => {
    emulator.reset();
    emulator.enqueueFault({
      kind: 'status',
      status: 429,
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'rate limit (1002)' } },
    });
    const payload = await client(server.url).send(paidRead());
    expect(payload).toMatchObject({ base_resp: { status_code: 0 } });
    expect(emulator.requests).toHaveLength(2);
  });

  it('a 5xx or a 529 may follow created work: not retried', async () => {
    for (const fault of [{ kind: 'overloaded' as const }, { kind: 'status' as const, status: 503, body: { error: 'busy' } }]) {
      emulator.reset();
      emulator.enqueueFault(fault);
      await expect(client(server.url).send(paidRead())).rejects.toBeDefined();
      expect(emulator.requests).toHaveLength(1);
    }
  });

  it('a GET cut after its headers is read again; a POST never', async () => {
    emulator.reset();
    emulator.enqueueFault({ kind: 'cut-stream', afterBytes: 10, abort: true });
    await expect(client(server.url).send(get('/v1/token_plan/remains'))).resolves.toMatchObject({ base_resp: { status_code: 0 } });
    expect(emulator.requests).toHaveLength(2);
  });
});

describe('a non-streamed chat whose response is cut after its headers', () => {
  let emulator: Emulator;
  let server: EmulatorServer;
  beforeAll(async () => {
    emulator = createEmulator({ region: 'cn' });
    server = await startEmulatorServer(emulator);
  });
  afterAll(async () => server.close());

  it('is POSTed once: exit 6, and the message says the request reached the server', async () => {
    emulator.enqueueFault({ kind: 'cut-stream', afterBytes: 20, abort: true });
    const r = await runCli(
      ['text', 'chat', '--message', 'hi', '--output', 'json', '--no-stream', '--region', 'cn', '--base-url', server.url],
      {
        env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn },
      },
    );
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.message).toMatch(/failed while reading the response/);
    expect(emulator.requests.filter((q) => q.path === '/anthropic/v1/messages')).toHaveLength(1);
  });
});

describe('the retry rule', () => {
  const answer = (status: number, apiCode?: number) => ({ kind: 'answer' as const, failure: { status, message: 'x', apiCode } });
  const net = (code: string, responded = false) => ({ kind: 'network' as const, code, responded });

  it.each([
    ['transient', 'POST', answer(529, 2064), true],
    ['transient', 'POST', answer(500, 1033), false],
    ['transient', 'POST', net('ECONNRESET'), true],
    ['transient', 'POST', net('ECONNRESET', true), false],
    ['transient', 'GET', net('ECONNRESET', true), true],
    ['transient', 'GET', net('ENOTFOUND'), false],
    ['refused-only', 'POST', answer(429, 1002), true],
    ['refused-only', 'POST', answer(200, 1002), true],
    ['refused-only', 'POST', answer(429, 2056), false],
    ['refused-only', 'POST', answer(529, 2064), false],
    ['refused-only', 'POST', answer(502), false],
    ['refused-only', 'POST', net('ECONNREFUSED'), true],
    ['refused-only', 'POST', net('EAI_AGAIN'), true],
    ['refused-only', 'POST', net('ECONNRESET'), false],
    ['refused-only', 'POST', net('ETIMEDOUT'), false],
    ['refused-only', 'GET', net('ECONNRESET', true), false],
  ] as const)('%s %s %j → %s', (policy, method, outcome, expected) => {
    expect(shouldRetry(policy, method, outcome)).toBe(expected);
  });
});
