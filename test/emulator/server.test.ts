import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  createEmulator,
  EMULATOR_KEYS,
  EMULATOR_OAUTH_CLIENT_ID,
  main,
  parseEmulatorArgs,
  startEmulatorServer,
  type EmulatorServer,
} from '../../src/emulator/index.js';

/** `Response.json()` is typed `unknown`; tests poke into bodies freely. */
async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

const AUTH = { authorization: `Bearer ${EMULATOR_KEYS.cn}` };

interface TimedChunk {
  at: number;
  bytes: Uint8Array;
}

async function readTimed(res: Response): Promise<TimedChunk[]> {
  const chunks: TimedChunk[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push({ at: performance.now(), bytes: value });
  }
}

function streamRequest(url: string, text = 'hello over a real socket') {
  return fetch(`${url}/anthropic/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({ model: 'MiniMax-M2.7', stream: true, messages: [{ role: 'user', content: text }] }),
  });
}

async function withServer<T>(emulator: ReturnType<typeof createEmulator>, run: (server: EmulatorServer) => Promise<T>): Promise<T> {
  const server = await startEmulatorServer(emulator);
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

describe('startEmulatorServer', () => {
  it('serves JSON on loopback and records the request', async () => {
    const emulator = createEmulator({ region: 'cn' });
    await withServer(emulator, async (server) => {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const res = await fetch(`${server.url}/v1/token_plan/remains?x=1`, { headers: AUTH });
      expect(res.status).toBe(200);
      expect(res.headers.get('trace-id')).toMatch(/^0[0-9a-f]{31}$/);
      expect((await json(res)).base_resp.status_code).toBe(0);
      expect(emulator.requests[0]).toMatchObject({ path: '/v1/token_plan/remains', query: { x: '1' }, authStyle: 'bearer' });
      const cn1033 = await fetch(`${server.url}/anthropic/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': EMULATOR_KEYS.cn },
        body: JSON.stringify({ model: 'MiniMax-M2.7', messages: [{ role: 'user', content: '你好' }] }),
      });
      expect(cn1033.status).toBe(500);
      expect(emulator.requests[1]?.body).toMatchObject({ model: 'MiniMax-M2.7' });
    });
  });

  it('sends Trace-Id as MiniMax spells it and a Content-Length on JSON bodies', async () => {
    const emulator = createEmulator({ region: 'cn' });
    await withServer(emulator, async (server) => {
      const raw = await new Promise<string[]>((resolve, reject) => {
        const req = httpRequest(`${server.url}/v1/token_plan/remains`, { headers: AUTH }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.rawHeaders));
        });
        req.on('error', reject);
        req.end();
      });
      expect(raw).toContain('Trace-Id');
      expect(raw).toContain('Content-Length');
    });
  });

  it('streams incrementally with slow-stream', async () => {
    const emulator = createEmulator({ region: 'cn' });
    emulator.enqueueFault({ kind: 'slow-stream', ms: 40 });
    await withServer(emulator, async (server) => {
      const started = performance.now();
      const res = await streamRequest(server.url);
      const headersAt = performance.now();
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const chunks = await readTimed(res);
      expect(chunks.length).toBeGreaterThan(5);
      // Headers and the first event arrive long before the stream ends.
      const lastAt = chunks.at(-1)!.at;
      expect(headersAt - started).toBeLessThan(lastAt - started - 150);
      expect(lastAt - chunks[0]!.at).toBeGreaterThanOrEqual(40 * (chunks.length - 1) * 0.8);
      const raw = Buffer.concat(chunks.map((c) => c.bytes)).toString('utf8');
      expect(raw.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
    });
  });

  it('delivers exactly-sized chunks with the chunking fault', async () => {
    const emulator = createEmulator({ region: 'cn' });
    // The small delay keeps TCP from coalescing writes, so each chunk is observable on its own.
    emulator.enqueueFault([
      { kind: 'chunking', bytes: 64 },
      { kind: 'slow-stream', ms: 15 },
    ]);
    await withServer(emulator, async (server) => {
      const chunks = await readTimed(await streamRequest(server.url, '你好'));
      expect(chunks.length).toBeGreaterThan(10);
      expect(chunks.slice(0, -1).every((c) => c.bytes.length === 64)).toBe(true);
      expect(chunks.at(-1)!.bytes.length).toBeLessThanOrEqual(64);
      expect(Buffer.concat(chunks.map((c) => c.bytes)).toString('utf8')).toContain('你好！我是 MiniMax');
    });
  });

  it('drops the connection for cut-stream with abort', async () => {
    const emulator = createEmulator({ region: 'cn' });
    emulator.enqueueFault({ kind: 'cut-stream', afterEvents: 3, abort: true });
    await withServer(emulator, async (server) => {
      const res = await streamRequest(server.url);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
    });
  });

  it('close() does not hang with a kept-alive idle socket and a stalled stream', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const server = await startEmulatorServer(emulator);
    // A kept-alive idle socket.
    await (await fetch(`${server.url}/nope`)).text();
    // A stream stalled for a long time after its first event.
    emulator.enqueueFault({ kind: 'slow-stream', ms: 60_000 });
    const stalled = new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/anthropic/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...AUTH },
      });
      req.on('response', (res) => {
        res.once('data', () => resolve(res.statusCode ?? 0));
        res.on('error', () => undefined);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'MiniMax-M2.7', stream: true, messages: [{ role: 'user', content: 'x' }] }));
    });
    expect(await stalled).toBe(200);
    await server.close(); // a hang here fails the test by its timeout
    await server.close(); // idempotent
    await expect(fetch(`${server.url}/nope`)).rejects.toThrow();
  });

  it('listens on a requested port', async () => {
    const probe = await startEmulatorServer(createEmulator());
    const port = probe.port;
    await probe.close();
    const server = await startEmulatorServer(createEmulator(), { port });
    try {
      expect(server.port).toBe(port);
    } finally {
      await server.close();
    }
  });
});

describe('mmx-emulator main()', () => {
  function io(signal?: AbortSignal) {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: (s: string) => err.push(s) },
        ...(signal ? { signal } : {}),
      },
    };
  }

  it('prints the listening line and demo keys, serves until stopped', async () => {
    const controller = new AbortController();
    const capture = io(controller.signal);
    let url = '';
    const done = main(['--region', 'global', '--quota-era=count'], {
      ...capture.io,
      onListening: (server) => {
        url = server.url;
      },
    });
    await expect.poll(() => url).not.toBe('');
    const firstLine = capture.out.join('').split('\n')[0];
    expect(firstLine).toMatch(/^MiniMax emulator \(global\) listening on http:\/\/127\.0\.0\.1:\d+$/);
    for (const key of Object.values(EMULATOR_KEYS)) expect(capture.out.join('')).toContain(key);

    const res = await fetch(`${url}/v1/token_plan/remains`, { headers: { 'x-api-key': EMULATOR_KEYS.global } });
    const body = await json(res);
    expect(body.model_remains[0].model_name).toBe('MiniMax-M*');

    controller.abort();
    expect(await done).toBe(0);
    await expect(fetch(`${url}/nope`)).rejects.toThrow();
  });

  it('stops on SIGTERM without exiting the process', async () => {
    const capture = io();
    const listenersBefore = process.listenerCount('SIGTERM');
    let listening = false;
    const done = main([], { ...capture.io, onListening: () => (listening = true) });
    await expect.poll(() => listening).toBe(true);
    process.emit('SIGTERM');
    expect(await done).toBe(0);
    expect(capture.err.join('')).toContain('SIGTERM');
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
  });

  it('--oauth-auto-approve: a login code is approved at its first poll, and it says where the account host is', async () => {
    const controller = new AbortController();
    const capture = io(controller.signal);
    let url = '';
    const done = main(['--region', 'cn', '--oauth-auto-approve'], { ...capture.io, onListening: (server) => (url = server.url) });
    await expect.poll(() => url).not.toBe('');
    expect(capture.out.join('')).toContain(
      `OAuth: it is also the account host (MINIMAX_CN_ACCOUNT_URL=${url}); login codes are approved at their first poll.`,
    );
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: EMULATOR_OAUTH_CLIENT_ID, ...fields }).toString(),
    });
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await json(
      fetch(
        `${url}/oauth2/device/code`,
        form({ scope: 'openid profile coding_plan', code_challenge: challenge, code_challenge_method: 'S256', state: 's' }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, code.interval));
    const token = await json(
      fetch(
        `${url}/oauth2/token`,
        form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', user_code: code.user_code, code_verifier: verifier }),
      ),
    );
    expect(token).toMatchObject({ status: 'success', resource_url: url });
    controller.abort();
    expect(await done).toBe(0);
  }, 10_000);

  it('rejects bad arguments with exit code 2 and prints help', async () => {
    const bad = io();
    expect(await main(['--region', 'mars'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('--region must be one of cn, global');
    const unknown = io();
    expect(await main(['--frobnicate'], unknown.io)).toBe(2);
    const help = io();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('Usage: mmx-emulator');
  });

  it('parses --auth-policy', async () => {
    const controller = new AbortController();
    const capture = io(controller.signal);
    let url = '';
    const done = main(['--region', 'cn', '--auth-policy', 'anthropic=either', '--port', '0'], {
      ...capture.io,
      onListening: (server) => {
        url = server.url;
      },
    });
    await expect.poll(() => url).not.toBe('');
    const res = await fetch(`${url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': EMULATOR_KEYS.cn },
      body: JSON.stringify({ model: 'MiniMax-M2.7', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    controller.abort();
    expect(await done).toBe(0);
  });

  it('parses --strict-auth and --header-rejection', () => {
    expect(parseEmulatorArgs(['--region', 'global', '--strict-auth', '--header-rejection', 'carry-bearer-scheme']).options).toEqual({
      region: 'global',
      strictAuth: true,
      headerRejection: 'carry-bearer-scheme',
    });
    expect(() => parseEmulatorArgs(['--header-rejection', 'S9'])).toThrow(/--header-rejection must be one of system-error-1033, carry,/);
  });
});
