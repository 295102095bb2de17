/**
 * The speech commands as the built bin/mmx, over real sockets, in both regions:
 * the API emulator on one origin and its CDN stand-in on another. The key goes
 * to the API (Bearer) and never to the CDN; audio bytes reach files and pipes
 * exactly; a cut download leaves no file behind.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createCdn, createEmulator, emulatedAudio, startEmulatorServer } from '../../src/emulator/index.js';
import type { Cdn, Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const REGIONS = [
  { region: 'cn' as const, key: EMULATOR_KEYS.cn },
  { region: 'global' as const, key: EMULATOR_KEYS.global },
];

describe.each(REGIONS)('bin/mmx speech against a $region server on loopback', ({ region, key }) => {
  let store: Cdn;
  let cdn: EmulatorServer;
  let emulator: Emulator;
  let server: EmulatorServer;

  beforeAll(async () => {
    store = createCdn();
    cdn = await startEmulatorServer(store);
    emulator = createEmulator({ region, cdn: { store, origin: cdn.url }, speech: { frameBytes: 700 } });
    server = await startEmulatorServer(emulator);
  });
  afterAll(async () => {
    await server.close();
    await cdn.close();
  });
  beforeEach(() => {
    emulator.reset();
    store.requests.length = 0;
  });

  const env = () => ({ ...isolatedHome(), MINIMAX_API_KEY: key, MINIMAX_REGION: region, MINIMAX_BASE_URL: server.url });
  const tempDir = () => mkdtempSync(join(tmpdir(), 'mmx-e2e-speech-'));

  it('synthesize: the audio at --out and the subtitles beside it; Bearer to the API, nothing of the key to the CDN', async () => {
    const dir = tempDir();
    const out = join(dir, 'hello.mp3');
    const r = await spawnMmx(
      ['speech', 'synthesize', '--text', 'Hello there. How are you?', '--subtitles', '--out', out, '--output', 'json'],
      {
        env: env(),
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ saved: out, subtitles: join(dir, 'hello.srt'), sample_rate: 32000 });
    expect(readFileSync(out).equals(Buffer.from(emulatedAudio('Hello there. How are you?', 'mp3')))).toBe(true);
    expect(readFileSync(join(dir, 'hello.srt'), 'utf8')).toContain('00:00:00,900 --> 00:00:01,800\nHow are you?\n');
    expect(emulator.requests.map((q) => [q.path, q.authStyle, q.key === key])).toEqual([['/v1/t2a_v2', 'bearer', true]]);
    expect(store.requests).toHaveLength(1);
    expect(store.requests[0]?.headers.authorization).toBeUndefined();
    expect(store.requests[0]?.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(store.requests[0])).not.toContain(key);
  });

  it('synthesize --stream into a pipe: exactly the audio, once', async () => {
    const text = 'Streaming over a real socket, in several frames.';
    const r = await spawnMmx(['speech', 'synthesize', text, '--stream', '--format', 'pcm'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdoutBytes.equals(Buffer.from(emulatedAudio(text, 'pcm')))).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('synthesize without --out: speech_<time>.mp3 in the working directory; --quiet prints its name', async () => {
    const dir = tempDir();
    const r = await spawnMmx(['speech', 'generate', '--text', 'Hi', '--quiet'], { env: env(), cwd: dir });
    expect(r.code).toBe(0);
    const [name] = readdirSync(dir);
    expect(name).toMatch(/^speech_\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.mp3$/);
    expect(r.stdout).toBe(`${name}\n`);
  });

  it('a subtitle download cut mid-way: the audio stays, no .srt and no .part', async () => {
    const dir = tempDir();
    store.cutNext(10);
    const r = await spawnMmx(
      ['speech', 'synthesize', '--text', 'One. Two.', '--subtitles', '--out', join(dir, 'a.mp3'), '--output', 'json'],
      {
        env: env(),
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).subtitles_error).toMatch(/^failed to download subtitles/);
    expect(readdirSync(dir)).toEqual(['a.mp3']);
  });

  it('transcribe: the file uploaded, the transcript printed; the language as a header', async () => {
    const dir = tempDir();
    const file = join(dir, 'call.m4a');
    writeFileSync(file, 'emulated audio\nSPEECH: see you tomorrow\n');
    const r = await spawnMmx(['speech', 'transcribe', '--file', file, '--language', 'en', '--output', 'text'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('see you tomorrow\n');
    expect(r.stderr).toBe('[Model: asr-1.0]\n');
    expect(emulator.requests[0]).toMatchObject({ path: '/v1/speech_to_text', authStyle: 'bearer' });
    expect(emulator.requests[0]?.headers.language).toBe('en');
  });

  it('transcribe --stream to a pipe with --output text: the words as they come', async () => {
    const dir = tempDir();
    const file = join(dir, 'talk.ogg');
    writeFileSync(file, 'emulated audio\nSPEECH: one two three\n');
    const r = await spawnMmx(['speech', 'transcribe', file, '--stream', '--output', 'text', '--quiet'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('one two three\n');
    expect(r.stderr).toBe('');
  });

  it('voices: the ids as JSON', async () => {
    const r = await spawnMmx(['speech', 'voices'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toContain('English_expressive_narrator');
  });
});
