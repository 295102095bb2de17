/**
 * `mmx vision describe` (and `mmx vision photo.png` by the group shortcut)
 * through the real CLI against the emulator: the picture arrives as a data URI
 * of exactly its bytes, or a file id as given; bad pictures are refused before
 * anything is sent. Pictures named by URL: test/e2e/misc-commands.test.ts.
 */
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMPT, targetOf, targetOfAnswer } from '../../src/commands/vision/describe.js';
import { describeImage, imageSource, sniffImageType, typeOfDownload, typeOfPath } from '../../src/commands/vision/image.js';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { SENSITIVE_INPUT } from '../../src/emulator/routes/coding-plan.js';
import { UsageError } from '../../src/errors.js';
import { CN, useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('a tiny png, as far as its header goes')]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.from('jpeg body')]);

function picture(name: string, bytes: Uint8Array = PNG): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mmx-vision-')), name);
  writeFileSync(path, bytes);
  return path;
}

const bodies = () => api.cn.requests.map((r) => ({ path: r.path, body: r.body }));
const dataUri = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

describe('the request', () => {
  it.each([
    ['--image', (p: string) => ['vision', 'describe', '--image', p]],
    ['--file (mmx-cli accepts it undeclared)', (p: string) => ['vision', 'describe', '--file', p]],
    ['--path (mmx-cli accepts it undeclared)', (p: string) => ['vision', 'describe', '--path', p]],
    ['the group shortcut', (p: string) => ['vision', p]],
    ['a positional after describe', (p: string) => ['vision', 'describe', p]],
  ])('%s: POST /v1/coding_plan/vlm with {prompt, image_url} of exactly the file, Bearer', async (_, argv) => {
    const path = picture('photo.png');
    const r = await runCli([...argv(path), '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([{ path: '/v1/coding_plan/vlm', body: { prompt: DEFAULT_PROMPT, image_url: dataUri('image/png', PNG) } }]);
    expect(api.cn.requests[0]!.authStyle).toBe('bearer');
  });

  it('--prompt is the question; an empty one is the default, as in mmx-cli', async () => {
    const path = picture('photo.png');
    await runCli(['vision', path, '--prompt', 'What breed is this dog?'], { env });
    await runCli(['vision', path, '--prompt', ''], { env });
    expect(api.cn.requests.map((r) => (r.body as { prompt: string }).prompt)).toEqual(['What breed is this dog?', DEFAULT_PROMPT]);
  });

  it('--file-id sends {prompt, file_id} as given, and reads no file', async () => {
    const r = await runCli(['vision', 'describe', '--file-id', '176844028768320', '--prompt', 'Extract the text'], { env });
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([{ path: '/v1/coding_plan/vlm', body: { prompt: 'Extract the text', file_id: '176844028768320' } }]);
  });

  it('a data: URI is sent as it is', async () => {
    const uri = dataUri('image/webp', Buffer.from('RIFF0000WEBPVP8 '));
    await runCli(['vision', 'describe', '--image', uri], { env });
    expect(bodies()[0]!.body).toEqual({ prompt: DEFAULT_PROMPT, image_url: uri });
  });

  it('the type comes from the bytes when they say: a JPEG named .png is sent as image/jpeg', async () => {
    await runCli(['vision', picture('mislabelled.png', JPEG)], { env });
    expect((bodies()[0]!.body as { image_url: string }).image_url).toBe(dataUri('image/jpeg', JPEG));
  });

  it('--dry-run sends nothing, checks the file, and shows the image summarised', async () => {
    const path = picture('photo.png');
    const r = await runCli(['vision', path, '--dry-run', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(0);
    expect(r.json().requests[0]).toMatchObject({
      method: 'POST',
      url: `${CN}/v1/coding_plan/vlm`,
      body: { prompt: DEFAULT_PROMPT, image_url: `data:image/png;base64,… (${PNG.length} bytes of ${path})` },
    });
    expect((await runCli(['vision', '/no/such.png', '--dry-run'], { env })).code).toBe(2);
  });
});

describe('the output', () => {
  it('text: the description alone; JSON: the payload as received', async () => {
    const path = picture('photo.png');
    const text = await runCli(['vision', path, '--output', 'text'], { env });
    expect(text.stdout).toBe(
      `The emulator looked at an image/png image of ${PNG.length} bytes. Asked "${DEFAULT_PROMPT}", it sees a test pattern.\n`,
    );
    expect(text.stderr).toBe('');
    const json = await runCli(['vision', path, '--output', 'json'], { env });
    expect(Object.keys(json.json())).toEqual(['content', 'base_resp']);
  });

  it('a spinner on a terminal while waiting, erased after; none off a terminal', async () => {
    const path = picture('photo.png');
    const tty = await runCli(['vision', path, '--output', 'text'], { env, stdoutTTY: true, stderrTTY: true, stdin: '' });
    expect(tty.stderr).toMatch(/^\r⠋ Looking at the image · 0 s\u001b\[K/);
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true); // the line is erased
    expect(tty.stdout).toContain('The emulator looked at');
    expect((await runCli(['vision', path, '--output', 'text'], { env })).stderr).toBe('');
  });
});

describe('asking for the picture', () => {
  it('on a terminal with nothing given, asks as mmx-cli and reads a file id or a path', async () => {
    const id = await runCli(['vision', '--output', 'json'], { env, stdoutTTY: true, answer: '42' });
    expect(id.code).toBe(0);
    expect(id.prompts).toEqual(['Enter image path, URL, or File ID: ']);
    const path = picture('typed.png');
    await runCli(['vision', '--output', 'json'], { env, stdoutTTY: true, answer: path });
    expect(bodies().map((b) => Object.keys(b.body as object))).toEqual([
      ['prompt', 'file_id'],
      ['prompt', 'image_url'],
    ]);
  });

  it('an empty answer cancels (exit 1); a script, --non-interactive or CI is never asked (exit 2)', async () => {
    const cancelled = await runCli(['vision'], { env, stdoutTTY: true, answer: '' });
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toContain('Vision describe cancelled.');
    for (const [options, extra] of [
      [{}, []],
      [{ stdoutTTY: true }, ['--non-interactive']],
      [{ stdoutTTY: true, env: { ...env, CI: '1' } }, []],
    ] as const) {
      const r = await runCli(['vision', ...extra, '--output', 'text'], { env, ...options });
      expect(r.code).toBe(2);
      expect(r.prompts).toEqual([]);
      expect(r.stderr).toContain('Must provide either --image or --file-id');
    }
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('refused before anything is sent (exit 2)', () => {
  it.each([
    ['both --image and --file-id', () => ['vision', 'describe', '--image', picture('a.png'), '--file-id', '1'], 'cannot provide both'],
    ['--image and a different positional', () => ['vision', 'describe', picture('b.png'), '--image', picture('c.png')], 'given twice'],
    ['a missing file', () => ['vision', '/no/such/photo.png'], 'File not found: /no/such/photo.png'],
    [
      'a directory',
      () => ['vision', mkdirSync(join(mkdtempSync(join(tmpdir(), 'mmx-dir-')), 'd.png'), { recursive: true })!],
      'is not a file',
    ],
    ['another format', () => ['vision', picture('notes.txt')], 'Unsupported image format ".txt"'],
    ['an empty --file-id', () => ['vision', 'describe', '--file-id', ' '], '--file-id is empty'],
  ])('%s', async (_, argv, message) => {
    const r = await runCli([...argv(), '--output', 'text'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('a file over 50 MB, with the limit and what to do instead', async () => {
    const path = picture('huge.png');
    truncateSync(path, 50 * 1024 * 1024 + 1);
    const r = await runCli(['vision', path, '--output', 'text'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is 50.0 MB; the vision API takes at most 50.0 MB');
    expect(r.stderr).toContain('--file-id');
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('API errors', () => {
  it('a pay-as-you-go key: exit 1 naming the keys that work', async () => {
    const r = await runCli(['vision', picture('a.png'), '--output', 'text'], { env: { ...env, MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not token plan token');
    expect(r.stderr).toContain('Token Plan keys (sk-cp-…)');
  });

  it('the input filter (1026): exit 10', async () => {
    const r = await runCli(['vision', picture('a.png'), '--prompt', SENSITIVE_INPUT, '--output', 'json'], { env });
    expect(r.code).toBe(10);
    expect(JSON.parse(r.stderr).error.api_code).toBe(1026);
  });
});

describe('pure parts', () => {
  it('targetOf: one picture or one file id; targetOfAnswer reads a typed answer as mmx-cli', () => {
    expect(targetOf('a.png', undefined, undefined)).toEqual({ kind: 'image', value: 'a.png' });
    expect(targetOf(undefined, 'a.png', undefined)).toEqual({ kind: 'image', value: 'a.png' });
    expect(targetOf('a.png', 'a.png', undefined)).toEqual({ kind: 'image', value: 'a.png' });
    expect(targetOf(undefined, undefined, ' 7 ')).toEqual({ kind: 'file-id', value: '7' });
    expect(targetOf(undefined, undefined, undefined)).toEqual({ kind: 'none' });
    expect(() => targetOf('a.png', undefined, '7')).toThrow(UsageError);
    expect(targetOfAnswer('https://x/y')).toEqual({ kind: 'image', value: 'https://x/y' });
    expect(targetOfAnswer('photo.jpg')).toEqual({ kind: 'image', value: 'photo.jpg' });
    expect(targetOfAnswer('176844028768320')).toEqual({ kind: 'file-id', value: '176844028768320' });
  });

  it('imageSource tells data URIs, URLs and paths apart by prefix, as mmx-cli', () => {
    expect(imageSource('data:image/png;base64,AA==').kind).toBe('data-uri');
    expect(imageSource('https://x/a.png').kind).toBe('url');
    expect(imageSource('http://x/a.png').kind).toBe('url');
    expect(imageSource('./https-logo.png').kind).toBe('file');
  });

  it('types: by extension (case-insensitive), by magic bytes, and for a download by bytes > server type > extension > jpeg', () => {
    expect(typeOfPath('A.JPG')).toBe('image/jpeg');
    expect(typeOfPath('a.heif')).toBe('image/heif');
    expect(typeOfPath('a.gif')).toBeUndefined();
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffImageType(Buffer.from('\0\0\0\x18ftypheic', 'latin1'))).toBe('image/heic');
    expect(sniffImageType(Buffer.from('hello'))).toBeUndefined();
    const noise = Buffer.from('no magic here');
    expect(typeOfDownload('image/png', JPEG, 'https://x/a')).toBe('image/jpeg');
    expect(typeOfDownload('image/webp; q=1', noise, 'https://x/a')).toBe('image/webp');
    expect(typeOfDownload('application/octet-stream', noise, 'https://x/a.png?sig=1')).toBe('image/png');
    expect(typeOfDownload(undefined, noise, 'https://x/a')).toBe('image/jpeg');
    expect(typeOfDownload('text/html; charset=utf-8', noise, 'https://x/a.png')).toBeUndefined();
  });

  it('describeImage keeps megabytes of base64 out of --dry-run', () => {
    const long = `data:image/png;base64,${'A'.repeat(500)}`;
    expect(describeImage(imageSource(long))).toBe(`${long.slice(0, 60)}… (${long.length} characters)`);
    expect(describeImage(imageSource('https://x/a.png'))).toBe('data:<type>;base64,… (downloaded from https://x/a.png first)');
  });
});
