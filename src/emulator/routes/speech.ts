/**
 * The speech routes of the emulator: `POST /v1/t2a_v2` (hex audio, whole or as
 * an event stream whose last frame repeats the whole audio, as the real API
 * does), `POST /v1/speech_to_text` (a multipart upload; json, verbose_json,
 * srt, vtt or a stream of deltas) and `POST /v1/get_voice`. Shapes follow
 * docs/minimax-api-notes.md (Media endpoints); errors are the documented codes
 * in `base_resp` (2013 invalid params, 20132 unknown voice, 1026/1027 content
 * filter), and HTTP 413 for an audio file over 50 MB.
 *
 * The audio is not speech: bytes derived from the text behind the format's
 * magic number, so a test can tell formats, texts and halves apart.
 */
import { createHash } from 'node:crypto';
import { parseMultipart } from '../multipart.js';
import {
  SUCCESS_BASE_RESP,
  type EmuResponse,
  type SseEvent,
  baseRespError,
  jsonResponse,
  sseResponse,
  textResponse,
} from '../responses.js';
import type { RouteContext, RouteEnv, RouteModule } from './types.js';

/** A system voice as `get_voice` lists it. */
export interface EmuVoice {
  voice_id: string;
  voice_name: string;
  description: string[];
  created_time?: string;
}

export interface SpeechEmulatorOptions {
  /** The system voices (default: DEFAULT_VOICES). Synthesis refuses other voice ids with 20132. */
  voices?: readonly EmuVoice[];
  /** Text (or audio bytes) containing this is refused as flagged input, 1026. Default `FLAGGED-INPUT`. */
  flaggedInput?: string;
  /** Text containing this has its audio withheld as flagged output, 1027. Default `FLAGGED-OUTPUT`. */
  flaggedOutput?: string;
  /** The transcript of every upload; default: the text after `SPEECH:` in the file, else a fixed sentence. */
  transcript?: string;
  /** Audio bytes per synthesis stream frame (default 4096). */
  frameBytes?: number;
}

export const DEFAULT_VOICES: readonly EmuVoice[] = Object.freeze(
  [
    { voice_id: 'English_expressive_narrator', voice_name: 'Expressive Narrator', description: ['A warm, expressive male narrator.'] },
    { voice_id: 'English_Graceful_Lady', voice_name: 'Graceful Lady', description: ['A calm, graceful female voice.'] },
    { voice_id: 'English_Insightful_Speaker', voice_name: 'Insightful Speaker', description: ['A clear, thoughtful presenter.'] },
    { voice_id: 'English_radiant_girl', voice_name: 'Radiant Girl', description: ['A bright, youthful female voice.'] },
    { voice_id: 'Chinese (Mandarin)_Reliable_Executive', voice_name: '沉稳高管', description: ['沉稳可靠的中年男声，适合商务播报。'] },
    { voice_id: 'Chinese (Mandarin)_News_Anchor', voice_name: '新闻女声', description: ['专业的新闻播音女声。'] },
    { voice_id: 'male-qn-qingse', voice_name: '青涩青年音色', description: ['青涩的青年男声。'] },
    { voice_id: 'Japanese_IntellectualSenior', voice_name: 'Intellectual Senior', description: ['A knowledgeable, mature male voice.'] },
    { voice_id: 'Korean_SweetGirl', voice_name: 'Sweet Girl', description: ['A sweet, gentle young female voice.'] },
    { voice_id: 'Spanish_SereneWoman', voice_name: 'Serene Woman', description: ['A serene, soothing female voice.'] },
  ].map((v) => Object.freeze({ ...v, created_time: '1970-01-01' })),
);

const SPEECH_MODELS = new Set([
  'speech-2.8-hd',
  'speech-2.8-turbo',
  'speech-2.6-hd',
  'speech-2.6-turbo',
  'speech-02-hd',
  'speech-02-turbo',
  'speech-01-hd',
  'speech-01-turbo',
]);
const FORMATS = new Set(['mp3', 'pcm', 'flac', 'wav', 'pcmu_raw', 'pcmu_wav', 'opus']);
const MAX_TEXT = 10_000;
const MAX_UPLOAD = 50 * 1024 * 1024;
const TRANSCRIPT_FORMATS = new Set(['json', 'verbose_json', 'srt', 'vtt']);
const LANGUAGES = new Set(['zh', 'yue', 'en', 'ja', 'ko', 'th', 'vi', 'id', 'ms', 'fil', 'es', 'fr', 'de', 'pt', 'ru', 'it', 'ar', 'tr']);
const DEFAULT_TRANSCRIPT = 'Hello from the MiniMax emulator.';
/** Emulated audio: this many bytes, and milliseconds, per character of text. */
const BYTES_PER_CHAR = 64;
const MS_PER_CHAR = 75;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function magic(format: string): Uint8Array {
  switch (format) {
    case 'mp3':
      return Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1');
    case 'wav':
    case 'pcmu_wav':
      return Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt ', 'latin1');
    case 'flac':
      return Buffer.from('fLaC');
    case 'opus':
      return Buffer.from('OggS');
    default:
      return new Uint8Array(0);
  }
}

/** Bytes standing for the speech of `text` in `format`: the format's magic number, then a digest stream of the text. */
export function emulatedAudio(text: string, format: string): Uint8Array {
  const head = magic(format);
  const length = [...text].length * BYTES_PER_CHAR;
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let block = createHash('sha256').update(`${format}:${text}`).digest();
  for (let i = 0; i < length; i++) {
    if (i > 0 && i % block.length === 0) block = createHash('sha256').update(block).digest();
    out[head.length + i] = block[i % block.length] as number;
  }
  return out;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** Sentences of `text` with their times, for the subtitle file (ms, as the real one). */
function cues(text: string): Array<{ text: string; time_begin: number; time_end: number; text_begin: number; text_end: number }> {
  const parts = text.match(/[^.!?。！？]+[.!?。！？]*/gu) ?? [text];
  let chars = 0;
  return parts
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const begin = chars;
      chars += [...part].length;
      return { text: part, time_begin: begin * MS_PER_CHAR, time_end: chars * MS_PER_CHAR, text_begin: begin, text_end: chars };
    });
}

function invalid(message: string): EmuResponse {
  return baseRespError(200, 2013, `invalid params, ${message}`);
}

export const speechRoutes: RouteModule = (env: RouteEnv) => {
  const opts: SpeechEmulatorOptions = env.options.speech ?? {};
  const voices = opts.voices ?? DEFAULT_VOICES;
  const flaggedInput = opts.flaggedInput ?? 'FLAGGED-INPUT';
  const flaggedOutput = opts.flaggedOutput ?? 'FLAGGED-OUTPUT';
  const frameBytes = Math.max(1, opts.frameBytes ?? 4096);

  function synthesize(ctx: RouteContext): EmuResponse {
    const body = ctx.body;
    if (!isObject(body)) return invalid('the body must be a JSON object');
    const model = body.model;
    if (typeof model !== 'string' || !SPEECH_MODELS.has(model)) return invalid(`model not supported: ${String(model)}`);
    const text = body.text;
    if (typeof text !== 'string' || text.trim() === '') return invalid('text is required');
    if ([...text].length > MAX_TEXT) return invalid(`text is longer than ${MAX_TEXT} characters`);
    const voice = isObject(body.voice_setting) ? body.voice_setting : {};
    const voiceId = typeof voice.voice_id === 'string' ? voice.voice_id : '';
    if (!voices.some((v) => v.voice_id === voiceId)) return baseRespError(200, 20132, `invalid samples or voice_id: ${voiceId}`);
    const audio = isObject(body.audio_setting) ? body.audio_setting : {};
    const format = typeof audio.format === 'string' ? audio.format : 'mp3';
    if (!FORMATS.has(format)) return invalid(`unsupported audio format: ${format}`);
    const stream = body.stream === true;
    if (stream && format === 'wav') return invalid('wav is not supported in streaming mode');
    if (text.includes(flaggedInput)) return baseRespError(200, 1026, 'input new_sensitive');
    if (text.includes(flaggedOutput)) return baseRespError(200, 1027, 'output new_sensitive');

    const bytes = emulatedAudio(text, format);
    const sampleRate = typeof audio.sample_rate === 'number' ? audio.sample_rate : 32_000;
    const extraInfo = {
      audio_length: [...text].length * MS_PER_CHAR,
      audio_sample_rate: sampleRate,
      audio_size: bytes.length,
      bitrate: typeof audio.bitrate === 'number' ? audio.bitrate : 128_000,
      word_count: text.split(/\s+/).filter(Boolean).length,
      invisible_character_ratio: 0,
      usage_characters: [...text].length,
      audio_format: format,
      audio_channel: typeof audio.channel === 'number' ? audio.channel : 1,
    };
    if (stream) {
      const events: SseEvent[] = [];
      for (let at = 0; at < bytes.length; at += frameBytes) {
        events.push({
          event: 'message',
          data: {
            data: { audio: hex(bytes.subarray(at, at + frameBytes)), status: 1, ced: '' },
            trace_id: ctx.requestId,
            base_resp: SUCCESS_BASE_RESP,
          },
        });
      }
      const options = isObject(body.stream_options) ? body.stream_options : {};
      // The last frame carries the whole audio again, unless asked not to (stream_options.exclude_aggregated_audio).
      const trailer = options.exclude_aggregated_audio === true ? '' : hex(bytes);
      events.push({
        event: 'message',
        data: {
          data: { audio: trailer, status: 2, ced: '' },
          extra_info: extraInfo,
          trace_id: ctx.requestId,
          base_resp: SUCCESS_BASE_RESP,
        },
      });
      return sseResponse(events);
    }
    const data: Json = { audio: hex(bytes), status: 2, ced: '' };
    if (body.subtitle_enable === true && env.options.cdn) {
      const { store, origin } = env.options.cdn;
      const path = `/speech/subtitles/${ctx.requestId}.json`;
      store.put(path, Buffer.from(JSON.stringify(cues(text))), 'application/json');
      data.subtitle_file = store.signedUrl(origin, path);
    }
    return jsonResponse(200, { data, extra_info: extraInfo, trace_id: ctx.requestId, base_resp: SUCCESS_BASE_RESP });
  }

  function transcribe(ctx: RouteContext): EmuResponse {
    const form = parseMultipart(ctx.rawBody, ctx.headers.get('content-type'));
    if (!form) return invalid('expected a multipart/form-data body');
    const model = form.fields.model;
    if (model !== 'asr-1.0') return invalid(`model not supported: ${String(model)}`);
    const file = form.files.file;
    if (!file || file.bytes.length === 0) return invalid('file is required');
    if (file.bytes.length > MAX_UPLOAD) {
      return { ...baseRespError(413, 2013, 'audio file exceeds 50 MB'), status: 413 };
    }
    const format = form.fields.response_format ?? 'json';
    if (!TRANSCRIPT_FORMATS.has(format)) return invalid(`unsupported response_format: ${format}`);
    const stream = form.fields.stream === 'true';
    if (stream && format !== 'json') return invalid('stream=true returns json only');
    const level = form.fields.timestamp_level;
    if (level !== undefined && level !== 'sentence' && level !== 'word') return invalid(`unsupported timestamp_level: ${level}`);
    const language = ctx.headers.get('language') ?? '';
    if (language !== '' && !LANGUAGES.has(language)) return invalid(`unsupported language: ${language}`);
    const audioText = Buffer.from(file.bytes).toString('latin1');
    if (audioText.includes(flaggedInput)) return { ...baseRespError(422, 1026, 'input audio new_sensitive'), status: 422 };

    const text = opts.transcript ?? /SPEECH:([^\n]*)/.exec(audioText)?.[1]?.trim() ?? DEFAULT_TRANSCRIPT;
    const duration = Math.max(0.5, Math.round((file.bytes.length / 16_000) * 100) / 100);
    const words = text.split(/\s+/).filter(Boolean);
    if (stream) {
      const events: SseEvent[] = words.map((word, index) => ({
        event: 'message',
        data: { index, delta: index === 0 ? word : ` ${word}`, finish: false },
      }));
      events.push({ event: 'message', data: { index: words.length, delta: '', finish: true, duration } });
      return sseResponse(events);
    }
    const stamp = (s: number, sep: string) => {
      const ms = Math.round(s * 1000);
      const pad = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor((ms % 3_600_000) / 60_000))}:${pad(Math.floor((ms % 60_000) / 1000))}${sep}${pad(ms % 1000, 3)}`;
    };
    if (format === 'srt')
      return textResponse(200, `1\n${stamp(0, ',')} --> ${stamp(duration, ',')}\n${text}\n`, 'text/plain; charset=utf-8');
    if (format === 'vtt')
      return textResponse(200, `WEBVTT\n\n${stamp(0, '.')} --> ${stamp(duration, '.')}\n${text}\n`, 'text/vtt; charset=utf-8');
    if (format === 'json') return jsonResponse(200, { text, duration, base_resp: SUCCESS_BASE_RESP });
    const segment: Json = { id: 0, start: 0, end: duration, text, speaker: 0 };
    if (level === 'word') {
      const step = duration / Math.max(1, words.length);
      segment.words = words.map((word, i) => ({
        word,
        start: Math.round(i * step * 100) / 100,
        end: Math.round((i + 1) * step * 100) / 100,
      }));
    }
    return jsonResponse(200, {
      text,
      duration,
      language: language === '' ? 'en' : language,
      n_speakers: 1,
      segments: [segment],
      base_resp: SUCCESS_BASE_RESP,
    });
  }

  function listVoices(ctx: RouteContext): EmuResponse {
    const type = isObject(ctx.body) ? ctx.body.voice_type : undefined;
    if (type !== 'system' && type !== 'voice_cloning' && type !== 'voice_generation' && type !== 'all') {
      return invalid(`voice_type must be system, voice_cloning, voice_generation or all`);
    }
    const out: Json = {};
    if (type === 'system' || type === 'all') out.system_voice = voices;
    if (type === 'voice_cloning' || type === 'all') out.voice_cloning = [];
    if (type === 'voice_generation' || type === 'all') out.voice_generation = [];
    return jsonResponse(200, { ...out, base_resp: SUCCESS_BASE_RESP });
  }

  // The routes see only authenticated requests: the handler checks the key and its region first.
  return {
    'POST /v1/t2a_v2': synthesize,
    'POST /v1/speech_to_text': transcribe,
    'POST /v1/get_voice': listVoices,
  };
};
