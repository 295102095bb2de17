/**
 * The speech resource: synthesis (`POST /v1/t2a_v2`, whole or as an event
 * stream of hex audio), transcription (`POST /v1/speech_to_text`, a multipart
 * upload) and the system voices (`POST /v1/get_voice`): the requests, and the
 * pure readers of what they answer (hex audio to bytes, stream frames, the
 * subtitle file to SRT, the voice list and mmx-cli's language filter).
 *
 * Synthesis and transcription are paid: `refused-only`, never sent twice once
 * the server may have taken them. The voice list is a read.
 */
import { isPlainObject } from '../../json.js';
import { type ApiRequest, type MultipartPart, ResponseShapeError, post } from '../request.js';

export const T2A_PATH = '/v1/t2a_v2';
export const STT_PATH = '/v1/speech_to_text';
export const VOICES_PATH = '/v1/get_voice';

/** The formats `/v1/t2a_v2` produces, in mmx-cli 1.0.27's order (its `--format` help). */
export const AUDIO_FORMATS = ['mp3', 'pcm', 'flac', 'wav', 'pcmu_raw', 'pcmu_wav', 'opus'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** The sample rate a format gets when `--sample-rate` is not given (mmx-cli 1.0.27's table; 32000 otherwise). */
export function defaultSampleRate(format: string): number {
  if (format === 'opus') return 24_000;
  if (format === 'pcmu_raw' || format === 'pcmu_wav') return 8_000;
  return 32_000;
}

/** The endpoint's limit on one text (the help of mmx-cli: "up to 10k chars"). Counted in characters (code points). */
export const MAX_SYNTHESIS_CHARS = 10_000;
export const DEFAULT_VOICE = 'English_expressive_narrator';

/** `speech_to_text`'s file cap (mmx-cli 1.0.27's client check; the API answers 413 beyond it). */
export const MAX_TRANSCRIPTION_BYTES = 50 * 1024 * 1024;
export const TRANSCRIPTION_MODEL = 'asr-1.0';
export const TRANSCRIPT_FORMATS = ['json', 'verbose_json', 'srt', 'vtt'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];
export const TIMESTAMP_LEVELS = ['sentence', 'word'] as const;
/** The audio files `speech_to_text` takes, by extension, with the type sent for each (mmx-cli's `--file` help). */
export const TRANSCRIPTION_TYPES: Readonly<Record<string, string>> = Object.freeze({
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  flac: 'audio/flac',
  aac: 'audio/aac',
  opus: 'audio/opus',
  ogg: 'audio/ogg',
  aiff: 'audio/aiff',
});

/** The fields of the t2a_v2 body the CLI sets, as mmx-cli 1.0.27 maps its flags. */
export interface SynthesisOptions {
  model: string;
  text: string;
  voice: string;
  speed?: number | undefined;
  volume?: number | undefined;
  pitch?: number | undefined;
  emotion?: string | undefined;
  textNormalization?: boolean | undefined;
  latexRead?: boolean | undefined;
  format: string;
  sampleRate?: number | undefined;
  bitrate: number;
  channels: number;
  language?: string | undefined;
  subtitles?: boolean | undefined;
  pronunciation: readonly string[];
  stream: boolean;
}

/**
 * The request body, key for key as mmx-cli 1.0.27 sends it: absent options are
 * left out (its `undefined`s vanish in JSON), the audio is asked for as hex.
 */
export function synthesisBody(o: SynthesisOptions): Record<string, unknown> {
  const voice: Record<string, unknown> = { voice_id: o.voice };
  if (o.speed !== undefined) voice.speed = o.speed;
  if (o.volume !== undefined) voice.vol = o.volume;
  if (o.pitch !== undefined) voice.pitch = o.pitch;
  if (o.emotion !== undefined && o.emotion !== '') voice.emotion = o.emotion;
  if (o.textNormalization === true) voice.text_normalization = true;
  if (o.latexRead === true) voice.latex_read = true;
  const body: Record<string, unknown> = {
    model: o.model,
    text: o.text,
    voice_setting: voice,
    audio_setting: {
      format: o.format,
      sample_rate: o.sampleRate ?? defaultSampleRate(o.format),
      bitrate: o.bitrate,
      channel: o.channels,
    },
    output_format: 'hex',
    stream: o.stream,
  };
  if (o.language !== undefined && o.language !== '') body.language_boost = o.language;
  if (o.subtitles === true) body.subtitle_enable = true;
  if (o.pronunciation.length > 0) body.pronunciation_dict = { tone: [...o.pronunciation] };
  return body;
}

/** What the API says about the audio it made (`extra_info`), as mmx-cli 1.0.27 reports it. */
export interface AudioInfo {
  /** Milliseconds. */
  duration_ms?: number | undefined;
  size_bytes?: number | undefined;
  sample_rate?: number | undefined;
}

export interface Synthesis {
  audio: Uint8Array;
  /** A signed link to the subtitle JSON (`subtitle_enable`). */
  subtitleFile?: string | undefined;
  info: AudioInfo;
}

const HEX = /^[0-9a-fA-F]*$/;

/** Hex audio to bytes; anything but an even run of hex digits is a malformed answer, never silently cut. */
export function decodeHexAudio(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new ResponseShapeError('the audio is not valid hex');
  if (hex.length % 2 !== 0) throw new ResponseShapeError('the audio is truncated (an odd number of hex digits)');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function audioInfo(extra: unknown): AudioInfo {
  if (!isPlainObject(extra)) return {};
  return {
    duration_ms: finite(extra.audio_length),
    size_bytes: finite(extra.audio_size),
    sample_rate: finite(extra.audio_sample_rate),
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A whole t2a_v2 answer (base_resp errors are the client's): its audio, subtitle link and figures. */
export function parseSynthesis(payload: unknown): Synthesis {
  if (!isPlainObject(payload) || !isPlainObject(payload.data)) throw new ResponseShapeError('no "data" object');
  const data = payload.data;
  const hex = data.audio;
  if (typeof hex !== 'string' || hex === '') throw new ResponseShapeError('no audio in "data.audio"');
  return { audio: decodeHexAudio(hex), subtitleFile: nonEmptyString(data.subtitle_file), info: audioInfo(payload.extra_info) };
}

/**
 * One frame of the synthesis stream. `status` 1 frames carry the next piece of
 * audio; the last frame (`status` 2) carries extra_info and, unless told not to,
 * the WHOLE audio again (a trailer for clients that only read the end).
 */
export interface AudioFrame {
  audio?: Uint8Array | undefined;
  /** 2 marks the last frame. */
  status?: number | undefined;
  info?: AudioInfo | undefined;
  subtitleFile?: string | undefined;
  /** The frame's `base_resp` when it reports an error. */
  error?: { code: number; message: string } | undefined;
}

/** Reads one `data:` payload of the synthesis stream; throws ResponseShapeError for a frame that is not JSON or has bad hex. */
export function parseAudioFrame(data: string): AudioFrame {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    throw new ResponseShapeError(`a frame of the audio stream is not JSON: ${data.slice(0, 60)}`);
  }
  if (!isPlainObject(payload)) throw new ResponseShapeError('a frame of the audio stream is not an object');
  const base = isPlainObject(payload.base_resp) ? payload.base_resp : undefined;
  const code = finite(base?.status_code);
  if (code !== undefined && code !== 0) {
    return { error: { code, message: typeof base?.status_msg === 'string' && base.status_msg !== '' ? base.status_msg : `error ${code}` } };
  }
  const frame: AudioFrame = {};
  const d = isPlainObject(payload.data) ? payload.data : undefined;
  if (d) {
    if (typeof d.audio === 'string' && d.audio !== '') frame.audio = decodeHexAudio(d.audio);
    frame.status = finite(d.status);
    frame.subtitleFile = nonEmptyString(d.subtitle_file);
  }
  if (payload.extra_info !== undefined) frame.info = audioInfo(payload.extra_info);
  return frame;
}

/**
 * What to do with a frame's audio: write it, unless it is the trailer of a stream
 * whose pieces already came (mmx-cli 1.0.27 writes that too, so its streamed
 * files hold the speech twice); a trailer alone is the whole audio.
 */
export function audioToWrite(frame: AudioFrame, bytesSoFar: number): Uint8Array | undefined {
  if (frame.audio === undefined) return undefined;
  if (frame.status === 2 && bytesSoFar > 0) return undefined;
  return frame.audio;
}

/** One cue of the subtitle file `subtitle_file` links to; times in milliseconds. */
export interface SubtitleCue {
  time_begin: number;
  time_end: number;
  text: string;
}

/** The subtitle file's cues; ResponseShapeError when it is not the documented array. */
export function parseSubtitles(payload: unknown): SubtitleCue[] {
  if (!Array.isArray(payload)) throw new ResponseShapeError('the subtitle file is not a JSON array');
  return payload.map((cue, i) => {
    if (!isPlainObject(cue)) throw new ResponseShapeError(`subtitle ${i + 1} is not an object`);
    const begin = finite(cue.time_begin);
    const end = finite(cue.time_end);
    if (begin === undefined || end === undefined || begin < 0 || end < 0) {
      throw new ResponseShapeError(`subtitle ${i + 1} has no time_begin/time_end in milliseconds`);
    }
    return { time_begin: begin, time_end: end, text: typeof cue.text === 'string' ? cue.text : '' };
  });
}

/** `01:02:03,045` from milliseconds; rounded once, so 999.6 ms becomes `00:00:01,000`, never `,1000`. */
export function srtTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(total / 3_600_000))}:${pad(Math.floor((total % 3_600_000) / 60_000))}:${pad(Math.floor((total % 60_000) / 1000))},${pad(total % 1000, 3)}`;
}

/** The cues as an SRT document (numbered from 1, a blank line between cues), as mmx-cli 1.0.27 converts them. */
export function toSrt(cues: readonly SubtitleCue[]): string {
  if (cues.length === 0) return '';
  return `${cues.map((c, i) => `${i + 1}\n${srtTime(c.time_begin)} --> ${srtTime(c.time_end)}\n${c.text}`).join('\n\n')}\n`;
}

/** A system voice as `get_voice` lists it. */
export interface Voice {
  voice_id: string;
  voice_name?: string | undefined;
  description?: string[] | undefined;
  [field: string]: unknown;
}

/** `system_voice` of a get_voice answer (absent: none); each entry needs a `voice_id`. */
export function parseVoices(payload: unknown): Voice[] {
  if (!isPlainObject(payload)) throw new ResponseShapeError('the answer is not an object');
  const list = payload.system_voice ?? [];
  if (!Array.isArray(list)) throw new ResponseShapeError('"system_voice" is not an array');
  return list.map((v, i) => {
    if (!isPlainObject(v) || typeof v.voice_id !== 'string') throw new ResponseShapeError(`voice ${i + 1} has no voice_id`);
    return v as Voice;
  });
}

/** The language part of a voice id, as mmx-cli reads it: what precedes the first `_` + capital (`Chinese (Mandarin)_News_Anchor` → `Chinese (Mandarin)`). */
export function voiceLanguage(voiceId: string): string {
  return /^(.+?)_[A-Z]/.exec(voiceId)?.[1] ?? voiceId;
}

/** mmx-cli 1.0.27's `--language` filter: the language part equals the word, or starts with `word_` or `word (`, any case. */
export function voicesForLanguage(voices: readonly Voice[], language: string): Voice[] {
  const want = language.toLowerCase();
  return voices.filter((v) => {
    const lang = voiceLanguage(v.voice_id).toLowerCase();
    return lang === want || lang.startsWith(`${want}_`) || lang.startsWith(`${want} (`);
  });
}

/** A transcription answer in json/verbose_json: the text, and the seconds of audio when sent. */
export interface Transcript {
  text: string;
  duration?: number | undefined;
  [field: string]: unknown;
}

export function parseTranscript(payload: unknown): Transcript {
  if (!isPlainObject(payload) || typeof payload.text !== 'string') throw new ResponseShapeError('no "text" in the transcription');
  return payload as Transcript;
}

/** One frame of the transcription stream: `{index, delta, finish, duration}`. */
export interface TranscriptFrame {
  index?: number | undefined;
  delta?: string | undefined;
  finish?: boolean | undefined;
  duration?: number | undefined;
  error?: { code: number; message: string } | undefined;
}

export function parseTranscriptFrame(data: string): TranscriptFrame {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    throw new ResponseShapeError(`a frame of the transcription stream is not JSON: ${data.slice(0, 60)}`);
  }
  if (!isPlainObject(payload)) throw new ResponseShapeError('a frame of the transcription stream is not an object');
  const base = isPlainObject(payload.base_resp) ? payload.base_resp : undefined;
  const code = finite(base?.status_code);
  if (code !== undefined && code !== 0) {
    return { error: { code, message: typeof base?.status_msg === 'string' && base.status_msg !== '' ? base.status_msg : `error ${code}` } };
  }
  return {
    index: finite(payload.index),
    delta: typeof payload.delta === 'string' ? payload.delta : undefined,
    finish: payload.finish === true,
    duration: finite(payload.duration),
  };
}

/** The multipart fields of a transcription, in mmx-cli 1.0.27's order (the file last). */
export function transcriptionFields(o: {
  model: string;
  format: string;
  timestampLevel?: string | undefined;
  stream: boolean;
}): Array<{ name: string; value: string }> {
  const fields = [
    { name: 'model', value: o.model },
    { name: 'response_format', value: o.format },
  ];
  if (o.timestampLevel !== undefined) fields.push({ name: 'timestamp_level', value: o.timestampLevel });
  if (o.stream) fields.push({ name: 'stream', value: 'true' });
  return fields;
}

export const speech = {
  synthesize(body: Record<string, unknown>): ApiRequest<Synthesis> {
    return post(T2A_PATH, { json: { ...body, stream: false } }, { retry: 'refused-only', parse: parseSynthesis });
  },
  /** SSE of hex audio frames. */
  synthesizeStream(body: Record<string, unknown>): ApiRequest {
    return post(T2A_PATH, { json: { ...body, stream: true } }, { retry: 'refused-only', expect: 'sse' });
  },
  /**
   * The multipart upload; the language hint travels as a `language` request header (mmx-cli 1.0.27, and the
   * API reference). `expect`: `json` (json, verbose_json), `bytes` (an srt/vtt document as text), `sse` (--stream).
   */
  transcribe(parts: readonly MultipartPart[], options: { language?: string | undefined; expect: 'json' | 'bytes' | 'sse' }): ApiRequest {
    const headers = options.language ? { language: options.language } : undefined;
    return post(STT_PATH, { multipart: parts }, { retry: 'refused-only', expect: options.expect, ...(headers ? { headers } : {}) });
  },
  voices(): ApiRequest<Voice[]> {
    return post(VOICES_PATH, { json: { voice_type: 'system' } }, { retry: 'transient', parse: parseVoices });
  },
};
