/**
 * Body reads bounded by --idle-timeout and Ctrl-C, over real sockets: a server
 * that stalls for good must not hold the reader (or the connection) open.
 */
import { type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { messages } from '../../src/api/resources/messages.js';
import { InterruptedError, NetworkError, TimeoutError } from '../../src/errors.js';
import { consumeBounded, idleBounded } from '../../src/http/idle.js';
import { nodeTransport } from '../../src/http/transport.js';

let server: ReturnType<typeof createServer>;
let base: string;
const sockets = new Set<Socket>();
/** Resolves when the server sees the client's connection close. */
let closed: Promise<void>;

beforeAll(async () => {
  server = createServer((req, res: ServerResponse) => {
    closed = new Promise((r) => req.socket.once('close', () => r()));
    if (req.url === '/many') {
      // 40 chunks of 16 KiB, each written when the client's socket takes it.
      res.writeHead(200, { 'content-length': String(40 * 16384) });
      let sent = 0;
      const more = () => {
        while (sent < 40) {
          sent++;
          if (!res.write(Buffer.alloc(16384, 120))) return void res.once('drain', more);
        }
        res.end();
      };
      more();
      return;
    }
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('x'.repeat(10), () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    // Ten bytes (or one SSE event), then silence for good.
    const sse = req.url?.startsWith('/anthropic');
    res.writeHead(200, sse ? { 'content-type': 'text/event-stream' } : { 'content-length': '100' });
    res.write(sse ? 'event: ping\ndata: {"type":"ping"}\n\n' : 'x'.repeat(10));
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const bound = (signal: AbortSignal, idleMs = 100) => ({
  idleMs,
  signal,
  idle: () => new TimeoutError('idle'),
  failed: (error: unknown) => new NetworkError('cut', { cause: error }),
});

async function drain(body: AsyncIterable<Uint8Array>): Promise<{ bytes: number; error: unknown; ms: number }> {
  const started = performance.now();
  let bytes = 0;
  try {
    for await (const chunk of body) bytes += chunk.byteLength;
    return { bytes, error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { bytes, error, ms: performance.now() - started };
  }
}

describe('idleBounded', () => {
  it('a server that stalls for good: the idle error after idleMs, and the connection is closed', async () => {
    const response = await nodeTransport()({ method: 'GET', url: `${base}/stall`, headers: {} });
    const r = await drain(idleBounded(response.body, bound(new AbortController().signal)));
    expect(r.bytes).toBe(10);
    expect(r.error).toBeInstanceOf(TimeoutError);
    expect(r.ms).toBeLessThan(1000);
    await closed;
  });

  it('Ctrl-C: InterruptedError at once, and the connection is closed', async () => {
    const controller = new AbortController();
    const response = await nodeTransport()({ method: 'GET', url: `${base}/stall`, headers: {} });
    setTimeout(() => controller.abort(), 30);
    const r = await drain(idleBounded(response.body, bound(controller.signal, 60_000)));
    expect(r.error).toBeInstanceOf(InterruptedError);
    expect(r.ms).toBeLessThan(1000);
    await closed;
  });

  it('a body cut by the server is the caller’s error, with the cause', async () => {
    const response = await nodeTransport()({ method: 'GET', url: `${base}/cut`, headers: {} });
    const r = await drain(idleBounded(response.body, bound(new AbortController().signal, 5000)));
    expect(r.bytes).toBe(10);
    expect(r.error).toBeInstanceOf(NetworkError);
  });
});

describe('ApiClient streams', () => {
  it('a stream that stalls for good ends with exit 5 after --idle-timeout, not never', async () => {
    const client = new ApiClient({
      baseUrl: base,
      region: 'cn',
      key: 'sk-cp-unit-test-key-1234567890',
      authStyle: 'auto',
      transport: nodeTransport(),
      timeoutMs: 5000,
      idleTimeoutMs: 150,
      signal: new AbortController().signal,
      now: () => 0,
      userAgent: 'mmx-test',
    });
    const response = await client.open(messages.stream({ model: 'm', max_tokens: 1, messages: [] }));
    const r = await drain(response.body);
    expect(r.error).toBeInstanceOf(TimeoutError);
    expect((r.error as TimeoutError).message).toContain('--idle-timeout');
    expect(r.ms).toBeLessThan(2000);
    await closed;
  });
});

/** consumeBounded over the same server: chunk by chunk in the data event, with the same bounds. */
async function consume(
  path: string,
  b: ReturnType<typeof bound>,
  onChunk: (chunk: Uint8Array) => Promise<void> | undefined | 'stop' = () => undefined,
): Promise<{ bytes: number; error: unknown; ms: number }> {
  const response = await nodeTransport()({ method: 'GET', url: `${base}${path}`, headers: {} });
  const started = performance.now();
  let bytes = 0;
  try {
    await consumeBounded(response.body, b, (chunk) => {
      bytes += chunk.byteLength;
      return onChunk(chunk);
    });
    return { bytes, error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { bytes, error, ms: performance.now() - started };
  }
}

describe('consumeBounded', () => {
  it('reads a whole body, and resolves at its end', async () => {
    const r = await consume('/many', bound(new AbortController().signal, 5000));
    expect(r).toMatchObject({ bytes: 40 * 16384, error: undefined });
  });

  it('a server that stalls for good: the idle error after idleMs, and the connection is closed', async () => {
    const r = await consume('/stall', bound(new AbortController().signal));
    expect(r.bytes).toBe(10);
    expect(r.error).toBeInstanceOf(TimeoutError);
    expect(r.ms).toBeLessThan(1000);
    await closed;
  });

  it('Ctrl-C: InterruptedError at once, and the connection is closed', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const r = await consume('/stall', bound(controller.signal, 60_000));
    expect(r.error).toBeInstanceOf(InterruptedError);
    expect(r.ms).toBeLessThan(1000);
    await closed;
  });

  it('a body cut by the server is the caller’s error', async () => {
    const r = await consume('/cut', bound(new AbortController().signal, 5000));
    expect(r.bytes).toBe(10);
    expect(r.error).toBeInstanceOf(NetworkError);
  });

  it('a reader that returns a promise pauses the body until it settles; a slow reader is not an idle server', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const r = await consume('/many', bound(new AbortController().signal, 60), () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Slower than the idle bound, every time: the timer must not run while the reader is busy.
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          inFlight--;
          resolve();
        }, 80),
      );
    });
    expect(r.error).toBeUndefined();
    expect(r.bytes).toBe(40 * 16384);
    // No chunk is handed over while the previous one is still being written.
    expect(maxInFlight).toBe(1);
  });

  it("'stop' ends the read at once and closes the connection; what the reader throws is the error", async () => {
    const stopped = await consume('/stall', bound(new AbortController().signal, 60_000), () => 'stop');
    expect(stopped).toMatchObject({ bytes: 10, error: undefined });
    await closed;
    const boom = new Error('bad event');
    const thrown = await consume('/stall', bound(new AbortController().signal, 60_000), () => {
      throw boom;
    });
    expect(thrown.error).toBe(boom);
    await closed;
  });
});
