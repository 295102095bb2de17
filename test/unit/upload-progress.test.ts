/**
 * Upload progress: ApiClient reports the bytes of a streamed body handed to the
 * connection (restarting when the body is sent again), and the progress bar can
 * take that callback as it is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { post } from '../../src/api/request.js';
import { Context } from '../../src/cli/context.js';
import { nodeTransport } from '../../src/http/transport.js';
import { startProgress } from '../../src/output/progress.js';
import { memoryDeps } from '../helpers/run-cli.js';

const KEY = 'sk-cp-unit-test-key-1234567890';
const SIZE = 3_000_000;

let server: ReturnType<typeof createServer>;
let base: string;
/** Bodies received, by content-length and bytes; the first of a run can be made to reject Bearer. */
const received: Array<{ declared: number; bytes: number }> = [];
let rejectFirst = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      received.push({ declared: Number(req.headers['content-length']), bytes });
      res.setHeader('content-type', 'application/json');
      if (rejectFirst && received.length === 1) {
        res.end(
          JSON.stringify({ base_resp: { status_code: 1004, status_msg: "Please carry the API secret key in the 'X-Api-Key' field" } }),
        );
      } else {
        res.end(JSON.stringify({ base_resp: { status_code: 0, status_msg: 'success' }, file: { file_id: 1 } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((r) => server.close(() => r())));

function upload() {
  const path = join(mkdtempSync(join(tmpdir(), 'mmx-up-')), 'clip.mp3');
  writeFileSync(path, Buffer.alloc(SIZE, 7));
  return post(
    '/v1/files/upload',
    {
      multipart: [
        { name: 'purpose', value: 'voice_clone' },
        { name: 'file', path },
      ],
    },
    { retry: 'refused-only' },
  );
}

function client(): ApiClient {
  return new ApiClient({
    baseUrl: base,
    region: 'global',
    key: KEY,
    authStyle: 'auto',
    transport: nodeTransport(),
    timeoutMs: 5000,
    signal: new AbortController().signal,
    now: () => 0,
    userAgent: 'mmx-test',
  });
}

describe('onUploadProgress', () => {
  it('counts from 0 to the declared length, never backwards within a send, in several steps', async () => {
    received.length = 0;
    rejectFirst = false;
    const calls: Array<[number, number]> = [];
    await client().send(upload(), { onUploadProgress: (sent, total) => calls.push([sent, total]) });
    const declared = received[0]?.declared as number;
    expect(declared).toBeGreaterThan(SIZE);
    expect(received[0]?.bytes).toBe(declared);
    expect(calls[0]).toEqual([0, declared]);
    expect(calls.at(-1)).toEqual([declared, declared]);
    expect(calls.length).toBeGreaterThan(5); // the file goes out in chunks, each reported
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
  });

  it('restarts at 0 when the body is sent again after an auth switch', async () => {
    received.length = 0;
    rejectFirst = true;
    const calls: Array<[number, number]> = [];
    await client().send(upload(), { onUploadProgress: (sent, total) => calls.push([sent, total]) });
    expect(received).toHaveLength(2);
    const total = received[0]?.declared as number;
    expect(calls.filter(([sent]) => sent === 0)).toHaveLength(2);
    expect(calls.filter(([sent]) => sent === total)).toHaveLength(2);
  });

  it('is optional: a send without it uploads the same bytes', async () => {
    received.length = 0;
    rejectFirst = false;
    await client().send(upload());
    expect(received[0]?.bytes).toBe(received[0]?.declared);
  });

  it('drives the progress bar on a terminal', async () => {
    received.length = 0;
    rejectFirst = false;
    const made = memoryDeps({ stderrTTY: true });
    const ctx = await Context.create(made.deps, { output: 'text' });
    const progress = await startProgress(ctx, { kind: 'transfer', label: 'clip.mp3' });
    try {
      await client().send(upload(), { onUploadProgress: (sent, total) => progress.bytes(sent, total) });
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      progress.stop();
    }
    const frames = made.stderr.text().split('\r').slice(1);
    expect(frames.at(-2)).toMatch(/^clip\.mp3 \[█{20}\] 100% {2}3\.0 MB \/ 3\.0 MB/);
    expect(frames.at(-1)).toBe('\u001b[K');
  });
});
