/**
 * Compressed answers over real sockets. mmx asks for none (accept-encoding: identity); what a
 * proxy compresses anyway is decoded as it streams (gzip, deflate, br), and anything else, or a
 * corrupt body, is exit 1 saying so, never garbage on stdout.
 */
import { brotliCompressSync, constants, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawServer, startRawServer } from '../helpers/raw-server.js';
import { run } from '../../src/cli.js';
import { memoryDeps, runCli } from '../helpers/run-cli.js';

const KEY = 'sk-cp-encoding-0123456789abcdefghij';
let server: RawServer;
beforeAll(async () => {
  server = await startRawServer();
});
afterAll(() => server.close());

const MESSAGE = JSON.stringify({
  id: 'm1',
  type: 'message',
  role: 'assistant',
  model: 'MiniMax-M3',
  content: [{ type: 'text', text: 'decoded fine' }],
  stop_reason: 'end_turn',
  usage: {},
  base_resp: { status_code: 0, status_msg: 'success' },
});
const chat = (...extra: string[]) => [
  'text',
  'chat',
  '--message',
  'hi',
  '--api-key',
  KEY,
  '--base-url',
  server.url,
  '--max-retries',
  '0',
  ...extra,
];
const answerWith = (encoding: string, body: Buffer, contentType = 'application/json') => {
  server.respond = (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-encoding': encoding });
    res.end(body);
  };
};

describe('compressed answers', () => {
  it('the request asks for no compression', async () => {
    answerWith('identity', Buffer.from(MESSAGE));
    const r = await runCli(chat('--no-stream', '--output', 'text'));
    expect(r.code).toBe(0);
    expect(server.lastHeaders['accept-encoding']).toBe('identity');
  });

  it.each<[string, Buffer]>([
    ['gzip', gzipSync(MESSAGE)],
    ['x-gzip', gzipSync(MESSAGE)],
    ['deflate', deflateSync(MESSAGE)],
    ['br', brotliCompressSync(MESSAGE)],
    ['gzip, br', brotliCompressSync(gzipSync(MESSAGE))],
  ])('%s is decoded', async (encoding, body) => {
    answerWith(encoding, body);
    const r = await runCli(chat('--no-stream', '--output', 'text'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('decoded fine\n');
  });

  it('a gzip event stream is decoded as it arrives (the first event before the last is sent)', async () => {
    let finish: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (finish = resolve));
    server.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
      gzip.pipe(res);
      const event = (name: string, data: unknown) => gzip.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      event('message_start', {
        type: 'message_start',
        message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], usage: {} },
      });
      event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'streamed ' } });
      void rest.then(() => {
        event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'and decoded' } });
        event('message_stop', { type: 'message_stop' });
        gzip.end();
      });
    };
    const { deps, stdout } = memoryDeps({ stdoutTTY: true, env: { CI: '1' } });
    const code = run(chat('--stream', '--output', 'text'), deps);
    // The first text shows while the server still holds the rest back.
    for (let i = 0; i < 100 && stdout.text() === ''; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stdout.text()).toBe('streamed ');
    finish();
    expect(await code).toBe(0);
    expect(stdout.text()).toBe('streamed and decoded\n');
  });

  it('a coding mmx cannot read is exit 1 naming it, nothing printed', async () => {
    answerWith('zstd', Buffer.from('(zstd bytes)'));
    const r = await runCli(chat('--no-stream', '--output', 'json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error).toEqual({
      code: 1,
      message: 'The server sent its answer compressed with "zstd", which mmx cannot read.',
      hint: 'mmx asks for no compression (accept-encoding: identity); a proxy or gateway on the way compressed it.',
    });
  });

  it('a corrupt gzip body is exit 1 (the server’s fault), not a network error', async () => {
    answerWith('gzip', Buffer.from('this is not gzip at all'));
    const r = await runCli(chat('--no-stream', '--output', 'json'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.message).toBe(
      "The server's gzip-compressed answer is corrupt: incorrect header check (Z_DATA_ERROR).",
    );
  });

  it('a decompression bomb is cut at the body limit (decoded bytes count)', async () => {
    answerWith('gzip', gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x61)));
    const r = await runCli(chat('--no-stream', '--output', 'json'), { limits: { bodyBytes: 1024 * 1024 } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.message).toContain('passed 1 MiB');
  });
});
