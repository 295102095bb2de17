/**
 * The emulator's speech routes on their own (fetch Requests in, Responses out):
 * the payload shapes of docs/minimax-api-notes.md, the stream whose last frame
 * repeats the audio, subtitles on the CDN, the multipart upload, the documented
 * error codes, and the region-bound keys.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createCdn, createEmulator, emulatedAudio, parseMultipart } from '../../src/emulator/index.js';
import { decodeSseText } from '../../src/api/sse.js';

const cn = { authorization: `Bearer ${EMULATOR_KEYS.cn}` };
const t2a = (body: unknown, headers: Record<string, string> = cn) =>
  new Request('https://api.example/v1/t2a_v2', {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const synth = (more: Record<string, unknown> = {}) => ({
  model: 'speech-2.8-hd',
  text: 'Hello there. How are you?',
  voice_setting: { voice_id: 'English_expressive_narrator' },
  audio_setting: { format: 'mp3', sample_rate: 32000, bitrate: 128000, channel: 1 },
  output_format: 'hex',
  stream: false,
  ...more,
});
const code = async (response: Response) => ((await response.json()) as { base_resp: { status_code: number } }).base_resp.status_code;

describe('POST /v1/t2a_v2', () => {
  it('hex audio of the text in the format, extra_info, trace_id, base_resp 0', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const r = await emulator.handle(t2a(synth()));
    expect(r.status).toBe(200);
    const payload = (await r.json()) as {
      data: { audio: string; status: number };
      extra_info: Record<string, unknown>;
      base_resp: unknown;
    };
    const audio = emulatedAudio('Hello there. How are you?', 'mp3');
    expect(payload.data.audio).toBe(Buffer.from(audio).toString('hex'));
    expect(payload.data.status).toBe(2);
    expect(payload.extra_info).toMatchObject({
      audio_length: 25 * 75,
      audio_size: audio.length,
      audio_sample_rate: 32000,
      audio_format: 'mp3',
    });
    expect(payload.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
    expect(Buffer.from(audio.subarray(0, 3)).toString()).toBe('ID3');
    expect(emulatedAudio('other', 'mp3')).not.toEqual(emulatedAudio('Hello there. How are you?', 'mp3').subarray(0, 330));
  });

  it('the stream: status-1 frames that add up to the audio, then a status-2 frame that repeats all of it', async () => {
    const emulator = createEmulator({ region: 'cn', speech: { frameBytes: 600 } });
    const r = await emulator.handle(t2a(synth({ stream: true })));
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const frames = decodeSseText(await r.text()).map(
      (e) => JSON.parse(e.data) as { data: { audio: string; status: number }; extra_info?: unknown },
    );
    const audio = Buffer.from(emulatedAudio('Hello there. How are you?', 'mp3')).toString('hex');
    expect(frames.map((f) => f.data.status)).toEqual([1, 1, 1, 2]);
    expect(
      frames
        .slice(0, -1)
        .map((f) => f.data.audio)
        .join(''),
    ).toBe(audio);
    expect(frames.at(-1)?.data.audio).toBe(audio);
    expect(frames.at(-1)?.extra_info).toBeDefined();
    const excluded = await emulator.handle(t2a(synth({ stream: true, stream_options: { exclude_aggregated_audio: true } })));
    expect(JSON.parse(decodeSseText(await excluded.text()).at(-1)!.data).data.audio).toBe('');
  });

  it('subtitles: a signed link on the CDN to the cues in milliseconds; none without a CDN', async () => {
    const store = createCdn();
    const emulator = createEmulator({ region: 'cn', cdn: { store, origin: 'https://cdn.example' } });
    const payload = (await (await emulator.handle(t2a(synth({ subtitle_enable: true })))).json()) as { data: { subtitle_file: string } };
    expect(payload.data.subtitle_file).toMatch(
      /^https:\/\/cdn\.example\/speech\/subtitles\/\w+\.json\?Expires=\d+&OSSAccessKeyId=\w+&Signature=\w+$/,
    );
    const cues = await (await store.handle(new Request(payload.data.subtitle_file))).json();
    expect(cues).toEqual([
      { text: 'Hello there.', time_begin: 0, time_end: 900, text_begin: 0, text_end: 12 },
      { text: 'How are you?', time_begin: 900, time_end: 1800, text_begin: 12, text_end: 24 },
    ]);
    const bare = (await (await createEmulator({ region: 'cn' }).handle(t2a(synth({ subtitle_enable: true })))).json()) as { data: object };
    expect(bare.data).not.toHaveProperty('subtitle_file');
  });

  it('documented errors in base_resp (HTTP 200): 2013 invalid params, 20132 unknown voice, 1026/1027 content filter', async () => {
    const emulator = createEmulator({ region: 'cn' });
    expect(await code(await emulator.handle(t2a(synth({ text: '' }))))).toBe(2013);
    expect(await code(await emulator.handle(t2a(synth({ text: 'a'.repeat(10_001) }))))).toBe(2013);
    expect(await code(await emulator.handle(t2a(synth({ model: 'speech-9' }))))).toBe(2013);
    expect(await code(await emulator.handle(t2a(synth({ audio_setting: { format: 'aac' } }))))).toBe(2013);
    expect(await code(await emulator.handle(t2a(synth({ stream: true, audio_setting: { format: 'wav' } }))))).toBe(2013);
    expect(await code(await emulator.handle(t2a(synth({ voice_setting: { voice_id: 'Nobody' } }))))).toBe(20132);
    expect(await code(await emulator.handle(t2a(synth({ text: 'x FLAGGED-INPUT' }))))).toBe(1026);
    expect(await code(await emulator.handle(t2a(synth({ text: 'x FLAGGED-OUTPUT' }))))).toBe(1027);
    const custom = createEmulator({ region: 'cn', speech: { flaggedInput: 'bad word' } });
    expect(await code(await custom.handle(t2a(synth({ text: 'a bad word' }))))).toBe(1026);
  });

  it('both regions; a key of the other region is 2049; no key is 1004', async () => {
    const global = createEmulator({ region: 'global' });
    expect(await code(await global.handle(t2a(synth(), { authorization: `Bearer ${EMULATOR_KEYS.global}` })))).toBe(0);
    expect(await code(await global.handle(t2a(synth(), cn)))).toBe(2049);
    expect(await code(await createEmulator({ region: 'cn' }).handle(t2a(synth(), {})))).toBe(1004);
  });
});

/** A multipart body as a client builds it. */
function multipart(fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }): { body: Buffer; type: string } {
  const b = 'XyZ-boundary';
  const parts: Buffer[] = Object.entries(fields).map(([n, v]) =>
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`),
  );
  if (file) {
    parts.push(
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: audio/mpeg\r\n\r\n`),
    );
    parts.push(Buffer.from(file.bytes), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

function stt(fields: Record<string, string>, bytes: Uint8Array | undefined, headers: Record<string, string> = {}) {
  const { body, type } = multipart(fields, bytes ? { name: 'a.mp3', bytes } : undefined);
  return new Request('https://api.example/v1/speech_to_text', {
    method: 'POST',
    headers: { ...cn, 'content-type': type, ...headers },
    body,
  });
}

describe('POST /v1/speech_to_text', () => {
  const audio = Buffer.from('ID3\nSPEECH: good morning everyone\n\u0000\u00ff binary tail');

  it('parseMultipart reads fields and the file byte for byte', () => {
    const { body, type } = multipart({ model: 'asr-1.0' }, { name: 'a.mp3', bytes: audio });
    expect(parseMultipart(body, type)).toEqual({
      fields: { model: 'asr-1.0' },
      files: { file: { filename: 'a.mp3', contentType: 'audio/mpeg', bytes: new Uint8Array(audio) } },
    });
    expect(parseMultipart(body, 'application/json')).toBeUndefined();
    expect(parseMultipart(body.subarray(0, 40), type)).toBeUndefined();
  });

  it('json, verbose_json (segments, words), srt and vtt', async () => {
    const emulator = createEmulator({ region: 'cn' });
    expect(await (await emulator.handle(stt({ model: 'asr-1.0', response_format: 'json' }, audio))).json()).toEqual({
      text: 'good morning everyone',
      duration: 0.5,
      base_resp: { status_code: 0, status_msg: 'success' },
    });
    const verbose = (await (
      await emulator.handle(stt({ model: 'asr-1.0', response_format: 'verbose_json', timestamp_level: 'word' }, audio, { language: 'en' }))
    ).json()) as { segments: Array<{ words: unknown[] }>; language: string };
    expect(verbose.language).toBe('en');
    expect(verbose.segments[0]?.words).toHaveLength(3);
    const srt = await emulator.handle(stt({ model: 'asr-1.0', response_format: 'srt' }, audio));
    expect(await srt.text()).toBe('1\n00:00:00,000 --> 00:00:00,500\ngood morning everyone\n');
    const vtt = await emulator.handle(stt({ model: 'asr-1.0', response_format: 'vtt' }, audio));
    expect(vtt.headers.get('content-type')).toMatch(/^text\/vtt/);
  });

  it('stream: a delta per word, then finish with the duration', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const r = await emulator.handle(stt({ model: 'asr-1.0', response_format: 'json', stream: 'true' }, audio));
    expect(decodeSseText(await r.text()).map((e) => JSON.parse(e.data))).toEqual([
      { index: 0, delta: 'good', finish: false },
      { index: 1, delta: ' morning', finish: false },
      { index: 2, delta: ' everyone', finish: false },
      { index: 3, delta: '', finish: true, duration: 0.5 },
    ]);
  });

  it('errors: 2013 for bad fields, HTTP 413 over 50 MB, HTTP 422 for flagged audio', async () => {
    const emulator = createEmulator({ region: 'cn' });
    expect(await code(await emulator.handle(stt({ model: 'asr-2' }, audio)))).toBe(2013);
    expect(await code(await emulator.handle(stt({ model: 'asr-1.0' }, undefined)))).toBe(2013);
    expect(await code(await emulator.handle(stt({ model: 'asr-1.0', response_format: 'txt' }, audio)))).toBe(2013);
    expect(await code(await emulator.handle(stt({ model: 'asr-1.0', response_format: 'srt', stream: 'true' }, audio)))).toBe(2013);
    expect(await code(await emulator.handle(stt({ model: 'asr-1.0' }, audio, { language: 'xx' })))).toBe(2013);
    const big = await emulator.handle(stt({ model: 'asr-1.0' }, new Uint8Array(50 * 1024 * 1024 + 1)));
    expect(big.status).toBe(413);
    const flagged = await emulator.handle(stt({ model: 'asr-1.0' }, Buffer.from('FLAGGED-INPUT')));
    expect(flagged.status).toBe(422);
    expect(await code(flagged)).toBe(1026);
  });
});

describe('POST /v1/get_voice', () => {
  const voices = (body: unknown) =>
    new Request('https://api.example/v1/get_voice', {
      method: 'POST',
      headers: { ...cn, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('system voices with id, name, description and created_time; the other types empty; a bad type is 2013', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const system = (await (await emulator.handle(voices({ voice_type: 'system' }))).json()) as Record<string, unknown>;
    expect(Object.keys(system)).toEqual(['system_voice', 'base_resp']);
    expect((system.system_voice as unknown[])[0]).toEqual({
      voice_id: 'English_expressive_narrator',
      voice_name: 'Expressive Narrator',
      description: ['A warm, expressive male narrator.'],
      created_time: '1970-01-01',
    });
    const all = (await (await emulator.handle(voices({ voice_type: 'all' }))).json()) as Record<string, unknown>;
    expect(Object.keys(all)).toEqual(['system_voice', 'voice_cloning', 'voice_generation', 'base_resp']);
    expect(await code(await emulator.handle(voices({ voice_type: 'mine' })))).toBe(2013);
    const custom = createEmulator({ region: 'cn', speech: { voices: [{ voice_id: 'Only_One', voice_name: 'One', description: [] }] } });
    expect(
      ((await (await custom.handle(voices({ voice_type: 'system' }))).json()) as { system_voice: unknown[] }).system_voice,
    ).toHaveLength(1);
  });
});
