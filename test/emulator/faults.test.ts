import { describe, it, expect } from 'vitest';
import { createEmulator, EMULATOR_KEYS, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { parseSse } from '../helpers/sse-text.js';

/** `Response.json()` is typed `unknown`; tests poke into bodies freely. */
async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

const BASE = 'http://emulator.test';
const HEX32 = /^0[0-9a-f]{31}$/;
const AUTH = { authorization: `Bearer ${EMULATOR_KEYS.cn}` };

/** A sleep that records every delay and resolves at once, so delay faults are checked without waiting. */
function recordingSleep() {
  const calls: number[] = [];
  return { calls, sleep: async (ms: number) => void calls.push(ms) };
}

function emulatorWith(options: EmulatorOptions = {}) {
  const sleeper = recordingSleep();
  const emulator = createEmulator({ region: 'cn', sleep: sleeper.sleep, ...options });
  return { emulator, sleeps: sleeper.calls };
}

function chat(emulator: Emulator, stream = true, text = 'stream me a reasonably long answer please'): Promise<Response> {
  return emulator.handle(
    new Request(`${BASE}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify({ model: 'MiniMax-M2.7', stream, messages: [{ role: 'user', content: text }] }),
    }),
  );
}

function quota(emulator: Emulator): Promise<Response> {
  return emulator.handle(new Request(`${BASE}/v1/token_plan/remains`, { headers: AUTH }));
}

async function chunksOf(res: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

describe('response-replacing faults', () => {
  it('rate-limit: 429 on /anthropic with the 2056 message and a reset time from the clock', async () => {
    const now = Date.UTC(2026, 4, 15, 11, 20);
    const { emulator } = emulatorWith({ now: () => now });
    emulator.enqueueFault({ kind: 'rate-limit' });
    const res = await chat(emulator, false);
    expect(res.status).toBe(429);
    const body = await json(res);
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.error.message).toMatch(
      /^usage limit exceeded, 5-hour usage limit reached for Token Plan Starter \(0\/0 used\), resets at \d{4}-\d\d-\d\dT\d\d:00:00Z \(2056\)$/,
    );
    const resetsAt = Date.parse(/resets at (\S+)/.exec(body.error.message)![1]!);
    expect(resetsAt).toBeGreaterThan(now);
    expect(resetsAt - now).toBeLessThanOrEqual(5 * 3_600_000);
    expect(body.request_id).toMatch(HEX32);
    // One-shot: the next request succeeds.
    expect((await chat(emulator, false)).status).toBe(200);
  });

  it('rate-limit on a /v1 path is HTTP 200 base_resp 2056', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'rate-limit' });
    const res = await quota(emulator);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.base_resp.status_code).toBe(2056);
    expect(body.base_resp.status_msg).toContain('usage limit exceeded');
  });

  it('overloaded: 529 overloaded_error (2064) (529)', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'overloaded' });
    const res = await chat(emulator);
    expect(res.status).toBe(529);
    expect((await json(res)).error).toEqual({
      type: 'overloaded_error',
      message: 'The server cluster is currently under high load, please retry later (2064) (529)',
    });
  });

  it.each([
    [1000, 'unknown error (1000)'],
    [1033, 'system error (1033)'],
  ] as const)('server-error %i: 500 api_error', async (code, message) => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'server-error', code });
    const res = await chat(emulator, false);
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual({
      type: 'error',
      error: { type: 'api_error', message },
      request_id: expect.stringMatching(HEX32),
    });
  });

  it('non-json: 200 with an HTML body', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'non-json' });
    const res = await chat(emulator, false);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
    const text = await res.text();
    expect(text).toContain('<html>');
    expect(() => JSON.parse(text)).toThrow();
  });

  it('status: an arbitrary canned response', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'status', status: 503, body: 'upstream down', contentType: 'text/plain' });
    emulator.enqueueFault({ kind: 'status', status: 402, body: { error: 'pay' } });
    emulator.enqueueFault({ kind: 'status', status: 204 });
    const a = await quota(emulator);
    expect(a.status).toBe(503);
    expect(a.headers.get('content-type')).toBe('text/plain');
    expect(await a.text()).toBe('upstream down');
    const b = await quota(emulator);
    expect(b.status).toBe(402);
    expect(await json(b)).toEqual({ error: 'pay' });
    const c = await quota(emulator);
    expect(c.status).toBe(204);
    expect(c.headers.get('trace-id')).toMatch(HEX32);
  });

  it('fires before auth and still records the request', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'overloaded' });
    const res = await emulator.handle(new Request(`${BASE}/anthropic/v1/messages`, { method: 'POST', body: '{}' }));
    expect(res.status).toBe(529);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]?.authStyle).toBe('none');
  });
});

describe('fault scheduling', () => {
  it('queued faults are consumed in order, one entry per request', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'rate-limit' });
    emulator.enqueueFault({ kind: 'overloaded' });
    expect((await chat(emulator, false)).status).toBe(429);
    expect((await chat(emulator, false)).status).toBe(529);
    expect((await chat(emulator, false)).status).toBe(200);
  });

  it('a path-scoped fault waits for a matching request', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'server-error', code: 1033, path: '/anthropic/v1/messages' });
    expect((await quota(emulator)).status).toBe(200);
    expect((await chat(emulator, false)).status).toBe(500);
    expect((await chat(emulator, false)).status).toBe(200);
  });

  it('prefix scopes end with *', async () => {
    const { emulator } = emulatorWith();
    emulator.setFault({ kind: 'overloaded', path: '/anthropic/*' });
    expect((await quota(emulator)).status).toBe(200);
    expect((await chat(emulator, false)).status).toBe(529);
    expect((await chat(emulator, false)).status).toBe(529);
  });

  it('setFault persists until clearFaults; reset clears too', async () => {
    const { emulator } = emulatorWith();
    emulator.setFault({ kind: 'server-error', code: 1000 });
    emulator.setFault({ kind: 'server-error', code: 1033 }); // replaces the previous one of the same kind
    expect(await json(chat(emulator, false))).toMatchObject({ error: { message: 'system error (1033)' } });
    expect((await chat(emulator, false)).status).toBe(500);
    emulator.clearFaults();
    expect((await chat(emulator, false)).status).toBe(200);
    emulator.setFault({ kind: 'overloaded' });
    emulator.reset();
    expect((await chat(emulator, false)).status).toBe(200);
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('transport faults', () => {
  it('cut-stream: default cut after the first text delta, no message_stop', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'cut-stream' });
    const frames = parseSse(await (await chat(emulator)).text());
    expect(frames.at(-1)?.data.delta?.type).toBe('text_delta');
    expect(frames.filter((f) => f.data.delta?.type === 'text_delta')).toHaveLength(1);
    expect(frames.some((f) => f.event === 'message_stop')).toBe(false);
  });

  it('cut-stream afterEvents / afterBytes', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'cut-stream', afterEvents: 3 });
    const frames = parseSse(await (await chat(emulator)).text());
    expect(frames.map((f) => f.event)).toEqual(['message_start', 'ping', 'content_block_start']);

    emulator.enqueueFault({ kind: 'cut-stream', afterBytes: 50 });
    const bytes = (await chunksOf(await chat(emulator))).reduce((n, c) => n + c.length, 0);
    expect(bytes).toBe(50);

    emulator.enqueueFault({ kind: 'cut-stream', afterBytes: 10 });
    const json = await (await chat(emulator, false)).text();
    expect(json).toHaveLength(10);
  });

  it('cut-stream abort errors the body', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'cut-stream', afterEvents: 2, abort: true });
    const res = await chat(emulator);
    await expect(res.text()).rejects.toThrow(/connection cut/);
  });

  it('stall-stream: the events through the n-th text delta, then nothing and no end, until the reader cancels', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'stall-stream', afterTextDeltas: 2 });
    const reader = (await chat(emulator)).body!.getReader();
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const next = await Promise.race([reader.read(), new Promise<'stalled'>((resolve) => setTimeout(() => resolve('stalled'), 50))]);
      if (next === 'stalled') break;
      expect(next.done).toBe(false);
      text += decoder.decode(next.value);
    }
    const frames = parseSse(text);
    expect(frames.filter((f) => f.data.delta?.type === 'text_delta')).toHaveLength(2);
    expect(frames.at(-1)?.data.delta?.type).toBe('text_delta');
    await reader.cancel();
  });

  it('stream-error: an error event after some text, then the stream ends', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'stream-error', afterTextDeltas: 2 });
    const res = await chat(emulator);
    expect(res.status).toBe(200);
    const frames = parseSse(await res.text());
    expect(frames.filter((f) => f.data.delta?.type === 'text_delta')).toHaveLength(2);
    expect(frames.at(-1)).toEqual({
      event: 'error',
      data: {
        type: 'error',
        error: {
          type: 'overloaded_error',
          message: 'The server cluster is currently under high load, please retry later (2064)',
        },
      },
    });
  });

  it('slow-first-byte delays the response through the injected sleep', async () => {
    const { emulator, sleeps } = emulatorWith();
    emulator.enqueueFault({ kind: 'slow-first-byte', ms: 1234 });
    expect((await chat(emulator, false)).status).toBe(200);
    expect(sleeps).toEqual([1234]);
  });

  it('slow-stream sleeps between every event (lazily, as the body is read)', async () => {
    const { emulator, sleeps } = emulatorWith();
    emulator.enqueueFault({ kind: 'slow-stream', ms: 25 });
    const res = await chat(emulator);
    expect(sleeps).toEqual([]);
    const frames = parseSse(await res.text());
    expect(sleeps).toHaveLength(frames.length - 1);
    expect(new Set(sleeps)).toEqual(new Set([25]));
  });

  it('slow-stream really waits with the default sleep', async () => {
    const emulator = createEmulator({ region: 'cn', textDeltaSize: 1000 });
    emulator.enqueueFault({ kind: 'slow-stream', ms: 15 });
    const started = Date.now();
    const frames = parseSse(await (await chat(emulator, true, 'hi')).text());
    expect(Date.now() - started).toBeGreaterThanOrEqual(15 * (frames.length - 1) - 5);
  });

  it('chunking: exact-size chunks that split lines and UTF-8 sequences', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'chunking', bytes: 7 });
    const res = await chat(emulator, true, '你好');
    const chunks = await chunksOf(res);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.slice(0, -1).every((c) => c.length === 7)).toBe(true);
    expect(chunks.at(-1)!.length).toBeLessThanOrEqual(7);
    const decodedSeparately = chunks.map((c) => new TextDecoder('utf-8', { fatal: false }).decode(c)).join('');
    expect(decodedSeparately).toContain('\uFFFD'); // some multi-byte character was split
    const whole = Buffer.concat(chunks).toString('utf8');
    const text = parseSse(whole)
      .filter((f) => f.data.delta?.type === 'text_delta')
      .map((f) => f.data.delta.text)
      .join('');
    expect(text).toBe('你好！我是 MiniMax 模拟器。有什么可以帮你的？');
  });

  it('chunking also applies to JSON bodies', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'chunking', bytes: 5 });
    const chunks = await chunksOf(await quota(emulator));
    expect(chunks.slice(0, -1).every((c) => c.length === 5)).toBe(true);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).base_resp.status_code).toBe(0);
  });

  it('crlf: every SSE line ends with CRLF', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault({ kind: 'crlf' });
    const raw = await (await chat(emulator)).text();
    expect(raw.replace(/\r\n/g, '')).not.toContain('\n');
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
    expect(parseSse(raw).at(-1)?.event).toBe('message_stop');
  });

  it('faults compose: chunking + crlf + slow-stream as one queued entry', async () => {
    const { emulator, sleeps } = emulatorWith();
    emulator.enqueueFault([{ kind: 'chunking', bytes: 3 }, { kind: 'crlf' }, { kind: 'slow-stream', ms: 5 }]);
    const chunks = await chunksOf(await chat(emulator));
    expect(chunks.slice(0, -1).every((c) => c.length === 3)).toBe(true);
    expect(sleeps).toHaveLength(chunks.length - 1);
    const raw = Buffer.concat(chunks).toString('utf8');
    expect(raw).toContain('\r\n\r\n');
    expect(parseSse(raw).at(-1)?.event).toBe('message_stop');
    // The entry was consumed as a whole.
    const next = await (await chat(emulator)).text();
    expect(next).not.toContain('\r');
  });

  it('stream-only faults leave JSON responses intact', async () => {
    const { emulator } = emulatorWith();
    emulator.enqueueFault([{ kind: 'crlf' }, { kind: 'stream-error' }]);
    const body = await json(chat(emulator, false));
    expect(body.type).toBe('message');
  });
});
