/**
 * `mmx image generate` against the emulator (msw) and its CDN stand-in on an
 * http:// origin of its own: what the API received for each flag, what was
 * saved where, what the CDN received (never a key), and every refusal before
 * the paid request.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { type RunOptions, runCli } from '../helpers/run-cli.js';

const CDN = 'http://oss-cn.example.com';
const emulators = useEmulators({ cdn: CDN });
const KEY = EMULATOR_KEYS.cn;
const env = { MINIMAX_API_KEY: KEY, MINIMAX_REGION: 'cn' };
const tempDir = () => mkdtempSync(join(tmpdir(), 'mmx-image-'));

function run(argv: string[], options: RunOptions = {}) {
  return runCli(argv, { stdin: '', ...options, env: { ...env, ...options.env } });
}

const posts = () => emulators.cn.requests.filter((r) => r.method === 'POST' && r.path === '/v1/image_generation');
const body = () => posts()[0]?.body as Record<string, unknown>;
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

/** The bytes the CDN holds for a signed link's path. */
async function cdnBytes(path: string): Promise<Buffer> {
  const link = emulators.cdn.signedUrl(CDN, path);
  return Buffer.from(await (await emulators.cdn.handle(new Request(link))).arrayBuffer());
}

describe('image generate: the request and the files', () => {
  it('one POST with Bearer on cn, each image fetched from its http:// link without the key, saved as image_001.jpg …', async () => {
    const dir = tempDir();
    const r = await run(['image', 'generate', '--prompt', 'A cat in a spacesuit', '--n', '2', '--out-dir', dir, '--output', 'json']);
    expect(r.code).toBe(0);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(body()).toEqual({ model: 'image-01', prompt: 'A cat in a spacesuit', n: 2, response_format: 'url' });

    const saved = [join(dir, 'image_001.jpg'), join(dir, 'image_002.jpg')];
    const out = r.json();
    expect(out).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), saved, success_count: 2, failed_count: 0 });
    expect(readdirSync(dir).sort()).toEqual(['image_001.jpg', 'image_002.jpg']);

    // Fetched as sent (http://, not forced to https), a plain GET with a user-agent and nothing else.
    const cdnGets = emulators.cdn.requests;
    expect(cdnGets.map((q) => q.path)).toEqual([
      `/image_inference_output/${out.id}/output_1.jpeg`,
      `/image_inference_output/${out.id}/output_2.jpeg`,
    ]);
    for (const request of cdnGets) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain(KEY);
    }
    expect(readFileSync(saved[0] as string).equals(await cdnBytes(cdnGets[0]?.path as string))).toBe(true);
    expect(readFileSync(saved[0] as string).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('`mmx image "a cat"`: the group shortcut takes the prompt as its argument; text output lists the paths', async () => {
    const dir = tempDir();
    const r = await run(['image', 'a cat on a mat', '--out-dir', dir, '--output', 'text']);
    expect(r.code).toBe(0);
    expect(body()).toMatchObject({ prompt: 'a cat on a mat', n: 1 });
    expect(r.stdout).toMatch(new RegExp(`^id: \\w+\\nsaved:\\n  - ${join(dir, 'image_001.jpg')}\\nsuccess_count: 1\\nfailed_count: 0\\n$`));
    expect(r.stderr).toContain('[Model: image-01]');
  });

  it('--quiet prints only the paths (text); JSON still wins', async () => {
    const dir = tempDir();
    const quiet = await run([
      'image',
      'generate',
      '--prompt',
      'x',
      '--n',
      '3',
      '--out-dir',
      dir,
      '--out-prefix',
      'logo',
      '--quiet',
      '--output',
      'text',
    ]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe(['logo_001.jpg', 'logo_002.jpg', 'logo_003.jpg'].map((f) => join(dir, f)).join('\n') + '\n');
    expect(quiet.stderr).toBe('');
    const json = await run(['image', 'generate', '--prompt', 'x', '--out-dir', tempDir(), '--quiet', '--output', 'json']);
    expect(json.json().saved).toHaveLength(1);
  });

  it.each([
    [['--aspect-ratio', '16:9'], { aspect_ratio: '16:9' }],
    [['--aspect-ratio', '16:9', '--width', '1920', '--height', '1080'], { width: 1920, height: 1080 }],
    [['--seed', '42'], { seed: 42 }],
    [['--seed', '0'], { seed: 0 }],
    [['--prompt-optimizer'], { prompt_optimizer: true }],
    [['--aigc-watermark'], { aigc_watermark: true }],
    [['--prompt-optimizer=false', '--aigc-watermark=0'], {}],
    [
      ['--subject-ref', 'type=character,image=https://img.example/face.jpg'],
      { subject_reference: [{ type: 'character', image_url: 'https://img.example/face.jpg' }] },
    ],
  ])('%j sets %j in the body (and nothing else)', async (flags, fields) => {
    const r = await run(['image', 'generate', '--prompt', 'p', '--out-dir', tempDir(), ...flags, '--output', 'json']);
    expect(r.code).toBe(0);
    expect(body()).toEqual({ model: 'image-01', prompt: 'p', n: 1, response_format: 'url', ...fields });
  });

  it('--subject-ref with a local file sends it as a data URI (image_file)', async () => {
    const dir = tempDir();
    const face = join(dir, 'face.png');
    writeFileSync(face, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const r = await run(['image', 'generate', '--prompt', 'p', '--out-dir', dir, '--subject-ref', `image=${face}`, '--output', 'json']);
    expect(r.code).toBe(0);
    expect(body().subject_reference).toEqual([
      { type: 'character', image_file: `data:image/png;base64,${readFileSync(face).toString('base64')}` },
    ]);
  });

  it('--response-format base64: decoded from the answer and written; no CDN request', async () => {
    const dir = tempDir();
    const out = join(dir, 'cat.jpg');
    const r = await run(['image', 'generate', '--prompt', 'p', '--out', out, '--response-format', 'base64', '--output', 'json']);
    expect(r.code).toBe(0);
    expect(body().response_format).toBe('base64');
    expect(emulators.cdn.requests).toEqual([]);
    expect(r.json().saved).toEqual([out]);
    const written = readFileSync(out);
    expect(written.length).toBe(32 * 1024);
    expect(written.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(readdirSync(dir)).toEqual(['cat.jpg']);
  });

  it('--out into a directory that does not exist yet: created after the answer', async () => {
    const dir = tempDir();
    const out = join(dir, 'new', 'deeper', 'cat.jpg');
    const r = await run(['image', 'generate', '--prompt', 'p', '--out', out, '--output', 'json']);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('a prompt from the terminal when none is given; a script gets exit 2 and nothing is sent', async () => {
    const dir = tempDir();
    const asked = await run(['image', 'generate', '--out-dir', dir, '--output', 'json'], {
      stdin: undefined,
      stdoutTTY: true,
      answer: 'a fox',
    });
    expect(asked.code).toBe(0);
    expect(asked.prompts).toEqual(['Enter your image prompt: ']);
    expect(body().prompt).toBe('a fox');
    emulators.cn.requests.length = 0;
    const script = await run(['image', 'generate', '--out-dir', dir]);
    expect(script.code).toBe(2);
    expect(jsonError(script.stderr).message).toBe('Missing required argument: --prompt');
    expect(posts()).toEqual([]);
  });
});

describe('image generate: refused before the paid request', () => {
  const dir = tempDir();
  it.each([
    [['--width', '1024'], '--width requires --height. Both must be specified together.'],
    [['--height', '1024'], '--height requires --width. Both must be specified together.'],
    [['--width', '256', '--height', '1024'], '--width must be between 512 and 2048, got 256.'],
    [['--width', '1024', '--height', '1020'], '--height must be a multiple of 8, got 1020.'],
    [['--out', join(dir, 'a.jpg'), '--n', '2'], '--out cannot be used with --n > 1. Use --out-dir instead.'],
    [['--n', '10'], '--n must be at most 9 (image-01 makes 1 to 9 images a request), got 10.'],
    [['--n', '0'], "option '--n <count>' argument '0' is invalid. --n must be a positive whole number."],
    [['--subject-ref', 'type=character'], '--subject-ref needs an image: type=character,image=<path-or-url>.'],
    [['--subject-ref', `image=${join(dir, 'missing.png')}`], `--subject-ref: ${join(dir, 'missing.png')} does not exist.`],
    [
      ['--subject-ref', `image=${join(dir, 'anim.gif')}`],
      '--subject-ref: anim.gif is not a supported image (jpg, jpeg, png, webp, heic, heif).',
    ],
    [['--response-format', 'png'], "option '--response-format <format>' argument 'png' is invalid. Allowed choices are url, base64."],
  ])('%j: exit 2, %s', async (flags, message) => {
    const r = await run(['image', 'generate', '--prompt', 'p', '--out-dir', dir, ...flags]);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message.toLowerCase()).toBe(message.toLowerCase());
    expect(emulators.cn.requests).toEqual([]);
  });

  it('a subject image over 10 MB: exit 2 naming its size and the limit', async () => {
    const big = join(dir, 'big.jpg');
    writeFileSync(big, '');
    truncateSync(big, 10 * 1024 * 1024 + 1);
    const r = await run(['image', 'generate', '--prompt', 'p', '--out-dir', dir, '--subject-ref', `image=${big}`]);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toBe('--subject-ref: big.jpg is 10.0 MB; image-01 takes image files up to 10 MB.');
    expect(emulators.cn.requests).toEqual([]);
  });

  it('--out-dir that is a file, and --out that is a directory: exit 2', async () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    const a = await run(['image', 'generate', '--prompt', 'p', '--out-dir', file]);
    expect(a.code).toBe(2);
    expect(jsonError(a.stderr).message).toBe(`--out-dir: ${file} is not a directory.`);
    const b = await run(['image', 'generate', '--prompt', 'p', '--out', dir]);
    expect(b.code).toBe(2);
    expect(jsonError(b.stderr).message).toBe(`--out: ${dir} is a directory; give a file path.`);
    expect(emulators.cn.requests).toEqual([]);
  });
});

describe('image generate: an existing file', () => {
  const existing = () => {
    const dir = tempDir();
    const out = join(dir, 'cat.jpg');
    writeFileSync(out, 'old');
    return out;
  };

  it('in a script: overwritten (as mmx-cli), with a notice', async () => {
    const out = existing();
    const r = await run(['image', 'generate', '--prompt', 'p', '--out', out, '--output', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Overwriting ${out}.`);
    expect(readFileSync(out).length).toBe(32 * 1024);
  });

  it('on a terminal: asked before anything is sent; "n" keeps the file and sends nothing, "y" goes ahead', async () => {
    const out = existing();
    const tty = { stdin: undefined, stderrTTY: true } as const;
    const no = await run(['image', 'generate', '--prompt', 'p', '--out', out, '--output', 'json'], { ...tty, answer: 'n' });
    expect(no.code).toBe(1);
    expect(no.prompts).toEqual([`Overwrite ${out}? [y/N] `]);
    expect(emulators.cn.requests).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe('old');
    const yes = await run(['image', 'generate', '--prompt', 'p', '--out', out, '--output', 'json'], { ...tty, answer: 'y' });
    expect(yes.code).toBe(0);
    expect(readFileSync(out).length).toBe(32 * 1024);
  });

  it('on a terminal with --non-interactive: exit 2 pointing at --force; --force overwrites without asking', async () => {
    const out = existing();
    const tty = { stdin: undefined, stderrTTY: true } as const;
    const refused = await run(['image', 'generate', '--prompt', 'p', '--out', out, '--non-interactive', '--output', 'json'], tty);
    expect(refused.code).toBe(2);
    expect(jsonError(refused.stderr).message).toBe(`${out} exists; pass --force to overwrite.`);
    expect(emulators.cn.requests).toEqual([]);
    const forced = await run(['image', 'generate', '--prompt', 'p', '--out', out, '--force', '--output', 'json'], tty);
    expect(forced.code).toBe(0);
    expect(forced.prompts).toEqual([]);
  });
});

describe('image generate: failures', () => {
  it('--dry-run: the request (a local subject image abbreviated) and the files; nothing sent', async () => {
    const dir = tempDir();
    const face = join(dir, 'face.jpg');
    writeFileSync(face, Buffer.alloc(3000, 7));
    const r = await run([
      'image',
      'generate',
      '--prompt',
      'p',
      '--n',
      '2',
      '--out-dir',
      dir,
      '--subject-ref',
      `image=${face}`,
      '--dry-run',
      '--output',
      'json',
    ]);
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.requests).toHaveLength(1);
    expect(out.requests[0]).toMatchObject({ method: 'POST', url: 'https://api.minimax.cn/v1/image_generation' });
    expect(out.requests[0].headers.authorization).toBe('Bearer sk-…YaXe');
    expect(out.requests[0].body.subject_reference).toEqual([{ type: 'character', image_file: 'data:image/jpeg;base64,… (3000 bytes)' }]);
    expect(out.files).toEqual([join(dir, 'image_001.jpg'), join(dir, 'image_002.jpg')]);
    expect(emulators.cn.requests).toEqual([]);
  });

  it('the content filter: the prompt refused (1026) or every image withheld, exit 10', async () => {
    emulators.use('cn', { media: { contentFilter: 'input' } });
    const input = await run(['image', 'generate', '--prompt', 'p', '--out-dir', tempDir()]);
    expect(input.code).toBe(10);
    expect(jsonError(input.stderr)).toMatchObject({ code: 10, api_code: 1026 });
    emulators.use('cn', { media: { contentFilter: 'output' } });
    const dir = tempDir();
    const output = await run(['image', 'generate', '--prompt', 'p', '--n', '2', '--out-dir', dir]);
    expect(output.code).toBe(10);
    expect(jsonError(output.stderr).message).toBe('All 2 images were withheld by content moderation.');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the POST is not sent again after a 502 (it may have made paid images); a 429 refusal is retried', async () => {
    emulators.cn.enqueueFault({ kind: 'status', status: 502, path: '/v1/image_generation', body: 'bad gateway' });
    const once = await run(['image', 'generate', '--prompt', 'p', '--out-dir', tempDir()]);
    expect(once.code).toBe(1);
    expect(posts()).toHaveLength(1);
    emulators.cn.requests.length = 0;
    emulators.cn.enqueueFault({ kind: 'status', status: 429, path: '/v1/image_generation', body: { error: 'rate limited' } });
    const twice = await run(['image', 'generate', '--prompt', 'p', '--out-dir', tempDir()]);
    expect(twice.code).toBe(0);
    expect(posts()).toHaveLength(2);
  });

  it('a download cut mid-way: exit 6, nothing at the path, the images before it kept and named', async () => {
    const dir = tempDir();
    emulators.cdn.cutNext(1000);
    const r = await run(['image', 'generate', '--prompt', 'p', '--out-dir', dir]);
    expect(r.code).toBe(6);
    expect(readdirSync(dir)).toEqual([]);
    expect(jsonError(r.stderr).saved).toEqual([]);
  });

  it('quota: 2056 on the native API is exit 4', async () => {
    emulators.cn.enqueueFault({ kind: 'rate-limit', path: '/v1/image_generation' });
    const r = await run(['image', 'generate', '--prompt', 'p', '--out-dir', tempDir()]);
    expect(r.code).toBe(4);
    expect(jsonError(r.stderr).api_code).toBe(2056);
  });
});
