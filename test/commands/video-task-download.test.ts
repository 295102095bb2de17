/**
 * `mmx video task get` (v1 and v2 shapes, --quiet, --wait, ids percent-encoded)
 * and `mmx video download` (the file link, then a download that never carries
 * the key, written whole or not at all, asked about on a terminal), against the
 * emulator (msw) and its CDN stand-in.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { type RunOptions, fakeClock, runCli } from '../helpers/run-cli.js';

const CDN = 'https://cdn-cn.example.com';
const emulators = useEmulators({ cdn: CDN });
const KEY = EMULATOR_KEYS.cn;
const tempDir = () => mkdtempSync(join(tmpdir(), 'mmx-task-'));
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

function run(argv: string[], options: RunOptions = {}) {
  return runCli(argv, { stdin: '', clock: fakeClock(0), ...options, env: { MINIMAX_API_KEY: KEY, MINIMAX_REGION: 'cn', ...options.env } });
}

/** A task made through the emulator itself, as another process would have. */
async function createTask(v2 = false): Promise<string> {
  const response = await emulators.cn.handle(
    new Request(`https://api.minimax.cn/${v2 ? 'v2' : 'v1'}/video_generation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        v2 ? { model: 'MiniMax-H3', content: [{ type: 'text', text: 'x' }], ratio: '16:9' } : { model: 'MiniMax-Hailuo-2.3', prompt: 'x' },
      ),
    }),
  );
  const id = ((await response.json()) as { task_id: string }).task_id;
  emulators.cn.requests.length = 0;
  return id;
}

/** A finished v1 task's file id. */
async function finishedFile(): Promise<string> {
  const id = await createTask();
  const r = await run(['video', 'task', 'get', '--task-id', id, '--wait', '--output', 'json']);
  emulators.cn.requests.length = 0;
  return r.json().file_id;
}

describe('video task get', () => {
  it("v1: mmx-cli 1.0.27's {task_id, status, file_id, video_width, video_height}, one GET with the id in the query", async () => {
    const id = await createTask();
    const first = await run(['video', 'task', 'get', '--task-id', id, '--output', 'json']);
    expect(first.code).toBe(0);
    expect(first.json()).toEqual({ task_id: id, status: 'Queueing' });
    expect(emulators.cn.requests.map((r) => [r.method, r.path, r.query])).toEqual([['GET', '/v1/query/video_generation', { task_id: id }]]);
    expect(emulators.cn.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    await run(['video', 'task', 'get', '--task-id', id]);
    const done = await run(['video', 'task', 'get', '--task-id', id, '--output', 'text']);
    expect(done.stdout).toMatch(
      new RegExp(`^task_id: ${id}\\nstatus: Success\\nfile_id: \\d{15}\\nvideo_width: 1366\\nvideo_height: 768\\n$`),
    );
  });

  it('--quiet: the bare status, whatever --output says', async () => {
    const id = await createTask();
    const r = await run(['video', 'task', 'get', '--task-id', id, '--quiet', '--output', 'json']);
    expect(r.stdout).toBe('Queueing\n');
  });

  it('--model MiniMax-H3: the v2 task, queried at /v2/query/video_generation/<id>, in its own shape', async () => {
    const id = await createTask(true);
    for (let i = 0; i < 2; i++) await run(['video', 'task', 'get', '--task-id', id, '--model', 'MiniMax-H3']);
    const r = await run(['video', 'task', 'get', '--task-id', id, '--model', 'MiniMax-H3', '--output', 'json']);
    expect(emulators.cn.requests.map((q) => q.path)).toEqual(Array(3).fill(`/v2/query/video_generation/${id}`));
    expect(r.json()).toEqual({
      task_id: id,
      model: 'MiniMax-H3',
      status: 'succeeded',
      url: expect.stringMatching(new RegExp(`^${CDN}/video_generation/${id}/output\\.mp4\\?Expires=`)),
      resolution: '2K',
      duration: 5,
      ratio: '16:9',
    });
  });

  it('ids are percent-encoded, in the query and in the path', async () => {
    const odd = 'a/b c&d=1';
    await run(['video', 'task', 'get', '--task-id', odd]);
    expect(emulators.cn.requests[0]?.query).toEqual({ task_id: odd });
    await run(['video', 'task', 'get', '--task-id', odd, '--model', 'MiniMax-H3']);
    expect(emulators.cn.requests[1]?.path).toBe('/v2/query/video_generation/a%2Fb%20c%26d%3D1');
  });

  it('--wait: checks every --poll-interval until done, then prints it; the shortcut `mmx video task` works too', async () => {
    const id = await createTask();
    const clock = fakeClock(0);
    const r = await run(['video', 'task', '--task-id', id, '--wait', '--poll-interval', '3', '--output', 'json'], { clock });
    expect(r.code).toBe(0);
    expect(r.json().status).toBe('Success');
    expect(clock.sleeps).toEqual([3000, 3000]);
  });

  it('a failed task: printed (exit 0) without --wait, an error with --wait', async () => {
    emulators.use('cn', { media: { videoPolls: 0, videoOutcome: 'fail' } });
    const id = await createTask();
    const plain = await run(['video', 'task', 'get', '--task-id', id, '--output', 'json']);
    expect(plain.code).toBe(0);
    expect(plain.json().status).toBe('Fail');
    const waited = await run(['video', 'task', 'get', '--task-id', id, '--wait', '--output', 'json']);
    expect(waited.code).toBe(1);
    expect(jsonError(waited.stderr)).toMatchObject({ message: `Video task ${id} failed (status Fail).`, task_id: id });
  });

  it('--wait with --timeout: exit 5 after that long, naming the task', async () => {
    emulators.use('cn', { media: { videoPolls: 1000 } });
    const id = await createTask();
    const r = await run(['video', 'task', 'get', '--task-id', id, '--wait', '--timeout', '12']);
    expect(r.code).toBe(5);
    expect(jsonError(r.stderr)).toMatchObject({ code: 5, task_id: id, message: `Task ${id} is not done after 12 s (Processing).` });
  });

  it('an unknown task: the API error (exit 1); no --task-id: exit 2; --dry-run: the GET, nothing sent', async () => {
    const unknown = await run(['video', 'task', 'get', '--task-id', '1']);
    expect(unknown.code).toBe(1);
    expect(jsonError(unknown.stderr).api_code).toBe(2013);
    const missing = await run(['video', 'task', 'get']);
    expect(missing.code).toBe(2);
    expect(jsonError(missing.stderr)).toMatchObject({ message: '--task-id is required.', hint: 'mmx video task get --task-id <id>' });
    emulators.cn.requests.length = 0;
    const dry = await run(['video', 'task', 'get', '--task-id', 'x y', '--dry-run', '--output', 'json']);
    expect(dry.json().requests[0]).toMatchObject({ method: 'GET', url: 'https://api.minimax.cn/v1/query/video_generation?task_id=x+y' });
    expect(emulators.cn.requests).toEqual([]);
  });
});

describe('video download', () => {
  it("the file's link, then the CDN without the key; 1.0.27's {saved, size} plus bytes and file_id", async () => {
    const fileId = await finishedFile();
    const out = join(tempDir(), 'video.mp4');
    const r = await run(['video', 'download', '--file-id', fileId, '--out', out, '--output', 'json']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ saved: out, size: '256.0 KB', bytes: 262144, file_id: fileId });
    expect(emulators.cn.requests.map((q) => [q.path, q.query])).toEqual([['/v1/files/retrieve', { file_id: fileId }]]);
    const [get] = emulators.cdn.requests;
    expect(get?.path).toMatch(/^\/video_generation\/\d+\/output\.mp4$/);
    expect(get?.headers.authorization).toBeUndefined();
    expect(get?.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(emulators.cdn.requests)).not.toContain(KEY);
    expect(readFileSync(out).subarray(4, 8).toString()).toBe('ftyp');
  });

  it('text and --quiet as mmx-cli', async () => {
    const fileId = await finishedFile();
    const dir = tempDir();
    const text = await run(['video', 'download', '--file-id', fileId, '--out', join(dir, 'a.mp4'), '--output', 'text']);
    expect(text.stdout).toBe(`saved: ${join(dir, 'a.mp4')}\nsize: 256.0 KB\n`);
    const quiet = await run(['video', 'download', '--file-id', fileId, '--out', join(dir, 'b.mp4'), '--quiet']);
    expect(quiet.stdout).toBe(`${join(dir, 'b.mp4')}\n`);
  });

  it('on a terminal: a progress bar with bytes, total and percent on stderr, erased at the end', async () => {
    const fileId = await finishedFile();
    const out = join(tempDir(), 'clip.mp4');
    const r = await run(['video', 'download', '--file-id', fileId, '--out', out, '--output', 'text'], { stderrTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\rclip\.mp4 \[[█░]{20}\] \d+%  [\d.]+ k?B \/ 262 kB/);
    expect(r.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect(r.stdout).toBe(`saved: ${out}\nsize: 256.0 KB\n`);
  });

  it('--out -: the video on stdout (not a terminal)', async () => {
    const fileId = await finishedFile();
    const r = await run(['video', 'download', '--file-id', fileId, '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stdoutBytes.length).toBe(262144);
    expect(r.stdoutBytes.subarray(4, 8).toString()).toBe('ftyp');
    const tty = await run(['video', 'download', '--file-id', fileId, '--out', '-'], { stdoutTTY: true });
    expect(tty.code).toBe(2);
  });

  it('an existing --out: overwritten in a script; on a terminal asked before any request ("n" sends nothing); --force never asks', async () => {
    const fileId = await finishedFile();
    const out = join(tempDir(), 'v.mp4');
    writeFileSync(out, 'old');
    const tty = { stdin: undefined, stderrTTY: true } as const;
    const no = await run(['video', 'download', '--file-id', fileId, '--out', out], { ...tty, answer: 'no' });
    expect(no.code).toBe(1);
    expect(no.prompts).toEqual([`Overwrite ${out}? [y/N] `]);
    expect(emulators.cn.requests).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe('old');
    const forced = await run(['video', 'download', '--file-id', fileId, '--out', out, '--force'], tty);
    expect(forced.code).toBe(0);
    expect(forced.prompts).toEqual([]);
    writeFileSync(out, 'old');
    const script = await run(['video', 'download', '--file-id', fileId, '--out', out]);
    expect(script.code).toBe(0);
    expect(script.stderr).toContain(`Overwriting ${out}.`);
    expect(readFileSync(out).length).toBe(262144);
  });

  it('a download cut mid-way: exit 6, and no file (nor .part) at --out', async () => {
    const fileId = await finishedFile();
    const dir = tempDir();
    emulators.cdn.cutNext(4096);
    const r = await run(['video', 'download', '--file-id', fileId, '--out', join(dir, 'v.mp4')]);
    expect(r.code).toBe(6);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('file ids are percent-encoded; an unknown file is the API error; missing flags are exit 2; --dry-run lists the file', async () => {
    const r = await run(['video', 'download', '--file-id', '1&x=2', '--out', join(tempDir(), 'v.mp4')]);
    expect(r.code).toBe(1);
    expect(emulators.cn.requests[0]?.query).toEqual({ file_id: '1&x=2' });
    for (const [argv, message] of [
      [['--out', 'v.mp4'], '--file-id is required.'],
      [['--file-id', '1'], '--out is required.'],
    ] as const) {
      const missing = await run(['video', 'download', ...argv]);
      expect(missing.code).toBe(2);
      expect(jsonError(missing.stderr).message).toBe(message);
    }
    emulators.cn.requests.length = 0;
    const out = join(tempDir(), 'v.mp4');
    const dry = await run(['video', 'download', '--file-id', '9', '--out', out, '--dry-run', '--output', 'json']);
    expect(dry.json()).toMatchObject({
      dry_run: true,
      files: [out],
      requests: [{ url: 'https://api.minimax.cn/v1/files/retrieve?file_id=9' }],
    });
    expect(emulators.cn.requests).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});
