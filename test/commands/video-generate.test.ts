/**
 * `mmx video generate` against the emulator (msw) and its CDN stand-in, on an
 * injected clock: the endpoint and body each model and flag give, the wait
 * (checks, intervals, --timeout as the whole wait), the download, the outputs
 * of 1.0.27 (bare path, {"taskId"}, the --download object), and every way a
 * wait ends badly with the command that resumes it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, type MediaOptions } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { type RunOptions, fakeClock, runCli, tempConfigDir } from '../helpers/run-cli.js';

const CDN = 'http://hailuo-video.oss.example.com';
const emulators = useEmulators({ cdn: CDN });
const KEY = EMULATOR_KEYS.cn;
const tempDir = () => mkdtempSync(join(tmpdir(), 'mmx-video-'));

function run(argv: string[], options: RunOptions = {}) {
  const clock = options.clock ?? fakeClock(0);
  return runCli(argv, {
    stdin: '',
    clock,
    ...options,
    env: { MINIMAX_API_KEY: KEY, MINIMAX_REGION: 'cn', TMPDIR: tempDir(), ...options.env },
  });
}

const requests = (method: string, path: string) => emulators.cn.requests.filter((r) => r.method === method && r.path.startsWith(path));
const created = () => requests('POST', '/v')[0];
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;
const seen = () => emulators.cn.requests.map((r) => `${r.method} ${r.path}`);

describe('video generate (v1): create, wait, fetch, save', () => {
  it('POST /v1/video_generation, checks every 5 s, the file link, a download without the key; stdout is the bare path', async () => {
    const clock = fakeClock(0);
    const tmp = tempDir();
    const r = await run(['video', 'generate', '--prompt', 'Ocean waves at sunset.'], { clock, env: { TMPDIR: tmp } });
    expect(r.code).toBe(0);
    const taskId = emulators.cn.requests[1]?.query.task_id;
    expect(seen()).toEqual([
      'POST /v1/video_generation',
      'GET /v1/query/video_generation',
      'GET /v1/query/video_generation',
      'GET /v1/query/video_generation',
      'GET /v1/files/retrieve',
    ]);
    expect(created()?.body).toEqual({ model: 'MiniMax-Hailuo-2.3', prompt: 'Ocean waves at sunset.' });
    for (const request of emulators.cn.requests) expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(clock.sleeps).toEqual([5000, 5000]);
    const path = join(tmp, 'mmx-video', `${taskId}.mp4`);
    // mmx-cli prints the path it chose, also to a pipe, so `f=$(mmx video generate …)` works.
    expect(r.stdout).toBe(`${path}\n`);
    expect(readFileSync(path).subarray(4, 8).toString()).toBe('ftyp');
    expect(readFileSync(path).length).toBe(256 * 1024);
    expect(emulators.cdn.requests).toHaveLength(1);
    expect(emulators.cdn.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(emulators.cdn.requests)).not.toContain(KEY);
    expect(r.stderr).toBe('[Model: MiniMax-Hailuo-2.3]\n');
  });

  it("--download PATH: 1.0.27's {task_id, status, file_id, saved, size} plus bytes; text as 1.0.27", async () => {
    const dir = tempDir();
    const out = join(dir, 'sunset.mp4');
    const r = await run(['video', 'generate', '--prompt', 'x', '--download', out, '--output', 'json']);
    expect(r.code).toBe(0);
    const result = r.json();
    expect(result).toEqual({
      task_id: expect.stringMatching(/^\d{15}$/),
      status: 'Success',
      file_id: expect.stringMatching(/^\d{15}$/),
      saved: out,
      size: '256.0 KB',
      bytes: 262144,
    });
    expect(requests('GET', '/v1/files/retrieve')[0]?.query).toEqual({ file_id: result.file_id });
    expect(readdirSync(dir)).toEqual(['sunset.mp4']);
    const text = await run(['video', 'generate', '--prompt', 'x', '--download', join(dir, 'b.mp4'), '--output', 'text']);
    expect(text.stdout).toMatch(/^task_id: \d+\nstatus: Success\nfile_id: \d+\nsaved: .*b\.mp4\nsize: 256\.0 KB\n$/);
    const quiet = await run(['video', 'generate', '--prompt', 'x', '--download', join(dir, 'c.mp4'), '--quiet', '--output', 'json']);
    expect(quiet.stdout).toBe(`${join(dir, 'c.mp4')}\n`);
  });

  it('--output json given explicitly, without --download: the object (with the path it chose)', async () => {
    const r = await run(['video', 'generate', '--prompt', 'x', '--output', 'json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'Success', saved: expect.stringMatching(/mmx-video\/\d+\.mp4$/), size: '256.0 KB' });
  });

  it('--poll-interval sets the wait between checks; below 1 s is refused', async () => {
    const clock = fakeClock(0);
    const r = await run(['video', 'generate', '--prompt', 'x', '--poll-interval', '2.5'], { clock });
    expect(r.code).toBe(0);
    expect(clock.sleeps).toEqual([2500, 2500]);
    const tooFast = await run(['video', 'generate', '--prompt', 'x', '--poll-interval', '0.2']);
    expect(tooFast.code).toBe(2);
    expect(emulators.cn.requests).toHaveLength(1 + 3 + 1);
  });

  it.each([['--no-wait'], ['--async'], ['--async', '--output', 'text'], ['--no-wait', '--quiet']])(
    '%j: one request, stdout exactly {"taskId": …} (compact, whatever --output says)',
    async (...flags) => {
      const r = await run(['video', 'generate', '--prompt', 'x', ...flags]);
      expect(r.code).toBe(0);
      expect(seen()).toEqual(['POST /v1/video_generation']);
      expect(r.stdout).toMatch(/^\{"taskId":"\d{15}"\}\n$/);
    },
  );

  it("mmx-cli's spellings: --no-wait=true does not wait, --no-wait=false and --async=0 do", async () => {
    const now = await run(['video', 'generate', '--prompt', 'x', '--no-wait=true']);
    expect(now.stdout).toMatch(/^\{"taskId":"\d+"\}\n$/);
    emulators.cn.requests.length = 0;
    const waited = await run(['video', 'generate', '--prompt', 'x', '--no-wait=false', '--async=0', '--output', 'json']);
    expect(waited.code).toBe(0);
    expect(requests('GET', '/v1/files/retrieve')).toHaveLength(1);
  });

  it('--no-wait with --download: a warning, nothing downloaded', async () => {
    const out = join(tempDir(), 'v.mp4');
    const r = await run(['video', 'generate', '--prompt', 'x', '--no-wait', '--download', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--download is ignored with --no-wait/--async');
    expect(existsSync(out)).toBe(false);
  });
});

describe('video generate: the model and the body', () => {
  const dir = tempDir();
  const png = join(dir, 'start.png');
  const jpg = join(dir, 'end.jpg');
  writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(jpg, Buffer.from([0xff, 0xd8, 0xff]));
  const dataUri = (path: string, type: string) => `data:${type};base64,${readFileSync(path).toString('base64')}`;

  it.each([
    [
      ['--model', 'MiniMax-Hailuo-2.3-Fast', '--image', 'https://img.example/a.png'],
      { model: 'MiniMax-Hailuo-2.3-Fast', first_frame_image: 'https://img.example/a.png' },
    ],
    [
      ['--image', png, '--last-frame', jpg],
      { model: 'MiniMax-Hailuo-02', first_frame_image: dataUri(png, 'image/png'), last_frame_image: dataUri(jpg, 'image/jpeg') },
    ],
    [['--first-frame', png], { model: 'MiniMax-Hailuo-2.3', first_frame_image: dataUri(png, 'image/png') }],
    [['--subject-image', jpg], { model: 'S2V-01', subject_reference: [{ type: 'character', image: [dataUri(jpg, 'image/jpeg')] }] }],
    [['--callback-url', 'https://hooks.example/done'], { model: 'MiniMax-Hailuo-2.3', callback_url: 'https://hooks.example/done' }],
    [['--model', 'T2V-01'], { model: 'T2V-01' }],
  ])('%j → v1 body %j', async (flags, fields) => {
    const r = await run(['video', 'generate', '--prompt', 'p', '--async', ...flags]);
    expect(r.code).toBe(0);
    expect(created()).toMatchObject({ path: '/v1/video_generation' });
    expect(created()?.body).toEqual({ prompt: 'p', ...fields });
  });

  it('config default_video_model is the default; --model overrides it', async () => {
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ default_video_model: 'MiniMax-Hailuo-02' }));
    await run(['video', 'generate', '--prompt', 'p', '--async'], { configDir });
    expect(created()?.body).toMatchObject({ model: 'MiniMax-Hailuo-02' });
    emulators.cn.requests.length = 0;
    await run(['video', 'generate', '--prompt', 'p', '--async', '--model', 'MiniMax-Hailuo-2.3'], { configDir });
    expect(created()?.body).toMatchObject({ model: 'MiniMax-Hailuo-2.3' });
  });

  it.each([
    [[], { content: [{ type: 'text', text: 'p' }], ratio: '16:9', duration: 5 }],
    [['--duration', '8', '--ratio', '9:16'], { content: [{ type: 'text', text: 'p' }], ratio: '9:16', duration: 8 }],
    [
      ['--image', png, '--ratio', '1:1'],
      {
        content: [
          { type: 'text', text: 'p' },
          { type: 'image_url', image_url: { url: dataUri(png, 'image/png') }, role: 'first_frame' },
        ],
        ratio: 'adaptive',
        duration: 5,
      },
    ],
    [
      ['--last-frame', 'https://img.example/end.png'],
      {
        content: [
          { type: 'text', text: 'p' },
          { type: 'image_url', image_url: { url: 'https://img.example/end.png' }, role: 'last_frame' },
        ],
        ratio: 'adaptive',
        duration: 5,
      },
    ],
    [
      [
        '--reference-image',
        'mm_file://42',
        '--reference-image',
        jpg,
        '--reference-video',
        'https://v.example/m.mp4',
        '--reference-audio',
        'data:audio/mpeg;base64,AAAA',
      ],
      {
        content: [
          { type: 'text', text: 'p' },
          { type: 'image_url', image_url: { url: 'mm_file://42' }, role: 'reference_image' },
          { type: 'image_url', image_url: { url: dataUri(jpg, 'image/jpeg') }, role: 'reference_image' },
          { type: 'video_url', video_url: { url: 'https://v.example/m.mp4' }, role: 'reference_video' },
          { type: 'audio_url', audio_url: { url: 'data:audio/mp3;base64,AAAA' }, role: 'reference_audio' },
        ],
        ratio: 'adaptive',
        duration: 5,
      },
    ],
  ])('MiniMax-H3 %j → v2 body', async (flags, fields) => {
    const r = await run(['video', 'generate', '--model', 'MiniMax-H3', '--prompt', 'p', '--async', ...flags]);
    expect(r.code).toBe(0);
    expect(created()?.path).toBe('/v2/video_generation');
    expect(created()?.body).toEqual({ model: 'MiniMax-H3', resolution: '2K', ...fields });
  });

  it('v2: checks at /v2/query/video_generation/<id>, downloads content.url directly (no file lookup)', async () => {
    const out = join(tempDir(), 'h3.mp4');
    const r = await run(['video', 'generate', '--model', 'MiniMax-H3', '--prompt', 'p', '--download', out, '--output', 'json']);
    expect(r.code).toBe(0);
    const id = r.json().task_id;
    expect(seen()).toEqual(['POST /v2/video_generation', ...Array(3).fill(`GET /v2/query/video_generation/${id}`)]);
    expect(r.json()).toEqual({ task_id: id, status: 'succeeded', saved: out, size: '256.0 KB', bytes: 262144 });
    expect(emulators.cdn.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('config default_video_model MiniMax-H3 picks v2 even with --last-frame', async () => {
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ default_video_model: 'MiniMax-H3' }));
    const r = await run(['video', 'generate', '--prompt', 'p', '--last-frame', jpg, '--async'], { configDir });
    expect(r.code).toBe(0);
    expect(created()?.path).toBe('/v2/video_generation');
  });
});

describe('video generate: refused before the paid request', () => {
  const dir = tempDir();
  const big = join(dir, 'big.png');
  writeFileSync(big, '');
  truncateSync(big, 20 * 1024 * 1024 + 1);
  const clip = join(dir, 'clip.avi');
  writeFileSync(clip, 'x');

  it.each([
    [
      ['--reference-image', 'a.png'],
      '--reference-image, --reference-video, --reference-audio, --duration, and --ratio require --model MiniMax-H3.',
    ],
    [['--ratio', '1:1'], '--reference-image, --reference-video, --reference-audio, --duration, and --ratio require --model MiniMax-H3.'],
    [
      ['--model', 'MiniMax-Hailuo-2.3-Fast'],
      'MiniMax-Hailuo-2.3-Fast only supports I2V (image-to-video). Use --image to provide an input image.',
    ],
    [['--last-frame', 'b.png'], '--last-frame requires --image (SEF mode).'],
    [
      ['--last-frame', 'b.png', '--subject-image', 'c.png'],
      '--last-frame and --subject-image cannot be used together (SEF and S2V are different modes).',
    ],
    [['--image', 'a.png', '--first-frame', 'b.png'], '--image and --first-frame are aliases; provide only one.'],
    [
      ['--model', 'MiniMax-H3', '--subject-image', 'c.png'],
      '--subject-image is only supported by the legacy S2V-01 model. Use --reference-image for MiniMax-H3.',
    ],
    [['--model', 'MiniMax-H3', '--duration', '20'], 'MiniMax-H3 duration must be an integer from 4 to 15 seconds.'],
    [['--model', 'MiniMax-H3', '--duration', '5.5'], 'MiniMax-H3 duration must be an integer from 4 to 15 seconds.'],
    [['--model', 'MiniMax-H3', '--ratio', '2:1'], 'MiniMax-H3 ratio must be one of: adaptive, 21:9, 16:9, 4:3, 1:1, 3:4, 9:16.'],
    [['--model', 'MiniMax-H3', '--ratio', 'adaptive'], 'MiniMax-H3 text-to-video requires a concrete ratio; adaptive is not supported.'],
    [
      ['--model', 'MiniMax-H3', '--reference-audio', 'a.mp3'],
      'MiniMax-H3 reference audio requires at least one reference image or reference video.',
    ],
    [
      ['--model', 'MiniMax-H3', '--image', 'a.png', '--reference-image', 'b.png'],
      'MiniMax-H3 frame inputs and reference inputs cannot be used together.',
    ],
    [['--image', big], '--image: big.png is 20.0 MB; the video API takes image files up to 20 MB.'],
    [['--image', join(dir, 'none.png')], `--image: ${join(dir, 'none.png')} does not exist.`],
    [['--model', 'MiniMax-H3', '--reference-video', clip], '--reference-video: clip.avi is not a supported video (mp4, mov).'],
    [['--prompt', ''], '--prompt is empty.'],
  ])('%j: exit 2, %s', async (flags, message) => {
    const r = await run(['video', 'generate', '--prompt', 'p', ...flags]);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toBe(message);
    expect(emulators.cn.requests).toEqual([]);
  });

  it('MiniMax-H3 takes a 20 MB image (its limit is 30 MB); the request shows in --dry-run with the size, not the base64', async () => {
    const r = await run(['video', 'generate', '--model', 'MiniMax-H3', '--prompt', 'p', '--image', big, '--dry-run', '--output', 'json']);
    expect(r.code).toBe(0);
    const [request] = r.json().requests;
    expect(request).toMatchObject({ method: 'POST', url: 'https://api.minimax.cn/v2/video_generation' });
    expect(request.body.content[1].image_url.url).toBe(`data:image/png;base64,… (${20 * 1024 * 1024 + 1} bytes)`);
    expect(r.json().files).toEqual([expect.stringMatching(/mmx-video\/<task id>\.mp4$/)]);
    expect(emulators.cn.requests).toEqual([]);
  });

  it('a missing prompt: asked for on a terminal, exit 2 in a script', async () => {
    const script = await run(['video', 'generate', '--async']);
    expect(script.code).toBe(2);
    expect(jsonError(script.stderr).message).toBe('Missing required argument: --prompt');
    const asked = await run(['video', 'generate', '--async'], { stdin: undefined, stdoutTTY: true, answer: 'a fox runs' });
    expect(asked.code).toBe(0);
    expect(asked.prompts).toEqual(['Enter your video prompt: ']);
    expect(created()?.body).toMatchObject({ prompt: 'a fox runs' });
  });

  it('--download onto an existing file on a terminal: asked before the paid request', async () => {
    const out = join(tempDir(), 'v.mp4');
    writeFileSync(out, 'old');
    const r = await run(['video', 'generate', '--prompt', 'p', '--download', out], { stdin: undefined, stderrTTY: true, answer: '' });
    expect(r.code).toBe(1);
    expect(r.prompts).toEqual([`Overwrite ${out}? [y/N] `]);
    expect(emulators.cn.requests).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe('old');
  });
});

describe('video generate: on a terminal', () => {
  it('a progress line while waiting (task, status, elapsed, next check), then the download bar; both erased', async () => {
    const clock = fakeClock(0);
    // The redraw timer is real: each wait holds 150 ms of real time before the clock moves on.
    const slow = {
      now: clock.now,
      sleep: async (ms: number) => {
        await new Promise<void>((resolve) => setTimeout(resolve, 150));
        await clock.sleep(ms);
      },
    };
    const out = join(tempDir(), 'v.mp4');
    const r = await run(['video', 'generate', '--prompt', 'p', '--download', out, '--output', 'text'], { clock: slow, stderrTTY: true });
    expect(r.code).toBe(0);
    const id = requests('GET', '/v1/query/video_generation')[0]?.query.task_id;
    const frames = r.stderr.split('\r');
    expect(frames.some((f) => new RegExp(`^. task ${id}: Queueing · \\d+ s · next check in \\d s\u001b\\[K$`).test(f))).toBe(true);
    expect(frames.some((f) => /^v\.mp4 \[[█░]+\] \d+%/.test(f) || /^⠋ v\.mp4/.test(f))).toBe(true);
    expect(r.stderr).toContain('[Model: MiniMax-Hailuo-2.3]');
    expect(r.stderr.endsWith('\r\u001b[K')).toBe(true); // the last line drawn was erased
    expect(r.stdout).toMatch(/^task_id: /);
  });

  it("a check's retry notice shows in the progress line, not as a line of its own", async () => {
    emulators.cn.enqueueFault({ kind: 'status', status: 503, path: '/v1/query/video_generation', body: 'busy' });
    const r = await run(['video', 'generate', '--prompt', 'p', '--output', 'text'], { stderrTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r. task \d+: HTTP 503; retrying in [\d.]+ s \(attempt 2 of 3\)/);
    expect(r.stderr).not.toMatch(/\nHTTP 503/);
  });

  it('--force overwrites the --download file without asking', async () => {
    const out = join(tempDir(), 'v.mp4');
    writeFileSync(out, 'old');
    const r = await run(['video', 'generate', '--prompt', 'p', '--download', out, '--force'], { stdin: undefined, stderrTTY: true });
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual([]);
    expect(readFileSync(out).length).toBe(256 * 1024);
  });

  it('a prompt given as an argument: exit 2 pointing at --prompt', async () => {
    const r = await run(['video', 'generate', 'waves at sunset']);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).hint).toBe('Pass the prompt with --prompt "waves at sunset" (quoted as one argument).');
  });
});

describe('video generate: never two paid tasks', () => {
  it('the POST is not sent again after a 502 or a reset after it was sent; a 429 refusal is retried', async () => {
    emulators.cn.enqueueFault({ kind: 'status', status: 502, path: '/v1/video_generation', body: 'bad gateway' });
    const r = await run(['video', 'generate', '--prompt', 'p']);
    expect(r.code).toBe(1);
    expect(requests('POST', '/v1/video_generation')).toHaveLength(1);
    emulators.cn.requests.length = 0;
    emulators.cn.enqueueFault({ kind: 'cut-stream', afterBytes: 5, abort: true, path: '/v1/video_generation' });
    const cut = await run(['video', 'generate', '--prompt', 'p']);
    expect(cut.code).toBe(6);
    expect(requests('POST', '/v1/video_generation')).toHaveLength(1);
    emulators.cn.requests.length = 0;
    emulators.cn.enqueueFault({ kind: 'status', status: 429, path: '/v1/video_generation', body: { error: 'slow down' } });
    const refused = await run(['video', 'generate', '--prompt', 'p', '--async']);
    expect(refused.code).toBe(0);
    expect(requests('POST', '/v1/video_generation')).toHaveLength(2);
  });

  it('a status check that fails transiently is retried (it is a read)', async () => {
    emulators.cn.enqueueFault({ kind: 'status', status: 503, path: '/v1/query/video_generation', body: 'busy' });
    const r = await run(['video', 'generate', '--prompt', 'p']);
    expect(r.code).toBe(0);
    expect(requests('GET', '/v1/query/video_generation')).toHaveLength(4);
  });
});

describe('video generate: a wait that ends badly names the task and how to resume', () => {
  it('--timeout is the whole wait: checks until it runs out, then exit 5 with the resume command', async () => {
    emulators.use('cn', { media: { videoPolls: 1000 } });
    const clock = fakeClock(0);
    const r = await run(['video', 'generate', '--prompt', 'p', '--timeout', '20', '--output', 'text'], { clock });
    expect(r.code).toBe(5);
    expect(clock.sleeps).toEqual([5000, 5000, 5000, 5000]);
    expect(requests('GET', '/v1/query/video_generation')).toHaveLength(5);
    const id = requests('GET', '/v1/query/video_generation')[0]?.query.task_id;
    expect(r.stderr).toContain(`Error: Task ${id} is not done after 20 s (Processing).`);
    expect(r.stderr).toContain(
      `It keeps running on the server; check on it with: mmx video task get --task-id ${id} --wait, then: mmx video download --file-id <file_id> --out video.mp4`,
    );
  });

  it('JSON: the deadline error carries task_id; for MiniMax-H3 the resume command names the model, and --region when it was a flag', async () => {
    emulators.use('cn', { media: { videoPolls: 1000 } });
    const r = await run(
      ['video', 'generate', '--model', 'MiniMax-H3', '--prompt', 'p', '--timeout', '10', '--region', 'cn', '--output', 'json'],
      {
        env: { MINIMAX_REGION: undefined },
      },
    );
    expect(r.code).toBe(5);
    const error = jsonError(r.stderr);
    expect(error.task_id).toMatch(/^\d{15}$/);
    expect(error.hint).toBe(
      `It keeps running on the server; check on it with: mmx video task get --task-id ${error.task_id} --model MiniMax-H3 --wait --region cn`,
    );
  });

  it('Ctrl-C while waiting: exit 130, the task id and the resume command', async () => {
    const controller = new AbortController();
    const clock = {
      now: () => 0,
      sleep: () => {
        setTimeout(() => controller.abort(new Error('SIGINT')), 10);
        return new Promise<void>(() => undefined);
      },
    };
    const r = await run(['video', 'generate', '--prompt', 'p', '--output', 'json'], { clock, signal: controller.signal });
    expect(r.code).toBe(130);
    const error = jsonError(r.stderr);
    expect(error).toMatchObject({ code: 130, message: 'Interrupted.', task_id: expect.stringMatching(/^\d{15}$/) });
    expect(error.hint).toContain(`resume with: mmx video task get --task-id ${error.task_id} --wait`);
    expect(requests('POST', '/v1/video_generation')).toHaveLength(1);
  });

  it('a status check that hangs past its own bound: exit 5, and still the resume command', async () => {
    emulators.cn.enqueueFault({ kind: 'slow-first-byte', ms: 3000, path: '/v1/query/video_generation' });
    const r = await run(['video', 'generate', '--prompt', 'p', '--timeout', '1', '--max-retries', '0']);
    expect(r.code).toBe(5);
    const error = jsonError(r.stderr);
    expect(error.message).toBe('No response from https://api.minimax.cn within 1 s.');
    expect(error.hint).toContain(`resume with: mmx video task get --task-id ${error.task_id} --wait`);
  });

  it.each([
    ['v1', [], { videoOutcome: 'fail' as const }, 1, /^Video task \d+ failed \(status Fail\)\.$/],
    ['v1', [], { contentFilter: 'output' as const }, 10, /^API error: output new_sensitive \(1027\)$/],
    ['v1', [], { contentFilter: 'input' as const }, 10, /^API error: input new_sensitive \(1026\)$/],
    ['v2', ['--model', 'MiniMax-H3'], { videoOutcome: 'fail' as const }, 1, /^Video task \d+ failed \(1000: video generation failed\)\.$/],
    [
      'v2',
      ['--model', 'MiniMax-H3'],
      { contentFilter: 'output' as const },
      10,
      /^Video task \d+ failed \(1027: output video contains sensitive content\)\.$/,
    ],
    [
      'v2',
      ['--model', 'MiniMax-H3'],
      { contentFilter: 'input' as const },
      10,
      /^API error: video description contains sensitive content \(1026\) \(HTTP 422\)$/,
    ],
  ])('%s %j with %j: exit %i', async (_v, flags, media: MediaOptions, code, message) => {
    emulators.use('cn', { media });
    const r = await run(['video', 'generate', '--prompt', 'p', ...flags]);
    expect(r.code).toBe(code);
    expect(jsonError(r.stderr).message).toMatch(message);
    if (media.contentFilter !== 'input') expect(jsonError(r.stderr).task_id).toMatch(/^\d{15}$/);
  });

  it('a download cut mid-way: exit 6, nothing at --download, and how to fetch the ready video', async () => {
    const out = join(tempDir(), 'v.mp4');
    emulators.cdn.cutNext(1000);
    const r = await run(['video', 'generate', '--prompt', 'p', '--download', out]);
    expect(r.code).toBe(6);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.part`)).toBe(false);
    const error = jsonError(r.stderr);
    expect(error).toMatchObject({ task_id: expect.stringMatching(/^\d+$/), file_id: expect.stringMatching(/^\d+$/) });
    expect(error.hint).toContain(
      `The video is ready on the server; download it with: mmx video download --file-id ${error.file_id} --out ${out}`,
    );
  });

  it('global region: the same flow on api.minimax.io with Bearer on the native API', async () => {
    const r = await run(['video', 'generate', '--prompt', 'p', '--async'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.global, MINIMAX_REGION: 'global' },
    });
    expect(r.code).toBe(0);
    expect(emulators.global.requests[0]?.headers.authorization).toBe(`Bearer ${EMULATOR_KEYS.global}`);
  });
});
