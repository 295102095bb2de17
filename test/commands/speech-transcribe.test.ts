/**
 * `mmx speech transcribe` through the real CLI against the emulator (both
 * regions): the multipart form the server received (fields, the file's exact
 * bytes, the `language` header), each response format as mmx-cli prints it,
 * the stream, --out, the checks made before the upload, and the errors.
 */
import { mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, type RecordedRequest, parseMultipart } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { type RunOptions, runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const run = (argv: string[], options: RunOptions = {}) => runCli(['speech', 'transcribe', ...argv], { env, ...options });
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

/** An "audio" file the emulator transcribes as `words` (ASCII, so the recorded body reads back exactly). */
function audioFile(name = 'meeting.mp3', words = 'this is the meeting'): { path: string; dir: string; bytes: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'mmx-stt-'));
  const path = join(dir, name);
  const bytes = Buffer.from(`ID3 emulated audio\nSPEECH: ${words}\n${'frame '.repeat(200)}`);
  writeFileSync(path, bytes);
  return { path, dir, bytes };
}

/** The form the emulator received. */
function form(request: RecordedRequest | undefined) {
  const parsed = parseMultipart(Buffer.from(String(request?.body), 'utf8'), request?.headers['content-type'] ?? null);
  if (!parsed) throw new Error('not a multipart body');
  return parsed;
}

describe.each([
  { region: 'cn' as const, key: EMULATOR_KEYS.cn },
  { region: 'global' as const, key: EMULATOR_KEYS.global },
])('POST /v1/speech_to_text in region $region', (r) => {
  it('a multipart upload: model asr-1.0, response_format json, the file as sent; Bearer; the payload in JSON', async () => {
    const { path, bytes } = audioFile();
    const res = await run(['--file', path, '--output', 'json'], { env: { MINIMAX_API_KEY: r.key, MINIMAX_REGION: r.region } });
    expect(res.code).toBe(0);
    const emulator = api[r.region];
    expect(emulator.requests).toHaveLength(1);
    const sent = emulator.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/speech_to_text');
    expect(sent.headers.authorization).toBe(`Bearer ${r.key}`);
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.headers.language).toBeUndefined();
    const received = form(sent);
    expect(received.fields).toEqual({ model: 'asr-1.0', response_format: 'json' });
    expect(Object.keys(received.files)).toEqual(['file']);
    expect(received.files.file).toMatchObject({ filename: 'meeting.mp3', contentType: 'audio/mpeg' });
    expect(Buffer.from(received.files.file!.bytes).equals(bytes)).toBe(true);
    expect(res.json()).toEqual({ text: 'this is the meeting', duration: 0.5, base_resp: { status_code: 0, status_msg: 'success' } });
    expect(res.stderr).toBe('[Model: asr-1.0]\n');
  });
});

describe('what each flag sends and prints', () => {
  it('text output is the transcript; a positional names the file; the alias "recognize"', async () => {
    const { path } = audioFile('a.wav', 'hello world');
    const res = await runCli(['speech', 'recognize', path, '--output', 'text'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('hello world\n');
    expect(form(api.cn.requests[0]).files.file).toMatchObject({ filename: 'a.wav', contentType: 'audio/wav' });
  });

  it('--language goes as the "language" request header, not a form field (as mmx-cli 1.0.27)', async () => {
    const { path } = audioFile();
    const res = await run(['--file', path, '--language', 'zh', '--output', 'json']);
    expect(res.code).toBe(0);
    expect(api.cn.requests[0]?.headers.language).toBe('zh');
    expect(form(api.cn.requests[0]).fields).toEqual({ model: 'asr-1.0', response_format: 'json' });
  });

  it('--response-format verbose_json --timestamp-level word: the fields, and the payload with its segments', async () => {
    const { path } = audioFile();
    const res = await run(['--file', path, '--response-format', 'verbose_json', '--timestamp-level', 'word', '--output', 'json']);
    expect(res.code).toBe(0);
    expect(form(api.cn.requests[0]).fields).toEqual({ model: 'asr-1.0', response_format: 'verbose_json', timestamp_level: 'word' });
    const payload = res.json();
    expect(payload).toMatchObject({ text: 'this is the meeting', n_speakers: 1, language: 'en' });
    expect(payload.segments[0].words.map((w: { word: string }) => w.word)).toEqual(['this', 'is', 'the', 'meeting']);
  });

  it('--response-format srt and vtt: the document as sent, whatever the output format', async () => {
    const { path } = audioFile();
    const srt = await run(['--file', path, '--response-format', 'srt', '--output', 'json']);
    expect(srt.code).toBe(0);
    expect(srt.stdout).toBe('1\n00:00:00,000 --> 00:00:00,500\nthis is the meeting\n');
    const vtt = await run(['--file', path, '--response-format', 'vtt', '--timestamp-level', 'sentence', '--output', 'text']);
    expect(vtt.stdout).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nthis is the meeting\n');
    expect(form(api.cn.requests[1]).fields).toEqual({ model: 'asr-1.0', response_format: 'vtt', timestamp_level: 'sentence' });
  });

  it('--model is sent as given', async () => {
    const { path } = audioFile();
    const res = await run(['--file', path, '--model', 'asr-2.0', '--output', 'json']);
    expect(form(api.cn.requests[0]).fields.model).toBe('asr-2.0');
    expect(res.code).toBe(1);
    expect(jsonError(res.stderr)).toMatchObject({ api_code: 2013 });
  });

  it('--out: the result in the file (JSON: the payload; text: the transcript), then {saved, duration}; --quiet the path', async () => {
    const { path, dir } = audioFile();
    const json = await run(['--file', path, '--out', join(dir, 't.json'), '--output', 'json']);
    expect(json.code).toBe(0);
    expect(json.json()).toEqual({ saved: join(dir, 't.json'), duration: 0.5 });
    expect(JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')).text).toBe('this is the meeting');
    const text = await run(['--file', path, '--out', join(dir, 't.txt'), '--output', 'text']);
    expect(text.stdout).toBe(`saved: ${join(dir, 't.txt')}\nduration: 0.5\n`);
    expect(readFileSync(join(dir, 't.txt'), 'utf8')).toBe('this is the meeting\n');
    const srt = await run(['--file', path, '--response-format', 'srt', '--out', join(dir, 't.srt'), '--quiet', '--output', 'json']);
    expect(srt.stdout).toBe(`${join(dir, 't.srt')}\n`);
    expect(srt.stderr).toBe('');
    expect(readFileSync(join(dir, 't.srt'), 'utf8')).toBe('1\n00:00:00,000 --> 00:00:00,500\nthis is the meeting\n');
  });

  it("--dry-run: mmx-cli's {request} (fields, file, language), the request described (file and size), nothing sent", async () => {
    const { path, bytes } = audioFile();
    const res = await run(['--file', path, '--language', 'en', '--dry-run', '--output', 'json']);
    expect(res.code).toBe(0);
    const doc = res.json();
    expect(doc.request).toEqual({ model: 'asr-1.0', response_format: 'json', file: path, language: 'en' });
    expect(doc.requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://api.minimax.cn/v1/speech_to_text',
      body: { model: 'asr-1.0', response_format: 'json', file: path, bytes: bytes.length },
    });
    expect(doc.requests[0].headers).toMatchObject({ language: 'en', 'content-type': 'multipart/form-data' });
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('--stream: the text as it is recognized', () => {
  it('text: the deltas as they come, then a newline; stream=true in the form; [Duration] on stderr', async () => {
    const { path } = audioFile('long.mp3', 'one two three four');
    const res = await run(['--file', path, '--stream', '--output', 'text']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('one two three four\n');
    expect(form(api.cn.requests[0]).fields).toEqual({ model: 'asr-1.0', response_format: 'json', stream: 'true' });
    expect(api.cn.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(res.stderr).toBe('[Model: asr-1.0]\n[Duration: 0.5s]\n');
  });

  it("JSON: mmx-cli's {text, duration} once the last event arrived", async () => {
    const { path } = audioFile('long.mp3', 'one two three four');
    const res = await run(['--file', path, '--stream', '--output', 'json']);
    expect(res.code).toBe(0);
    expect(res.json()).toEqual({ text: 'one two three four', duration: 0.5 });
  });

  it('a stream cut before its final event: exit 6, what arrived printed (JSON: partial_text)', async () => {
    const { path } = audioFile('long.mp3', 'one two three four');
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 2 });
    const text = await run(['--file', path, '--stream', '--output', 'text']);
    expect(text.code).toBe(6);
    expect(text.stdout).toBe('one two\n');
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 2, abort: true });
    const json = await run(['--file', path, '--stream', '--output', 'json']);
    expect(json.code).toBe(6);
    expect(json.stdout).toBe('');
    expect(jsonError(json.stderr).partial_text).toBe('one two');
  });
});

describe('checked before the upload: nothing is sent', () => {
  it.each([
    ['a missing file', (dir: string) => ['--file', join(dir, 'nope.mp3')], /^File not found: .*nope\.mp3$/],
    ['a directory', (dir: string) => ['--file', dir], /is not a file\.$/],
    ['an empty file', (dir: string) => (writeFileSync(join(dir, 'e.mp3'), ''), ['--file', join(dir, 'e.mp3')]), /e\.mp3 is empty\.$/],
    [
      'a format it does not take',
      (dir: string) => (writeFileSync(join(dir, 'clip.webm'), 'x'), ['--file', join(dir, 'clip.webm')]),
      /^clip\.webm is not an audio format speech-to-text takes \(mp3, wav, m4a, flac, aac, opus, ogg, aiff\)\.$/,
    ],
    [
      'over 50 MB',
      (dir: string) => {
        writeFileSync(join(dir, 'big.mp3'), '');
        truncateSync(join(dir, 'big.mp3'), 50 * 1024 * 1024 + 1);
        return ['--file', join(dir, 'big.mp3')];
      },
      /^Audio file is 50\.0 MB; speech-to-text allows at most 50 MB: /,
    ],
    [
      '--stream with srt',
      (dir: string) => ['--file', join(dir, 'a.mp3'), '--stream', '--response-format', 'srt'],
      /cannot be combined with stream=true/,
    ],
    [
      '--stream with --out',
      (dir: string) => ['--file', join(dir, 'a.mp3'), '--stream', '--out', join(dir, 't')],
      /^--stream and --out cannot be combined\.$/,
    ],
    [
      '--timestamp-level with json',
      (dir: string) => ['--file', join(dir, 'a.mp3'), '--timestamp-level', 'word'],
      /^--timestamp-level applies to/,
    ],
    [
      'an unknown format',
      (dir: string) => ['--file', join(dir, 'a.mp3'), '--response-format', 'txt'],
      /Allowed choices are json, verbose_json, srt, vtt/,
    ],
    ['no file, no terminal', () => [], /^Missing required argument: --file$/],
    [
      'an --out in a missing directory',
      (dir: string) => ['--file', join(dir, 'a.mp3'), '--out', join(dir, 'no', 't.txt')],
      /no such directory/,
    ],
  ])('%s: exit 2', async (_name, argv, message) => {
    const { dir } = audioFile('a.mp3');
    const res = await run([...argv(dir), '--output', 'json'], { stdin: '' });
    expect(res.code).toBe(2);
    expect(jsonError(res.stderr).message).toMatch(message);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('no file on a terminal: asked for, as mmx-cli does; nothing typed cancels (exit 1)', async () => {
    const { path } = audioFile();
    const asked = await run(['--output', 'text'], { stderrTTY: true, answer: path });
    expect(asked.code).toBe(0);
    expect(asked.prompts).toEqual(['Enter audio file path: ']);
    expect(asked.stdout).toBe('this is the meeting\n');
    const cancelled = await run(['--output', 'text'], { stderrTTY: true, answer: '' });
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toContain('Transcription cancelled.');
  });
});

describe('API errors', () => {
  it('flagged audio (HTTP 422) is the content filter: exit 10', async () => {
    const { dir } = audioFile();
    writeFileSync(join(dir, 'f.mp3'), 'ID3 FLAGGED-INPUT');
    const res = await run(['--file', join(dir, 'f.mp3'), '--output', 'json']);
    expect(res.code).toBe(10);
    expect(jsonError(res.stderr).message).toMatch(/^Input audio flagged by sensitivity filter \(/);
  });

  it("a bare HTTP 422 too (mmx-cli 1.0.27's reading of this endpoint); HTTP 413 is a usage error", async () => {
    const { path } = audioFile();
    api.cn.enqueueFault({
      kind: 'status',
      status: 422,
      body: { error: { type: 'unprocessable_entity_error', message: 'audio rejected' } },
    });
    const flagged = await run(['--file', path, '--output', 'json']);
    expect(flagged.code).toBe(10);
    api.cn.enqueueFault({ kind: 'status', status: 413, body: 'Request Entity Too Large', contentType: 'text/html' });
    const large = await run(['--file', path, '--output', 'json']);
    expect(large.code).toBe(2);
    expect(jsonError(large.stderr)).toMatchObject({
      message: expect.stringMatching(/^Audio file exceeds the speech-to-text size limit \(HTTP 413\)\./),
      hint: 'Re-encode to compressed mono audio (e.g. mp3 / aac) or split it into smaller files.',
    });
  });

  it('an error inside HTTP 200 for an srt answer is the API error, not a document', async () => {
    const { path } = audioFile();
    api.cn.enqueueFault({ kind: 'status', status: 200, body: { base_resp: { status_code: 1027, status_msg: 'output new_sensitive' } } });
    const res = await run(['--file', path, '--response-format', 'srt', '--output', 'json']);
    expect(res.code).toBe(10);
    expect(res.stdout).toBe('');
    expect(jsonError(res.stderr)).toMatchObject({ api_code: 1027 });
  });

  it('paid work is not uploaded again after a server error (refused-only)', async () => {
    const { path } = audioFile();
    api.cn.enqueueFault({ kind: 'server-error', code: 1000 });
    const res = await run(['--file', path, '--output', 'json']);
    expect(res.code).toBe(1);
    expect(api.cn.requests).toHaveLength(1);
  });

  it('an existing --out declined on a terminal: nothing is uploaded', async () => {
    const { path, dir } = audioFile();
    writeFileSync(join(dir, 't.txt'), 'old');
    const res = await run(['--file', path, '--out', join(dir, 't.txt')], { stderrTTY: true, answer: 'no' });
    expect(res.code).toBe(1);
    expect(readFileSync(join(dir, 't.txt'), 'utf8')).toBe('old');
    expect(api.cn.requests).toHaveLength(0);
    expect(readdirSync(dir).sort()).toEqual(['meeting.mp3', 't.txt']);
  });

  it('--force replaces an existing --out on a terminal without asking', async () => {
    const { path, dir } = audioFile();
    writeFileSync(join(dir, 't.txt'), 'old');
    const res = await run(['--file', path, '--out', join(dir, 't.txt'), '--force', '--output', 'text'], { stderrTTY: true, answer: 'no' });
    expect(res.code).toBe(0);
    expect(res.prompts).toEqual([]);
    expect(readFileSync(join(dir, 't.txt'), 'utf8')).toBe('this is the meeting\n');
    expect(api.cn.requests).toHaveLength(1);
  });
});

describe('--no-stream', () => {
  it('is the default made explicit: the whole answer, no stream field in the form', async () => {
    const { path } = audioFile();
    const res = await run(['--file', path, '--stream', '--no-stream', '--output', 'text']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('this is the meeting\n');
    expect(form(api.cn.requests[0]).fields).toEqual({ model: 'asr-1.0', response_format: 'json' });
    expect(api.cn.requests[0]?.headers.accept).not.toBe('text/event-stream');
  });
});
