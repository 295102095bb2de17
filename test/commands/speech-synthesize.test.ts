/**
 * `mmx speech synthesize` through the real CLI against the emulator (both
 * regions) and its CDN stand-in: the body each flag sets, the audio bytes
 * written (and where), the stream and its trailer, subtitles fetched without the
 * key, the limits checked before the paid request, errors and their exit codes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, emulatedAudio } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { type RunOptions, runCli, tempConfigDir } from '../helpers/run-cli.js';

const CDN = 'https://cdn.example';
const api = useEmulators({ cdn: CDN });

const REGIONS = [
  { region: 'cn' as const, key: EMULATOR_KEYS.cn },
  { region: 'global' as const, key: EMULATOR_KEYS.global },
];
const envFor = (r: (typeof REGIONS)[number]) => ({ MINIMAX_API_KEY: r.key, MINIMAX_REGION: r.region });
const env = envFor(REGIONS[0]!);
const tempDir = () => mkdtempSync(join(tmpdir(), 'mmx-speech-'));
const run = (argv: string[], options: RunOptions = {}) => runCli(['speech', 'synthesize', ...argv], { env, ...options });
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

describe.each(REGIONS)('POST /v1/t2a_v2 in region $region', (r) => {
  it("the default body, Bearer, the decoded audio at --out, and mmx-cli's JSON", async () => {
    const dir = tempDir();
    const out = join(dir, 'hello.mp3');
    const res = await run(['--text', 'Hello there.', '--out', out, '--output', 'json'], { env: envFor(r) });
    expect(res.code).toBe(0);
    const emulator = api[r.region];
    expect(emulator.requests).toHaveLength(1);
    const sent = emulator.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/t2a_v2');
    expect(sent.headers.authorization).toBe(`Bearer ${r.key}`);
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(sent.body)).toBe(
      JSON.stringify({
        model: 'speech-2.8-hd',
        text: 'Hello there.',
        voice_setting: { voice_id: 'English_expressive_narrator' },
        audio_setting: { format: 'mp3', sample_rate: 32000, bitrate: 128000, channel: 1 },
        output_format: 'hex',
        stream: false,
      }),
    );
    const audio = emulatedAudio('Hello there.', 'mp3');
    expect(readFileSync(out).equals(Buffer.from(audio))).toBe(true);
    expect(readdirSync(dir)).toEqual(['hello.mp3']);
    expect(res.json()).toEqual({ saved: out, duration_ms: 12 * 75, size_bytes: audio.length, sample_rate: 32000 });
    expect(res.stderr).toBe('[Model: speech-2.8-hd]\n');
  });
});

describe('each flag sets its field', () => {
  it('every flag at once', async () => {
    const out = join(tempDir(), 'x.flac');
    const res = await run([
      ...['--text', 'Hi', '--out', out, '--output', 'json'],
      ...['--model', 'speech-2.6-turbo', '--voice', 'English_Graceful_Lady', '--speed', '1.5', '--volume', '2', '--pitch', '-3'],
      ...['--emotion', 'happy', '--text-normalization', '--latex-read', '--format', 'flac', '--sample-rate', '44100'],
      ...['--bitrate', '256000', '--channels', '2', '--language', 'English', '--pronunciation', 'omg/oh my god', '--pronunciation', 'a/b'],
    ]);
    expect(res.code).toBe(0);
    expect(JSON.stringify(api.cn.requests[0]?.body)).toBe(
      JSON.stringify({
        model: 'speech-2.6-turbo',
        text: 'Hi',
        voice_setting: {
          voice_id: 'English_Graceful_Lady',
          speed: 1.5,
          vol: 2,
          pitch: -3,
          emotion: 'happy',
          text_normalization: true,
          latex_read: true,
        },
        audio_setting: { format: 'flac', sample_rate: 44100, bitrate: 256000, channel: 2 },
        output_format: 'hex',
        stream: false,
        language_boost: 'English',
        pronunciation_dict: { tone: ['omg/oh my god', 'a/b'] },
      }),
    );
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('fLaC');
    expect(res.json().sample_rate).toBe(44100);
  });

  it('--format sets the sample rate it needs unless --sample-rate is given (opus 24000, pcmu 8000)', async () => {
    const dir = tempDir();
    for (const [format, rate] of [
      ['opus', 24000],
      ['pcmu_raw', 8000],
      ['pcmu_wav', 8000],
      ['wav', 32000],
    ] as const) {
      expect((await run(['--text', 'Hi', '--format', format, '--out', join(dir, `a.${format}`)])).code).toBe(0);
      expect((api.cn.requests.at(-1)?.body as { audio_setting: unknown }).audio_setting).toEqual({
        format,
        sample_rate: rate,
        bitrate: 128000,
        channel: 1,
      });
    }
  });

  it('--model falls back to config default_speech_model, then speech-2.8-hd; the flag wins', async () => {
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ default_speech_model: 'speech-02-hd' }), { mode: 0o600 });
    const dir = tempDir();
    expect((await run(['--text', 'Hi', '--out', join(dir, 'a.mp3')], { configDir })).code).toBe(0);
    expect((api.cn.requests[0]?.body as { model: string }).model).toBe('speech-02-hd');
    const flagged = await run(['--text', 'Hi', '--out', join(dir, 'b.mp3'), '--model', 'speech-2.8-turbo'], { configDir });
    expect(flagged.code).toBe(0);
    expect((api.cn.requests[1]?.body as { model: string }).model).toBe('speech-2.8-turbo');
    expect(flagged.stderr).toBe('[Model: speech-2.8-turbo]\n');
  });

  it('the text from a positional, --text-file and --text-file - (stdin)', async () => {
    const dir = tempDir();
    const file = join(dir, 'text.txt');
    writeFileSync(file, 'From a file.\n');
    expect((await run(['Positional words', '--out', join(dir, 'a.mp3')])).code).toBe(0);
    expect((await run(['--text-file', file, '--out', join(dir, 'b.mp3')])).code).toBe(0);
    const piped = await run(['--text-file', '-', '--out', join(dir, 'c.mp3')], { stdin: 'Breaking news.\n' });
    expect(piped.code).toBe(0);
    expect(piped.stdinReads).toBe(1);
    expect(api.cn.requests.map((q) => (q.body as { text: string }).text)).toEqual([
      'Positional words',
      'From a file.\n',
      'Breaking news.\n',
    ]);
    expect(readFileSync(join(dir, 'c.mp3')).equals(Buffer.from(emulatedAudio('Breaking news.\n', 'mp3')))).toBe(true);
  });

  it('the alias "generate" is the same command', async () => {
    const out = join(tempDir(), 'g.mp3');
    const res = await runCli(['speech', 'generate', '--text', 'Hi', '--out', out, '--output', 'json'], { env });
    expect(res.code).toBe(0);
    expect(res.json().saved).toBe(out);
    expect(api.cn.requests.map((q) => q.path)).toEqual(['/v1/t2a_v2']);
  });
});

describe('refused before the paid request: nothing is sent', () => {
  const refusals: Array<[string, string[], RunOptions, RegExp]> = [
    ['no text', ['--output', 'json'], {}, /^--text or --text-file is required\.$/],
    ['two texts', ['--text', 'a', 'b'], {}, /^Give the text once: --text and a text argument were given\.$/],
    ['over 10,000 characters', ['--text', 'a'.repeat(10_001)], {}, /10,001 characters long.*at most 10,000 \(the \/v1\/t2a_v2 limit\)/],
    ['an empty text', ['--text', ''], {}, /^The text is empty/],
    ['wav streamed', ['--text', 'a', '--stream', '--format', 'wav'], {}, /^wav format is not supported in streaming mode\.$/],
    ['subtitles streamed', ['--text', 'a', '--stream', '--subtitles'], {}, /^--subtitles needs a whole response/],
    ['--speed out of range', ['--text', 'a', '--speed', '3'], {}, /--speed must be a number from 0\.5 to 2\./],
    ['--pitch not whole', ['--text', 'a', '--pitch', '1.5'], {}, /--pitch must be a whole number from -12 to 12\./],
    ['--volume 0', ['--text', 'a', '--volume', '0'], {}, /--volume must be a number above 0 and up to 10\./],
    ['--channels 3', ['--text', 'a', '--channels', '3'], {}, /--channels must be a whole number from 1 to 2\./],
    ['an unknown format', ['--text', 'a', '--format', 'aac'], {}, /Allowed choices are mp3, pcm, flac, wav, pcmu_raw, pcmu_wav, opus/],
    ['a missing text file', ['--text-file', '/nonexistent/t.txt'], {}, /^--text-file: cannot read \/nonexistent\/t\.txt: no such file\.$/],
    ['stdin twice', ['--text-file', '-', '--api-key', '-'], { stdin: 'x' }, /both want to read stdin/],
    ['--out - on a terminal', ['--text', 'a', '--out', '-'], { stdoutTTY: true }, /^Not writing a binary file to the terminal\.$/],
    ['an --out directory that does not exist', ['--text', 'a', '--out', '/nonexistent/dir/a.mp3'], {}, /^Cannot write .*no such directory/],
  ];
  it.each(refusals)('%s: exit 2', async (_name, argv, options, message) => {
    const res = await run([...argv, '--output', 'json'], options);
    expect(res.code).toBe(2);
    expect(jsonError(res.stderr).message).toMatch(message);
    expect(api.cn.requests).toHaveLength(0);
    expect(res.stdout).toBe('');
  });

  it('a text file over the limit is refused with its length and name', async () => {
    const file = join(tempDir(), 'long.txt');
    writeFileSync(file, '语'.repeat(10_500));
    const res = await run(['--text-file', file, '--output', 'json']);
    expect(res.code).toBe(2);
    expect(jsonError(res.stderr)).toMatchObject({
      message: `The text is 10,500 characters long (${file}); one synthesis takes at most 10,000 (the /v1/t2a_v2 limit).`,
      hint: 'Split it into parts of at most 10,000 characters and synthesize each.',
    });
    expect(api.cn.requests).toHaveLength(0);
  });

  it('exactly 10,000 characters are sent', async () => {
    const res = await run(['--text', 'a'.repeat(10_000), '--out', join(tempDir(), 'a.mp3')]);
    expect(res.code).toBe(0);
    expect(api.cn.requests).toHaveLength(1);
  });
});

describe('where the audio goes', () => {
  it('no --out: speech_<UTC time>.<format> in the working directory, as mmx-cli', async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const res = await run(['--text', 'Hi', '--format', 'opus', '--output', 'json'], { now: Date.parse('2026-11-28T12:03:04Z') });
      expect(res.code).toBe(0);
      expect(res.json().saved).toBe('speech_2026-11-28-12-03-04.opus');
      expect(readdirSync(dir)).toEqual(['speech_2026-11-28-12-03-04.opus']);
      expect(readFileSync(join(dir, 'speech_2026-11-28-12-03-04.opus')).subarray(0, 4).toString()).toBe('OggS');
    } finally {
      process.chdir(cwd);
    }
  });

  it('--out - writes the audio to a pipe, and nothing else to stdout', async () => {
    const res = await run(['--text', 'Piped', '--out', '-', '--output', 'json']);
    expect(res.code).toBe(0);
    expect(res.stdoutBytes.equals(Buffer.from(emulatedAudio('Piped', 'mp3')))).toBe(true);
  });

  it('--quiet prints the path alone; text output is mmx-cli\'s "key: value" lines', async () => {
    const dir = tempDir();
    const quiet = await run(['--text', 'Hi', '--out', join(dir, 'q.mp3'), '--quiet', '--output', 'json']);
    expect(quiet.stdout).toBe(`${join(dir, 'q.mp3')}\n`);
    expect(quiet.stderr).toBe('');
    const text = await run(['--text', 'Hi', '--out', join(dir, 't.mp3'), '--output', 'text']);
    expect(text.stdout).toBe(`saved: ${join(dir, 't.mp3')}\nduration_ms: 150\nsize_bytes: 138\nsample_rate: 32000\n`);
  });

  it('an existing file: replaced in a script, asked about on a terminal (no: nothing is sent), --force replaces', async () => {
    const out = join(tempDir(), 'a.mp3');
    writeFileSync(out, 'old');
    const script = await run(['--text', 'One', '--out', out]);
    expect(script.code).toBe(0);
    expect(readFileSync(out).equals(Buffer.from(emulatedAudio('One', 'mp3')))).toBe(true);

    writeFileSync(out, 'old');
    const declined = await run(['--text', 'Two', '--out', out, '--output', 'text'], { stderrTTY: true, answer: 'n' });
    expect(declined.code).toBe(1);
    expect(declined.prompts).toEqual([`Overwrite ${out}? [y/N] `]);
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(api.cn.requests).toHaveLength(1);

    const accepted = await run(['--text', 'Two', '--out', out], { stderrTTY: true, answer: 'y' });
    expect(accepted.code).toBe(0);
    expect(readFileSync(out).equals(Buffer.from(emulatedAudio('Two', 'mp3')))).toBe(true);

    const refused = await run(['--text', 'Three', '--out', out, '--non-interactive', '--output', 'json'], { stderrTTY: true });
    expect(refused.code).toBe(2);
    expect(jsonError(refused.stderr).message).toBe(`${out} exists; pass --force to overwrite it.`);
    expect(api.cn.requests).toHaveLength(2);

    const forced = await run(['--text', 'Three', '--out', out, '--non-interactive', '--force'], { stderrTTY: true });
    expect(forced.code).toBe(0);
    expect(forced.prompts).toEqual([]);
    expect(readFileSync(out).equals(Buffer.from(emulatedAudio('Three', 'mp3')))).toBe(true);
  });

  it("--dry-run: mmx-cli's {request}, the request with the key masked, the files; nothing sent or written", async () => {
    const dir = tempDir();
    const out = join(dir, 'a.mp3');
    const res = await run(['--text', 'Hi', '--subtitles', '--out', out, '--dry-run', '--output', 'json']);
    expect(res.code).toBe(0);
    const doc = res.json();
    expect(Object.keys(doc)).toEqual(['request', 'dry_run', 'requests', 'files']);
    expect(doc.request).toMatchObject({ model: 'speech-2.8-hd', text: 'Hi', subtitle_enable: true, stream: false });
    expect(doc.requests[0]).toMatchObject({ method: 'POST', url: 'https://api.minimax.cn/v1/t2a_v2', body: doc.request });
    expect(doc.requests[0].headers.authorization).toBe('Bearer sk-…YaXe');
    expect(doc.files).toEqual([out, join(dir, 'a.srt')]);
    expect(api.cn.requests).toHaveLength(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('--stream: the audio as it arrives', () => {
  it('to a pipe: the pieces, in order, without the trailer that repeats them (mmx-cli writes it too)', async () => {
    const text = 'A longer text, so that the audio comes in several frames of the stream.';
    api.use('cn', { speech: { frameBytes: 1000 } });
    const res = await run(['--text', text, '--stream']);
    expect(res.code).toBe(0);
    const audio = Buffer.from(emulatedAudio(text, 'mp3'));
    expect(audio.length).toBeGreaterThan(3000);
    expect(res.stdoutBytes.equals(audio)).toBe(true);
    expect((api.cn.requests[0]?.body as { stream: boolean }).stream).toBe(true);
    expect(api.cn.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(res.stderr).toBe('');
  });

  it('to --out: the file, and the figures of the last frame', async () => {
    const out = join(tempDir(), 's.mp3');
    const res = await run(['--text', 'Streamed to a file', '--stream', '--out', out, '--output', 'json']);
    expect(res.code).toBe(0);
    const audio = emulatedAudio('Streamed to a file', 'mp3');
    expect(readFileSync(out).equals(Buffer.from(audio))).toBe(true);
    expect(res.json()).toEqual({ saved: out, duration_ms: 18 * 75, size_bytes: audio.length, sample_rate: 32000 });
  });

  it('stdout a terminal: to the default file instead', async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const res = await run(['--text', 'Hi', '--stream', '--output', 'json'], { stdoutTTY: true });
      expect(res.code).toBe(0);
      expect(res.json().saved).toMatch(/^speech_\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.mp3$/);
      expect(readdirSync(dir)).toEqual([res.json().saved]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('a stream cut before its last frame: exit 6, and no file at --out (nor a .part)', async () => {
    const dir = tempDir();
    api.use('cn', { speech: { frameBytes: 500 } });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 2, abort: true });
    const res = await run([
      '--text',
      'This stream will be cut short by the server.',
      '--stream',
      '--out',
      join(dir, 'cut.mp3'),
      '--output',
      'json',
    ]);
    expect(res.code).toBe(6);
    expect(readdirSync(dir)).toEqual([]);
    expect(api.cn.requests).toHaveLength(1);
  });

  it('a stream that ends cleanly without its last frame is incomplete: exit 6', async () => {
    api.use('cn', { speech: { frameBytes: 500 } });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 1 });
    const res = await run(['--text', 'This stream will end early without an error.', '--stream', '--output', 'json']);
    expect(res.code).toBe(6);
    expect(jsonError(res.stderr).message).toBe('The audio stream ended before its last frame, after 500 bytes; the audio is incomplete.');
    expect(res.stdoutBytes.length).toBe(500);
  });

  it("--stream=false (mmx-cli's spelling) and --no-stream: the whole answer", async () => {
    const dir = tempDir();
    expect((await run(['--text', 'Hi', '--stream=false', '--out', join(dir, 'a.mp3')])).code).toBe(0);
    expect((await run(['--text', 'Hi', '--no-stream', '--out', join(dir, 'b.mp3')])).code).toBe(0);
    expect(api.cn.requests.map((q) => (q.body as { stream: boolean }).stream)).toEqual([false, false]);
  });

  it('Ctrl-C mid-stream: exit 130 at once, no file at --out (nor a .part)', async () => {
    const dir = tempDir();
    api.use('cn', { speech: { frameBytes: 100 } });
    api.cn.setFault({ kind: 'slow-stream', ms: 300 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const res = await run(['--text', 'A text long enough for many frames.', '--stream', '--out', join(dir, 'a.mp3'), '--output', 'json'], {
      signal: controller.signal,
    });
    expect(res.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an error in the stream's answer (a JSON body instead of events) is the API error", async () => {
    const res = await run(['--text', 'FLAGGED-INPUT', '--stream', '--output', 'json']);
    expect(res.code).toBe(10);
    expect(jsonError(res.stderr)).toMatchObject({ api_code: 1026 });
    expect(res.stdout).toBe('');
  });
});

describe('--subtitles: the SRT beside the audio, fetched without the key', () => {
  it('downloads the subtitle file from the CDN (no auth header, no key) and converts it', async () => {
    const dir = tempDir();
    const out = join(dir, 'hello.mp3');
    const res = await run(['--text', 'Hello there. How are you?', '--subtitles', '--out', out, '--output', 'json']);
    expect(res.code).toBe(0);
    expect((api.cn.requests[0]?.body as { subtitle_enable: boolean }).subtitle_enable).toBe(true);
    expect(readFileSync(join(dir, 'hello.srt'), 'utf8')).toBe(
      '1\n00:00:00,000 --> 00:00:00,900\nHello there.\n\n2\n00:00:00,900 --> 00:00:01,800\nHow are you?\n',
    );
    expect(readdirSync(dir).sort()).toEqual(['hello.mp3', 'hello.srt']);
    expect(res.json()).toMatchObject({ saved: out, subtitles: join(dir, 'hello.srt') });
    expect(api.cdn.requests).toHaveLength(1);
    const [cdnRequest] = api.cdn.requests;
    expect(cdnRequest?.path).toMatch(/^\/speech\/subtitles\/\w+\.json$/);
    expect(cdnRequest?.headers.authorization).toBeUndefined();
    expect(cdnRequest?.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(cdnRequest)).not.toContain(EMULATOR_KEYS.cn);
  });

  it('--quiet: the audio path, then the subtitles path', async () => {
    const dir = tempDir();
    const res = await run(['--text', 'Hi.', '--subtitles', '--out', join(dir, 'q.mp3'), '--quiet']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`${join(dir, 'q.mp3')}\n${join(dir, 'q.srt')}\n`);
  });

  it('an existing .srt is asked about before the request, like the audio', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.srt'), 'old');
    const res = await run(['--text', 'Hi.', '--subtitles', '--out', join(dir, 'a.mp3')], { stderrTTY: true, answer: '' });
    expect(res.code).toBe(1);
    expect(res.prompts).toEqual([`Overwrite ${join(dir, 'a.srt')}? [y/N] `]);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('not returned by the API: a warning, the audio kept, exit 0 (as mmx-cli); JSON says why', async () => {
    api.use('cn', { cdn: undefined });
    const dir = tempDir();
    const res = await run(['--text', 'Hi.', '--subtitles', '--out', join(dir, 'a.mp3'), '--output', 'json']);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('warning: subtitles requested but not returned by the API.');
    expect(res.json()).toMatchObject({ saved: join(dir, 'a.mp3'), subtitles_error: 'subtitles requested but not returned by the API' });
    expect(readdirSync(dir)).toEqual(['a.mp3']);
  });

  it('a download cut short: a warning, the audio kept, no .srt and no temporary file left', async () => {
    const dir = tempDir();
    api.cdn.cutNext(5);
    const res = await run(['--text', 'Hello there. How are you?', '--subtitles', '--out', join(dir, 'a.mp3'), '--output', 'json']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/warning: failed to download subtitles: /);
    expect(res.json().subtitles_error).toMatch(/^failed to download subtitles: /);
    expect(readdirSync(dir)).toEqual(['a.mp3']);
  });
});

describe('API errors', () => {
  it('flagged input (1026) and output (1027): exit 10, nothing written', async () => {
    const dir = tempDir();
    for (const [text, code] of [
      ['say FLAGGED-INPUT', 1026],
      ['say FLAGGED-OUTPUT', 1027],
    ] as const) {
      const res = await run(['--text', text, '--out', join(dir, 'a.mp3'), '--output', 'json']);
      expect(res.code).toBe(10);
      expect(jsonError(res.stderr)).toMatchObject({ code: 10, api_code: code });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unknown voice (20132) is an API error, exit 1, naming it', async () => {
    const res = await run(['--text', 'Hi', '--voice', 'Nobody_Here', '--out', join(tempDir(), 'a.mp3'), '--output', 'json']);
    expect(res.code).toBe(1);
    expect(jsonError(res.stderr).message).toBe('API error: invalid samples or voice_id: Nobody_Here (20132)');
  });

  it('paid work is not sent again after a server error that may have created it (refused-only)', async () => {
    api.cn.enqueueFault({ kind: 'server-error', code: 1000 });
    const res = await run(['--text', 'Hi', '--out', join(tempDir(), 'a.mp3'), '--output', 'json']);
    expect(res.code).toBe(1);
    expect(api.cn.requests).toHaveLength(1);
  });

  it('a rate-limit answer (1002) proves nothing was made: retried, then saved', async () => {
    api.cn.enqueueFault({ kind: 'status', status: 200, body: { base_resp: { status_code: 1002, status_msg: 'rate limit' } } });
    const out = join(tempDir(), 'a.mp3');
    const res = await run(['--text', 'Hi', '--out', out, '--output', 'json']);
    expect(res.code).toBe(0);
    expect(api.cn.requests).toHaveLength(2);
    expect(existsSync(out)).toBe(true);
  });

  it('malformed audio (odd hex) is an API error, and nothing is written', async () => {
    const dir = tempDir();
    api.cn.enqueueFault({ kind: 'status', status: 200, body: { data: { audio: 'abc', status: 2 }, base_resp: { status_code: 0 } } });
    const res = await run(['--text', 'Hi', '--out', join(dir, 'a.mp3'), '--output', 'json']);
    expect(res.code).toBe(1);
    expect(jsonError(res.stderr).message).toMatch(/^Unexpected response to POST \/v1\/t2a_v2: the audio is truncated/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a key of the other region: exit 3', async () => {
    const res = await run(['--text', 'Hi', '--out', join(tempDir(), 'a.mp3'), '--output', 'json'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.global, MINIMAX_REGION: 'cn' },
    });
    expect(res.code).toBe(3);
  });
});
