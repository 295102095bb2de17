/**
 * The pure parts of the speech commands: the t2a_v2 body as mmx-cli 1.0.27 maps
 * its flags, hex audio, stream frames and the trailer that repeats the audio,
 * subtitles to SRT, the voice language filter, the output names, and the flag
 * combinations refused before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import {
  audioToWrite,
  decodeHexAudio,
  defaultSampleRate,
  parseAudioFrame,
  parseSubtitles,
  parseSynthesis,
  parseTranscriptFrame,
  parseVoices,
  srtTime,
  synthesisBody,
  toSrt,
  transcriptionFields,
  voiceLanguage,
  voicesForLanguage,
} from '../../src/api/resources/speech.js';
import { ResponseShapeError } from '../../src/api/request.js';
import { checkText, defaultAudioName, subtitlePath, validateSynthesis } from '../../src/commands/speech/synthesize.js';
import { audioFileProblem, transcriptionError, validateTranscription } from '../../src/commands/speech/transcribe.js';
import { renderVoices } from '../../src/commands/speech/voices.js';
import { numberIn } from '../../src/cli/flags.js';
import { ApiError, ExitCode, UsageError } from '../../src/errors.js';
import { fieldsText } from '../../src/output/fields.js';

const base = {
  model: 'speech-2.8-hd',
  text: 'Hello',
  voice: 'English_expressive_narrator',
  format: 'mp3',
  bitrate: 128_000,
  channels: 1,
  pronunciation: [] as string[],
  stream: false,
};

describe('synthesisBody: the flags as mmx-cli 1.0.27 sends them', () => {
  it('the defaults: voice, mp3 at 32 kHz, 128 kbps, mono, hex, not streamed; nothing else', () => {
    expect(JSON.stringify(synthesisBody(base))).toBe(
      JSON.stringify({
        model: 'speech-2.8-hd',
        text: 'Hello',
        voice_setting: { voice_id: 'English_expressive_narrator' },
        audio_setting: { format: 'mp3', sample_rate: 32000, bitrate: 128000, channel: 1 },
        output_format: 'hex',
        stream: false,
      }),
    );
  });

  it('every option, in its field and mmx-cli key order', () => {
    const body = synthesisBody({
      ...base,
      speed: 1.5,
      volume: 2,
      pitch: -3,
      emotion: 'happy',
      textNormalization: true,
      latexRead: true,
      format: 'flac',
      sampleRate: 44_100,
      bitrate: 256_000,
      channels: 2,
      language: 'English',
      subtitles: true,
      pronunciation: ['omg/oh my god', '处理/(chu3)(li3)'],
      stream: true,
    });
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        model: 'speech-2.8-hd',
        text: 'Hello',
        voice_setting: {
          voice_id: 'English_expressive_narrator',
          speed: 1.5,
          vol: 2,
          pitch: -3,
          emotion: 'happy',
          text_normalization: true,
          latex_read: true,
        },
        audio_setting: { format: 'flac', sample_rate: 44100, bitrate: 256000, channel: 2 },
        output_format: 'hex',
        stream: true,
        language_boost: 'English',
        subtitle_enable: true,
        pronunciation_dict: { tone: ['omg/oh my god', '处理/(chu3)(li3)'] },
      }),
    );
  });

  it('pitch 0 is sent (it is a value, not an absence); false switches are not', () => {
    const body = synthesisBody({ ...base, pitch: 0, textNormalization: false, latexRead: false, subtitles: false });
    expect(body.voice_setting).toEqual({ voice_id: 'English_expressive_narrator', pitch: 0 });
    expect(body).not.toHaveProperty('subtitle_enable');
  });

  it('the sample rate follows the format unless given: opus 24000, pcmu 8000, else 32000', () => {
    expect(['mp3', 'pcm', 'flac', 'wav', 'opus', 'pcmu_raw', 'pcmu_wav'].map(defaultSampleRate)).toEqual([
      32000, 32000, 32000, 32000, 24000, 8000, 8000,
    ]);
    expect((synthesisBody({ ...base, format: 'opus' }).audio_setting as { sample_rate: number }).sample_rate).toBe(24000);
    expect((synthesisBody({ ...base, format: 'opus', sampleRate: 16000 }).audio_setting as { sample_rate: number }).sample_rate).toBe(
      16000,
    );
  });
});

describe('hex audio', () => {
  it('decodes an even run of hex digits, either case', () => {
    expect([...decodeHexAudio('49443304ffA0')]).toEqual([0x49, 0x44, 0x33, 0x04, 0xff, 0xa0]);
    expect(decodeHexAudio('')).toHaveLength(0);
  });

  it('refuses an odd length or a non-hex digit instead of cutting the audio short', () => {
    expect(() => decodeHexAudio('abc')).toThrow(/truncated/);
    expect(() => decodeHexAudio('ab zz')).toThrow(/not valid hex/);
    expect(() => decodeHexAudio('abcg')).toThrow(ResponseShapeError);
  });

  it('parseSynthesis: the audio, the subtitle link and extra_info as mmx-cli names them', () => {
    const payload = {
      data: { audio: '4944', status: 2, subtitle_file: 'https://cdn.example/s.json?sig' },
      extra_info: { audio_length: 1875, audio_size: 2, audio_sample_rate: 32000, bitrate: 128000 },
      base_resp: { status_code: 0 },
    };
    expect(parseSynthesis(payload)).toEqual({
      audio: new Uint8Array([0x49, 0x44]),
      subtitleFile: 'https://cdn.example/s.json?sig',
      info: { duration_ms: 1875, size_bytes: 2, sample_rate: 32000 },
    });
    expect(() => parseSynthesis({ base_resp: { status_code: 0 } })).toThrow(/no "data"/);
    expect(() => parseSynthesis({ data: { audio: '' } })).toThrow(/no audio/);
    expect(() => parseSynthesis({ data: { audio: 'xyz1' } })).toThrow(/not valid hex/);
  });
});

describe('the synthesis stream', () => {
  it('frames: audio pieces, the last frame with status 2 and extra_info, errors in base_resp', () => {
    expect(parseAudioFrame('{"data":{"audio":"0102","status":1},"base_resp":{"status_code":0}}')).toEqual({
      audio: new Uint8Array([1, 2]),
      status: 1,
      subtitleFile: undefined,
    });
    const last = parseAudioFrame('{"data":{"audio":"010203","status":2},"extra_info":{"audio_length":9},"base_resp":{"status_code":0}}');
    expect(last.status).toBe(2);
    expect(last.info).toEqual({ duration_ms: 9, size_bytes: undefined, sample_rate: undefined });
    expect(parseAudioFrame('{"base_resp":{"status_code":1026,"status_msg":"input new_sensitive"}}')).toEqual({
      error: { code: 1026, message: 'input new_sensitive' },
    });
    expect(() => parseAudioFrame('not json')).toThrow(ResponseShapeError);
    expect(() => parseAudioFrame('{"data":{"audio":"012"}}')).toThrow(/truncated/);
  });

  it('the trailer (status 2, the whole audio again) is not written after pieces; alone, it is the audio', () => {
    const piece = { audio: new Uint8Array([1, 2]), status: 1 };
    const trailer = { audio: new Uint8Array([1, 2, 3, 4]), status: 2 };
    expect(audioToWrite(piece, 0)).toBe(piece.audio);
    expect(audioToWrite(piece, 2)).toBe(piece.audio);
    expect(audioToWrite(trailer, 4)).toBeUndefined();
    expect(audioToWrite(trailer, 0)).toBe(trailer.audio);
    expect(audioToWrite({ status: 2 }, 0)).toBeUndefined();
  });
});

describe('subtitles to SRT', () => {
  it('times: hours, minutes, seconds and milliseconds, rounded once (never ",1000")', () => {
    expect(srtTime(0)).toBe('00:00:00,000');
    expect(srtTime(3_723_045)).toBe('01:02:03,045');
    expect(srtTime(999.6)).toBe('00:00:01,000');
    expect(srtTime(59_999.5)).toBe('00:01:00,000');
    expect(srtTime(-5)).toBe('00:00:00,000');
  });

  it('cues numbered from 1, a blank line between them, a final newline', () => {
    const cues = parseSubtitles([
      { text: 'Hello there.', time_begin: 0, time_end: 900, text_begin: 0, text_end: 12 },
      { text: 'How are you?', time_begin: 900, time_end: 1800.4 },
    ]);
    expect(toSrt(cues)).toBe('1\n00:00:00,000 --> 00:00:00,900\nHello there.\n\n2\n00:00:00,900 --> 00:00:01,800\nHow are you?\n');
    expect(toSrt([])).toBe('');
  });

  it('a file that is not the documented array of cues is refused', () => {
    expect(() => parseSubtitles({ cues: [] })).toThrow(/not a JSON array/);
    expect(() => parseSubtitles([{ text: 'x' }])).toThrow(/subtitle 1 has no time_begin/);
    expect(() => parseSubtitles(['x'])).toThrow(/subtitle 1 is not an object/);
  });
});

describe('voices', () => {
  const voices = parseVoices({
    system_voice: [
      { voice_id: 'English_expressive_narrator', voice_name: 'Expressive Narrator', description: ['Warm.'] },
      { voice_id: 'English_Graceful_Lady', voice_name: 'Graceful Lady', description: ['Calm.', 'Female.'] },
      { voice_id: 'Chinese (Mandarin)_News_Anchor', voice_name: '新闻女声', description: [] },
      { voice_id: 'Korean_SweetGirl' },
      { voice_id: 'male-qn-qingse', voice_name: '青涩青年音色' },
    ],
    base_resp: { status_code: 0 },
  });

  it('the language of an id, as mmx-cli reads it', () => {
    expect(voiceLanguage('Chinese (Mandarin)_News_Anchor')).toBe('Chinese (Mandarin)');
    expect(voiceLanguage('Korean_SweetGirl')).toBe('Korean');
    expect(voiceLanguage('English_expressive_narrator')).toBe('English_expressive_narrator');
    expect(voiceLanguage('male-qn-qingse')).toBe('male-qn-qingse');
  });

  it('--language: the language equals the word, or starts with "word_" or "word (", any case', () => {
    const ids = (lang: string) => voicesForLanguage(voices, lang).map((v) => v.voice_id);
    expect(ids('english')).toEqual(['English_expressive_narrator', 'English_Graceful_Lady']);
    expect(ids('KOREAN')).toEqual(['Korean_SweetGirl']);
    expect(ids('chinese')).toEqual(['Chinese (Mandarin)_News_Anchor']);
    expect(ids('chinese (mandarin)')).toEqual(['Chinese (Mandarin)_News_Anchor']);
    expect(ids('eng')).toEqual([]);
  });

  it('parseVoices: no list is no voices; an entry without voice_id is refused', () => {
    expect(parseVoices({ base_resp: { status_code: 0 } })).toEqual([]);
    expect(() => parseVoices({ system_voice: {} })).toThrow(/not an array/);
    expect(() => parseVoices({ system_voice: [{ voice_name: 'x' }] })).toThrow(/voice 1 has no voice_id/);
  });

  it('renderVoices: ids, mmx-cli lines with --language, a table cut to the width on a terminal', () => {
    expect(renderVoices(voices.slice(0, 2), { layout: 'lines', detailed: false })).toBe(
      'English_expressive_narrator\nEnglish_Graceful_Lady\n',
    );
    expect(renderVoices(voices.slice(0, 2), { layout: 'lines', detailed: true })).toBe(
      '  English_expressive_narrator (Expressive Narrator)\n    Warm.\n  English_Graceful_Lady (Graceful Lady)\n    Calm.; Female.\n',
    );
    expect(renderVoices(voices.slice(3, 4), { layout: 'lines', detailed: true })).toBe('  Korean_SweetGirl\n');
    expect(renderVoices(voices, { layout: 'ids', detailed: true })).toBe(`${voices.map((v) => v.voice_id).join('\n')}\n`);
    const table = renderVoices(voices, { layout: 'table', detailed: false, width: 60 }).trimEnd().split('\n');
    expect(table[0]).toMatch(/^VOICE\s+NAME\s+DESCR/);
    expect(table).toHaveLength(6);
    for (const line of table) expect([...line].length).toBeLessThanOrEqual(60);
    expect(renderVoices([], { layout: 'table', detailed: false })).toBe('');
  });

  it('control characters from the server never reach the terminal', () => {
    const evil = [{ voice_id: 'x\u001b[31m_Y', voice_name: 'n\u0007', description: ['a\nb'] }];
    for (const layout of ['table', 'lines', 'ids'] as const)
      expect(renderVoices(evil, { layout, detailed: true })).not.toMatch(/[\u001b\u0007]/);
  });
});

describe('output names', () => {
  it("the default audio name is mmx-cli 1.0.27's, from the UTC time", () => {
    expect(defaultAudioName(Date.parse('2026-11-28T12:03:04.567Z'), 'mp3')).toBe('speech_2026-11-28-12-03-04.mp3');
    expect(defaultAudioName(0, 'pcmu_raw')).toBe('speech_1970-01-01-00-00-00.pcmu_raw');
  });

  it('the subtitles go beside the audio; only the file name loses its extension', () => {
    expect(subtitlePath('hello.mp3')).toBe('hello.srt');
    expect(subtitlePath('out/v1.2/hello.mp3')).toBe('out/v1.2/hello.srt');
    expect(subtitlePath('out.d/hello')).toBe('out.d/hello.srt');
    expect(subtitlePath('./.hidden')).toBe('./.hidden.srt');
    expect(subtitlePath('a.srt')).toBe('a.srt');
  });
});

describe('synthesize: checks before anything is sent', () => {
  const input = (more: Record<string, unknown>) =>
    ({ model: 'speech-2.8-hd', voice: 'v', format: 'mp3', pronunciation: [], bitrate: 1, channels: 1, ...more }) as unknown as Parameters<
      typeof validateSynthesis
    >[0];
  const refused = (more: Record<string, unknown>) => {
    try {
      validateSynthesis(input(more));
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    return undefined;
  };

  it('one text source', () => {
    expect(refused({ text: 'a' })).toBeUndefined();
    expect(refused({ textArg: 'a' })).toBeUndefined();
    expect(refused({ textFile: 'a.txt' })).toBeUndefined();
    expect(refused({})).toBe('--text or --text-file is required.');
    expect(refused({ text: 'a', textFile: 'b' })).toBe('Give the text once: --text and --text-file were given.');
    expect(refused({ text: 'a', textArg: 'b' })).toBe('Give the text once: --text and a text argument were given.');
  });

  it('the text: not empty, at most 10,000 characters (code points), the limit named', () => {
    expect(refused({ text: '  ' })).toBe('The text is empty (--text).');
    expect(refused({ text: 'a'.repeat(10_000) })).toBeUndefined();
    expect(refused({ text: '语'.repeat(10_000) })).toBeUndefined();
    expect(refused({ text: '😀'.repeat(10_000) })).toBeUndefined();
    expect(refused({ textArg: 'a'.repeat(10_001) })).toBe(
      'The text is 10,001 characters long (the text argument); one synthesis takes at most 10,000 (the /v1/t2a_v2 limit).',
    );
    expect(() => checkText('x'.repeat(12_345), 'notes.txt')).toThrow(/12,345 characters long \(notes\.txt\)/);
  });

  it('flag combinations the API would refuse or ignore', () => {
    expect(refused({ text: 'a', stream: true, format: 'wav' })).toBe('wav format is not supported in streaming mode.');
    expect(refused({ text: 'a', stream: true, format: 'pcmu_wav' })).toBeUndefined();
    expect(refused({ text: 'a', stream: true, subtitles: true })).toMatch(/^--subtitles needs a whole response/);
    expect(refused({ text: 'a', subtitles: true, out: '-' })).toMatch(/^--subtitles saves the \.srt beside the audio file/);
    expect(refused({ text: 'a', subtitles: true, out: 'x.srt' })).toMatch(/is where the subtitles would go/);
    expect(refused({ text: 'a', model: ' ' })).toBe('--model is empty.');
    expect(refused({ text: 'a', voice: '' })).toBe('--voice is empty.');
  });
});

describe('transcribe: checks before anything is sent', () => {
  const input = (more: Record<string, unknown>) =>
    ({ model: 'asr-1.0', responseFormat: 'json', ...more }) as unknown as Parameters<typeof validateTranscription>[0];
  const refused = (more: Record<string, unknown>) => {
    try {
      validateTranscription(input(more));
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    return undefined;
  };

  it("mmx-cli 1.0.27's refusals, and ours", () => {
    expect(refused({ file: 'a.mp3' })).toBeUndefined();
    expect(refused({ file: 'a.mp3', fileArg: 'a.mp3' })).toBeUndefined();
    expect(refused({ file: 'a.mp3', fileArg: 'b.mp3' })).toMatch(/^Give the audio file once/);
    expect(refused({ stream: true, responseFormat: 'srt' })).toBe(
      'response_format "srt" cannot be combined with stream=true; streaming returns incremental json only.',
    );
    expect(refused({ stream: true, out: 't.txt' })).toBe('--stream and --out cannot be combined.');
    expect(refused({ timestampLevel: 'word' })).toMatch(/^--timestamp-level applies to/);
    expect(refused({ timestampLevel: 'word', responseFormat: 'verbose_json' })).toBeUndefined();
    expect(refused({ language: '' })).toBe('--language is empty.');
  });

  it('the file: a file, not empty, at most 50 MB, an accepted format by extension (any case)', () => {
    const ok = { isFile: true, size: 1000 };
    for (const name of ['a.mp3', 'b.WAV', 'c.m4a', 'd.flac', 'e.aac', 'f.opus', 'g.ogg', 'h.aiff'])
      expect(audioFileProblem(name, ok)).toBeUndefined();
    expect(audioFileProblem('a.mp3', { isFile: false, size: 0 })?.message).toBe('a.mp3 is not a file.');
    expect(audioFileProblem('a.mp3', { isFile: true, size: 0 })?.message).toBe('a.mp3 is empty.');
    expect(audioFileProblem('a.mp3', { isFile: true, size: 50 * 1024 * 1024 })).toBeUndefined();
    expect(audioFileProblem('a.mp3', { isFile: true, size: 50 * 1024 * 1024 + 1 })?.message).toBe(
      'Audio file is 50.0 MB; speech-to-text allows at most 50 MB: a.mp3',
    );
    expect(audioFileProblem('dir/clip.webm', ok)?.message).toBe(
      'clip.webm is not an audio format speech-to-text takes (mp3, wav, m4a, flac, aac, opus, ogg, aiff).',
    );
    expect(audioFileProblem('noext', ok)?.message).toMatch(/^noext is not an audio format/);
  });

  it('HTTP 422 is the content filter (exit 10), 413 a usage error (exit 2); others pass unchanged', () => {
    const flagged = transcriptionError(new ApiError(ExitCode.GENERAL, 'API error: HTTP 422', { httpStatus: 422 })) as ApiError;
    expect(flagged.exitCode).toBe(ExitCode.CONTENT_FILTER);
    expect(flagged.message).toBe('Input audio flagged by sensitivity filter (HTTP 422).');
    const large = transcriptionError(
      new ApiError(ExitCode.GENERAL, 'API error: too big (2013) (HTTP 413)', { httpStatus: 413 }),
    ) as UsageError;
    expect(large.exitCode).toBe(ExitCode.USAGE);
    expect(large.message).toBe('Audio file exceeds the speech-to-text size limit (HTTP 413). too big (2013) (HTTP 413)');
    const other = new ApiError(ExitCode.GENERAL, 'x', { httpStatus: 500 });
    expect(transcriptionError(other)).toBe(other);
  });

  it('the form fields in mmx-cli\'s order; stream as the string "true"', () => {
    expect(transcriptionFields({ model: 'asr-1.0', format: 'json', stream: false })).toEqual([
      { name: 'model', value: 'asr-1.0' },
      { name: 'response_format', value: 'json' },
    ]);
    expect(
      transcriptionFields({ model: 'asr-1.0', format: 'srt', timestampLevel: 'word', stream: true }).map((f) => `${f.name}=${f.value}`),
    ).toEqual(['model=asr-1.0', 'response_format=srt', 'timestamp_level=word', 'stream=true']);
  });

  it('stream frames', () => {
    expect(parseTranscriptFrame('{"index":0,"delta":"Hi","finish":false}')).toEqual({
      index: 0,
      delta: 'Hi',
      finish: false,
      duration: undefined,
    });
    expect(parseTranscriptFrame('{"index":3,"delta":"","finish":true,"duration":2.5}')).toMatchObject({ finish: true, duration: 2.5 });
    expect(parseTranscriptFrame('{"base_resp":{"status_code":1027,"status_msg":"output new_sensitive"}}').error).toEqual({
      code: 1027,
      message: 'output new_sensitive',
    });
    expect(() => parseTranscriptFrame('[1')).toThrow(ResponseShapeError);
  });
});

describe('small helpers', () => {
  it('numberIn: the range, inclusive or not, whole numbers when asked; the message names the flag', () => {
    const speed = numberIn('--speed', { min: 0.5, max: 2 });
    expect(speed('0.5')).toBe(0.5);
    expect(speed('2')).toBe(2);
    expect(() => speed('2.01')).toThrow('--speed must be a number from 0.5 to 2.');
    expect(() => speed('')).toThrow();
    expect(() => speed('fast')).toThrow();
    const volume = numberIn('--volume', { min: 0, max: 10, above: true });
    expect(() => volume('0')).toThrow('--volume must be a number above 0 and up to 10.');
    const pitch = numberIn('--pitch', { min: -12, max: 12, integer: true });
    expect(pitch('-12')).toBe(-12);
    expect(() => pitch('1.5')).toThrow('--pitch must be a whole number from -12 to 12.');
  });

  it('fieldsText: mmx-cli\'s "key: value" text, absent values left out, control characters replaced', () => {
    expect(fieldsText({ saved: 'a.mp3', duration_ms: 1875, size_bytes: undefined, sample_rate: 32000 })).toBe(
      'saved: a.mp3\nduration_ms: 1875\nsample_rate: 32000',
    );
    expect(fieldsText({ saved: 'a\u001b[2J\nb' })).toBe('saved: a [2J b');
  });
});
