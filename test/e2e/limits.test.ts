/**
 * Responses that never end, over real sockets: a JSON body, an SSE line, an answer. Each is
 * cut at its limit (small ones here, through Deps.limits) with exit 1 "Response too large"
 * naming the limit, and its connection is closed: never a process that grows until V8 aborts.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, formatAmount } from '../../src/api/limits.js';
import { type RawServer, startRawServer } from '../helpers/raw-server.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = 'sk-cp-limits-0123456789abcdefghij';
const KIB = 1024;

let server: RawServer;
let base = '';
/** Bytes the server managed to write for the last answer. */
let written = 0;
beforeAll(async () => {
  server = await startRawServer();
  base = server.url;
});
afterAll(() => server.close());

/** Sets what the server answers. */
function respond(answer: RawServer['respond']): void {
  server.respond = (req, res) => {
    written = 0;
    answer(req, res);
  };
}

/** Writes `first`, then `piece` again and again, as fast as the client reads, until the client leaves. */
function endless(res: ServerResponse, first: string, piece: string): void {
  const chunk = Buffer.from(piece.repeat(Math.max(1, Math.floor((16 * KIB) / piece.length))));
  const pump = () => {
    while (!res.destroyed) {
      written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
  };
  res.write(first);
  pump();
}

const SSE = { 'content-type': 'text/event-stream' };
const START =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"m1","type":"message","role":"assistant","model":"MiniMax-M3","content":[],"usage":{}}}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
const DELTA =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"all work and no play "}}\n\n';

const chat = (...extra: string[]) => [
  'text',
  'chat',
  '--message',
  'hi',
  '--api-key',
  KEY,
  '--base-url',
  base,
  '--max-retries',
  '0',
  ...extra,
];

describe('the limits', () => {
  it('are far above any answer: 64 MiB of body, 16 Mi characters per SSE event, 256 Mi per answer', () => {
    expect(formatAmount(DEFAULT_LIMITS.bodyBytes, 'bytes')).toBe('64 MiB');
    expect(formatAmount(DEFAULT_LIMITS.sseEventChars, 'characters')).toBe('16 Mi characters');
    expect(formatAmount(DEFAULT_LIMITS.answerChars, 'characters')).toBe('256 Mi characters');
  });
});

describe('a response that never ends is cut at its limit: exit 1, the connection closed', () => {
  it('an endless JSON body (a chat without --stream)', async () => {
    respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      endless(res, '{"type":"message","content":[{"type":"text","text":"', 'x');
    });
    const r = await runCli(chat('--no-stream', '--output', 'json'), { limits: { bodyBytes: 256 * KIB } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.message).toBe(`Response too large: the answer from ${base} passed 256 KiB, mmx's limit.`);
    expect(r.stdout).toBe('');
    await server.closed;
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a large but finite JSON answer past the limit (it parsed and printed before)', async () => {
    const text = 'y'.repeat(600 * KIB);
    respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'message', content: [{ type: 'text', text }], base_resp: { status_code: 0 } }));
    });
    const r = await runCli(chat('--no-stream', '--output', 'text'), { limits: { bodyBytes: 512 * KIB } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Response too large: the answer from');
    expect(r.stderr).toContain('passed 512 KiB');
  });

  it('an endless error page (HTTP 500)', async () => {
    respond((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      endless(res, '<html>', 'oops ');
    });
    const r = await runCli(['quota', '--api-key', KEY, '--base-url', base, '--max-retries', '0', '--output', 'json'], {
      limits: { bodyBytes: 128 * KIB },
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.message).toContain('passed 128 KiB');
    await server.closed;
  });

  it('an endless SSE line', async () => {
    respond((_req, res) => {
      res.writeHead(200, SSE);
      endless(res, `${START}data: `, 'z');
    });
    const r = await runCli(chat('--stream', '--output', 'json'), { limits: { sseEventChars: 64 * KIB } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({
      code: 1,
      message: "Response too large: one event of the stream passed 64 Ki characters, mmx's limit.",
      partial_text: '',
    });
    await server.closed;
  });

  it('an endless event of short data lines (never a blank line to end it)', async () => {
    respond((_req, res) => {
      res.writeHead(200, SSE);
      endless(res, `${START}event: content_block_delta\n`, 'data: more\n');
    });
    const r = await runCli(chat('--stream', '--output', 'json'), { limits: { sseEventChars: 64 * KIB } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.message).toContain('one event of the stream passed 64 Ki characters');
  });

  for (const output of ['json', 'text']) {
    it(`an endless answer, event by valid event (--output ${output})`, async () => {
      respond((_req, res) => {
        res.writeHead(200, SSE);
        endless(res, START, DELTA);
      });
      const r = await runCli(chat('--stream', '--output', output), { limits: { answerChars: 256 * KIB } });
      expect(r.code).toBe(1);
      const message = "Response too large: the streamed answer passed 256 Ki characters, mmx's limit.";
      if (output === 'json') {
        expect(JSON.parse(r.stderr).error).toEqual({ code: 1, message, hint: expect.any(String) });
        expect(r.stdout).toBe('');
      } else {
        expect(r.stderr).toContain(`Error: ${message}`);
        expect(r.stdout.startsWith('all work and no play all work')).toBe(true);
        expect(r.stdout.length).toBeLessThanOrEqual(256 * KIB + 1);
      }
      await server.closed;
    });
  }

  it('an answer well under the limits is untouched', async () => {
    respond((_req, res) => {
      res.writeHead(200, SSE);
      res.end(
        `${START}${DELTA.repeat(100)}event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`,
      );
    });
    const r = await runCli(chat('--stream', '--output', 'json'), { limits: { sseEventChars: 4 * KIB, answerChars: 4 * KIB } });
    expect(r.code).toBe(0);
    expect(r.json().content).toBe('all work and no play '.repeat(100));
  });
});
