/**
 * download() inside the real entry (the test-only `__harness` command), over real
 * sockets: the API emulator on one origin, a CDN stand-in on another. The key
 * goes to the API and never to the CDN; the signed query never reaches the
 * screen; a file is whole at its path or not there at all.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { download } from '../../src/api/download.js';
import { get } from '../../src/api/request.js';
import type { Context } from '../../src/cli/context.js';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { type Cdn, startCdn } from '../helpers/cdn.js';
import { runAction } from '../helpers/harness.js';
import { startRecordingProxy } from '../helpers/recording-proxy.js';
import type { RunOptions } from '../helpers/run-cli.js';

vi.mock(import('../../src/cli/registry.js'), async (original) =>
  (await import('../helpers/harness-command.js')).withHarness(await original()),
);

const KEY = EMULATOR_KEYS.cn;
const SIGNED = '?Expires=1767225600&OSSAccessKeyId=LTAI5tExample&Signature=secret%2Bsig';
const MASKED = '?Expires=…&OSSAccessKeyId=…&Signature=…';

let api: Emulator;
let apiServer: EmulatorServer;
let cdn: Cdn;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

beforeAll(async () => {
  api = createEmulator({ region: 'cn' });
  apiServer = await startEmulatorServer(api);
  cdn = await startCdn();
  proxy = await startRecordingProxy();
});
afterAll(async () => {
  await proxy.close();
  await cdn.close();
  await apiServer.close();
});
beforeEach(() => {
  api.reset();
  cdn.reset();
  proxy.reset();
});

const env = () => ({ MINIMAX_API_KEY: KEY, MINIMAX_REGION: 'cn', MINIMAX_BASE_URL: apiServer.url });
const link = (path: string) => `${cdn.origin}${path}${SIGNED}`;
const tempDir = () => mkdtempSync(join(tmpdir(), 'mmx-dl-'));

/** What a `video download` port will do: ask the API (with the key), then fetch the link it gave (without). */
function fetchLink(url: string, dest: string, options: { viaApi?: boolean } = {}) {
  return async (ctx: Context, input: { force: boolean }) => {
    if (options.viaApi !== false) await (await ctx.client()).send(get('/v1/token_plan/remains'));
    const saved = await download(ctx, url, dest, { force: input.force });
    if (dest !== '-') ctx.result(saved, () => `Saved ${saved.path} (${saved.bytes} bytes)`);
  };
}

async function run(argv: string[], action: ReturnType<typeof fetchLink>, options: RunOptions = {}) {
  return runAction(argv, action, { stdin: '', ...options, env: { ...env(), ...options.env } });
}

function expectNoCredentials(request: { url: string; headers: Record<string, unknown> }): void {
  expect(request.headers.authorization).toBeUndefined();
  expect(request.headers['x-api-key']).toBeUndefined();
  expect(JSON.stringify(request)).not.toContain(KEY);
  expect(JSON.stringify(request)).not.toContain(KEY.slice(6, 20));
}

function expectNoFile(dir: string): void {
  expect(readdirSync(dir)).toEqual([]);
}

const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

describe('download: the link, not the API', () => {
  it('saves the exact bytes; the API got the key, the CDN only a user-agent; --verbose shows neither key nor signature', async () => {
    const dir = tempDir();
    const dest = join(dir, 'video.mp4');
    const r = await run(['--verbose', '--output', 'json'], fetchLink(link('/v/video.mp4'), dest));
    expect(r.code).toBe(0);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
    expect(readdirSync(dir)).toEqual(['video.mp4']);
    expect(r.json()).toEqual({ path: dest, bytes: cdn.file.length });

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(cdn.requests).toHaveLength(1);
    const [request] = cdn.requests;
    expect(request?.url).toBe(`/v/video.mp4${SIGNED}`);
    expectNoCredentials(request!);
    expect(Object.keys(request!.headers).sort()).toEqual(['connection', 'host', 'user-agent']);
    expect(request?.headers['user-agent']).toMatch(/^mmx\//);

    expect(r.stderr).toContain(`> GET ${cdn.origin}/v/video.mp4${MASKED}`);
    expect(r.stderr).toContain(`* ${cdn.file.length} bytes to ${dest}`);
    expect(r.stderr).not.toContain('secret');
    expect(r.stderr).not.toContain('LTAI5tExample');
    expect(r.stderr).not.toContain(KEY);
  });

  it('follows redirects (up to 5), each without credentials, and never shows the signature', async () => {
    const dir = tempDir();
    const dest = join(dir, 'v.mp4');
    // /hop/4 redirects five times: to /hop/3, 2, 1, 0, then /v/.
    const r = await run(['--verbose', '--output', 'json'], fetchLink(link('/hop/4/v.mp4'), dest));
    expect(r.code).toBe(0);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
    expect(cdn.requests.map((q) => q.url)).toEqual(
      ['/hop/4/v.mp4', '/hop/3/v.mp4', '/hop/2/v.mp4', '/hop/1/v.mp4', '/hop/0/v.mp4', '/v/v.mp4'].map((path) => `${path}${SIGNED}`),
    );
    for (const request of cdn.requests) expectNoCredentials(request);
    expect(r.stderr).toContain(`* redirected to ${cdn.origin}/hop/3/v.mp4${MASKED}`);
    expect(r.stderr).toContain(`* redirected to ${cdn.origin}/v/v.mp4${MASKED}`);
    expect(r.stderr).not.toContain('secret');
  });

  it('a sixth redirect is an error (exit 1); nothing is saved', async () => {
    const dir = tempDir();
    const r = await run(['--output', 'json'], fetchLink(link('/hop/5/v.mp4'), join(dir, 'v.mp4')));
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr).message).toBe(`Download failed: more than 5 redirects, the last to ${cdn.origin}/v/v.mp4${MASKED}`);
    expect(cdn.requests).toHaveLength(6);
    expectNoFile(dir);
  });

  it('a redirect to a non-http(s) link is an error (exit 1), masked', async () => {
    const dir = tempDir();
    const r = await run(['--output', 'json'], fetchLink(`${cdn.origin}/to-ftp`, join(dir, 'v.mp4')));
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr).message).toBe('Download failed: redirected to a non-http(s) link, ftp:…');
    expectNoFile(dir);
  });

  it('403 (an expired signature): exit 1 naming the status and the masked link, in text and JSON', async () => {
    const dir = tempDir();
    const text = await run(['--output', 'text'], fetchLink(link('/status/403'), join(dir, 'v.mp4')));
    expect(text.code).toBe(1);
    expect(text.stderr).toBe(
      `Error: Download failed: HTTP 403 from ${cdn.origin}/status/403${MASKED}\n  Download links are signed and expire; get a fresh link and try again.\n`,
    );
    const json = await run(['--output', 'json', '--verbose'], fetchLink(link('/status/403'), join(dir, 'v.mp4')));
    expect(json.code).toBe(1);
    expect(jsonError(json.stderr)).toMatchObject({ code: 1, message: `Download failed: HTTP 403 from ${cdn.origin}/status/403${MASKED}` });
    expect(json.stderr).not.toContain('secret');
    expectNoFile(dir);
  });

  it('504 from the CDN: exit 5', async () => {
    const dir = tempDir();
    const r = await run(['--output', 'json'], fetchLink(link('/status/504'), join(dir, 'v.mp4')));
    expect(r.code).toBe(5);
    expect(jsonError(r.stderr).message).toContain('HTTP 504');
    expectNoFile(dir);
  });

  it('a link that is not http(s) is refused before any request', async () => {
    const r = await run(['--output', 'json'], fetchLink('file:///etc/passwd', join(tempDir(), 'x')));
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr).message).toBe('Not an http(s) download link: file:…');
  });

  it('goes through HTTP_PROXY: the proxy carries the CDN request, with no credential header', async () => {
    const dir = tempDir();
    const dest = join(dir, 'v.mp4');
    const r = await run(['--output', 'json'], fetchLink(link('/v/v.mp4'), dest, { viaApi: false }), { env: { HTTP_PROXY: proxy.url } });
    expect(r.code).toBe(0);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
    // An http link goes to the proxy as a forward request: it sees the link (as any proxy of an http
    // link does), never a key.
    expect(proxy.entries).toEqual([`GET ${link('/v/v.mp4')}`]);
    expectNoCredentials({ url: proxy.entries[0]!, headers: proxy.headers[0] as Record<string, unknown> });
    expect(cdn.requests).toHaveLength(1);
    expect(cdn.requests[0]?.url).toBe(`/v/v.mp4${SIGNED}`);
    expectNoCredentials(cdn.requests[0]!);
  });

  it('a proxy that cannot be reached is named, not the CDN: exit 6, nothing saved', async () => {
    const dir = tempDir();
    const r = await run(['--output', 'json'], fetchLink(link('/v/v.mp4'), join(dir, 'v.mp4'), { viaApi: false }), {
      env: { HTTP_PROXY: 'http://user:secret@127.0.0.1:9' },
    });
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr).message).toBe(
      'Cannot reach the proxy http://…@127.0.0.1:9 (HTTP_PROXY): connection refused (ECONNREFUSED).',
    );
    expect(r.stderr).not.toContain('secret');
    expect(cdn.requests).toHaveLength(0);
    expectNoFile(dir);
  });

  it('without a length: the exact bytes all the same', async () => {
    const dest = join(tempDir(), 'v.mp4');
    const r = await run(['--output', 'json'], fetchLink(link('/chunked/v.mp4'), dest));
    expect(r.code).toBe(0);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
  });
});

describe('download: whole or nothing', () => {
  it('streams into <dest>.part while it arrives; dest appears only when complete', async () => {
    const dir = tempDir();
    const dest = join(dir, 'v.mp4');
    const running = run(['--output', 'json'], fetchLink(link('/halves/v.mp4'), dest));
    await cdn.firstPartSent();
    // Half the file is on disk as .part before the rest is sent: nothing holds the whole file in memory.
    const half = Math.floor(cdn.file.length / 2);
    await vi.waitFor(() => expect(readFileSync(`${dest}.part`).length).toBe(half), { timeout: 5000 });
    expect(existsSync(dest)).toBe(false);
    cdn.release();
    const r = await running;
    expect(r.code).toBe(0);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
    expect(readdirSync(dir)).toEqual(['v.mp4']);
  });

  it('a download cut mid-body: exit 6, no file and no .part, and an existing file untouched', async () => {
    const dir = tempDir();
    const dest = join(dir, 'v.mp4');
    writeFileSync(dest, 'the previous video');
    const r = await run(['--output', 'json', '--force'], fetchLink(link('/cut/v.mp4'), dest));
    expect(r.code).toBe(6);
    expect(jsonError(r.stderr).message).toMatch(/^The connection to http:\/\/127\.0\.0\.1:\d+ failed after \d+ bytes of the download/);
    expect(readdirSync(dir)).toEqual(['v.mp4']);
    expect(readFileSync(dest, 'utf8')).toBe('the previous video');

    const fresh = tempDir();
    const again = await run(['--output', 'json'], fetchLink(link('/cut/v.mp4'), join(fresh, 'v.mp4')));
    expect(again.code).toBe(6);
    expectNoFile(fresh);
  });

  it('a CDN that stops sending: exit 5 after --idle-timeout, naming it; nothing saved', async () => {
    const dir = tempDir();
    const started = Date.now();
    const r = await run(['--output', 'json', '--idle-timeout', '0.2'], fetchLink(link('/stall/v.mp4'), join(dir, 'v.mp4')));
    expect(r.code).toBe(5);
    expect(jsonError(r.stderr).message).toMatch(/sent nothing for 0\.2 s \(--idle-timeout\)/);
    expect(Date.now() - started).toBeLessThan(3000);
    expectNoFile(dir);
  });

  it('no answer within --timeout: exit 5, naming it', async () => {
    const dir = tempDir();
    const r = await run(['--output', 'json', '--timeout', '0.2'], fetchLink(`${cdn.origin}/hang`, join(dir, 'v.mp4')));
    expect(r.code).toBe(5);
    expect(jsonError(r.stderr).message).toBe(`No response from ${cdn.origin} within 0.2 s (--timeout).`);
    expectNoFile(dir);
  });

  it('Ctrl-C mid-body: exit 130 at once, no file and no .part', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const started = Date.now();
    const running = run(['--output', 'text'], fetchLink(link('/stall/v.mp4'), join(dir, 'v.mp4')), { signal: controller.signal });
    await cdn.firstPartSent();
    await vi.waitFor(() => expect(existsSync(join(dir, 'v.mp4.part'))).toBe(true));
    controller.abort(new Error('SIGINT'));
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('\nInterrupted.\n');
    expect(Date.now() - started).toBeLessThan(3000); // the idle timeout (60 s) did not end it
    expectNoFile(dir);
  });
});

describe('download: to stdout', () => {
  it('"-" writes the exact bytes to a stdout that is not a terminal', async () => {
    const r = await run(['--output', 'json'], fetchLink(link('/v/v.mp4'), '-'));
    expect(r.code).toBe(0);
    expect(r.stdoutBytes.equals(cdn.file)).toBe(true);
  });

  it('"-" with stdout on a terminal: exit 2, nothing requested', async () => {
    const r = await run(['--output', 'json'], fetchLink(link('/v/v.mp4'), '-', { viaApi: false }), { stdoutTTY: true });
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toBe('Not writing a binary file to the terminal.');
    expect(r.stdout).toBe('');
    expect(cdn.requests).toEqual([]);
  });
});

describe('download: an existing file', () => {
  const existing = () => {
    const dest = join(tempDir(), 'v.mp4');
    writeFileSync(dest, 'old');
    return dest;
  };
  const terminal: RunOptions = { stdin: undefined, stderrTTY: true };

  it('scripts (no terminal) overwrite without asking, as mmx-cli', async () => {
    const dest = existing();
    const r = await run(['--output', 'json'], fetchLink(link('/v/v.mp4'), dest));
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual([]);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
  });

  it('a terminal asks on stderr; "y" overwrites', async () => {
    const dest = existing();
    const r = await run(['--output', 'text'], fetchLink(link('/v/v.mp4'), dest), { ...terminal, answer: 'y' });
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual([`Overwrite ${dest}? [y/N] `]);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
  });

  it.each(['n', '', 'nope'])('a terminal asks; %j keeps the file (exit 1) and downloads nothing', async (answer) => {
    const dest = existing();
    const r = await run(['--output', 'text'], fetchLink(link('/v/v.mp4'), dest, { viaApi: false }), { ...terminal, answer });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Kept ${dest}; nothing was downloaded.`);
    expect(readFileSync(dest, 'utf8')).toBe('old');
    expect(cdn.requests).toEqual([]);
  });

  it('--force on a terminal: no question', async () => {
    const dest = existing();
    const r = await run(['--output', 'text', '--force'], fetchLink(link('/v/v.mp4'), dest), terminal);
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual([]);
    expect(readFileSync(dest).equals(cdn.file)).toBe(true);
  });

  it.each([
    ['--non-interactive', ['--non-interactive'], {}],
    ['CI', [], { CI: 'true' }],
  ] as const)(
    'a terminal that must not be asked (%s): exit 2 saying to pass --force; nothing asked or fetched',
    async (_name, flags, extraEnv) => {
      const dest = existing();
      const r = await run(['--output', 'json', ...flags], fetchLink(link('/v/v.mp4'), dest, { viaApi: false }), {
        ...terminal,
        env: extraEnv,
      });
      expect(r.code).toBe(2);
      expect(jsonError(r.stderr).message).toBe(`${dest} exists; pass --force to overwrite it.`);
      expect(r.prompts).toEqual([]);
      expect(cdn.requests).toEqual([]);
      expect(readFileSync(dest, 'utf8')).toBe('old');
    },
  );

  it('a path in a directory that does not exist: exit 2, and the connection is let go', async () => {
    const dest = join(tempDir(), 'missing', 'v.mp4');
    const r = await run(['--output', 'json'], fetchLink(link('/v/v.mp4'), dest, { viaApi: false }));
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toBe(`Cannot write ${dest}: no such directory.`);
  });

  it('a directory at dest is a usage error', async () => {
    const dir = tempDir();
    const r = await run(['--output', 'json'], fetchLink(link('/v/v.mp4'), dir, { viaApi: false }));
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toBe(`${dir} is a directory; give a file path.`);
  });
});

describe('download: progress', () => {
  it('a failure on a terminal: the bar is erased and its timer cleared before the error is printed', async () => {
    const clears = vi.spyOn(globalThis, 'clearInterval');
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const r = await run(['--output', 'text', '--idle-timeout', '0.3'], fetchLink(link('/stall/v.mp4'), join(tempDir(), 'v.mp4')), {
      stderrTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^\rv\.mp4 \[/);
    expect(r.stderr).toMatch(/\r\u001b\[KError: The download from http:\/\/127\.0\.0\.1:\d+ sent nothing for 0\.3 s/);
    expect(intervals).toHaveBeenCalledTimes(1);
    expect(clears).toHaveBeenCalledWith(intervals.mock.results[0]?.value);
  });

  it('a bar on a terminal (text output), cleared at the end; none off a terminal', async () => {
    const onTty = await run(['--output', 'text'], fetchLink(link('/v/v.mp4'), join(tempDir(), 'v.mp4')), { stderrTTY: true });
    expect(onTty.code).toBe(0);
    expect(onTty.stderr).toMatch(/^\rv\.mp4 \[/);
    expect(onTty.stderr.endsWith('\r\u001b[K')).toBe(true);
    const piped = await run(['--output', 'text'], fetchLink(link('/v/v.mp4'), join(tempDir(), 'v.mp4')));
    expect(piped.stderr).toBe('');
  });
});
