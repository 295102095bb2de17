/**
 * `mmx speech synthesize` (alias `generate`): text to speech with POST
 * /v1/t2a_v2, mmx-cli 1.0.27's flags mapped to the body as it maps them. The
 * hex audio is decoded and written to `--out` (default `speech_<UTC time>.<format>`)
 * through `<out>.part`, so a failure never leaves half a file there; `--stream`
 * writes the audio as it arrives, to stdout when stdout is not a terminal.
 * `--subtitles` fetches the subtitle file from its signed link (never with the
 * key) and saves it as SRT beside the audio. Everything that can fail before
 * the paid request (the text's length, the output paths) is checked first.
 */
import { basename } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import { checkDestination, download, toFile, toStdoutStream } from '../../api/download.js';
import { errorFromFailure } from '../../api/failure.js';
import { ResponseShapeError } from '../../api/request.js';
import {
  AUDIO_FORMATS,
  type AudioInfo,
  DEFAULT_VOICE,
  MAX_SYNTHESIS_CHARS,
  audioToWrite,
  parseAudioFrame,
  parseSubtitles,
  speech,
  synthesisBody,
  toSrt,
} from '../../api/resources/speech.js';
import { decodeSse } from '../../api/sse.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { type InputOf, arg, flag, numberIn, positiveInt } from '../../cli/flags.js';
import { ApiError, CliError, ExitCode, InterruptedError, NetworkError, UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';
import { fieldsText } from '../../output/fields.js';
import { type Progress, startProgress, withProgress } from '../../output/progress.js';

/** `10,000`: thousands separated without Intl, whose first use costs every run that loads this module several ms. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
const LIMIT = groupDigits(MAX_SYNTHESIS_CHARS);

const FLAGS = {
  model: flag.string('--model <model>', 'model: speech-2.8-hd, speech-2.8-turbo, speech-2.6-hd, speech-02-hd, …', {
    setting: 'default_speech_model',
  }),
  text: flag.string('--text <text>', `text to synthesize, at most ${LIMIT} characters`),
  textFile: flag.path('--text-file <path>', 'read the text from a file ("-" for stdin)'),
  voice: flag.string('--voice <id>', 'voice id ("mmx speech voices" lists them)', { default: DEFAULT_VOICE }),
  speed: flag.number('--speed <n>', 'speed multiplier, 0.5 to 2', { parse: numberIn('--speed', { min: 0.5, max: 2 }) }),
  volume: flag.number('--volume <n>', 'volume, above 0 and up to 10', { parse: numberIn('--volume', { min: 0, max: 10, above: true }) }),
  pitch: flag.number('--pitch <n>', 'pitch in semitones, -12 to 12', { parse: numberIn('--pitch', { min: -12, max: 12, integer: true }) }),
  emotion: flag.string(
    '--emotion <emotion>',
    'emotion: happy, sad, angry, fearful, disgusted, surprised, calm, fluent, whisper (passed on as given)',
  ),
  textNormalization: flag.boolean('--text-normalization', 'normalize Chinese and English text (numbers, dates, units)'),
  latexRead: flag.boolean('--latex-read', 'read LaTeX formulas ($$…$$, Chinese only)'),
  format: flag.choice('--format <fmt>', AUDIO_FORMATS, 'audio format', { default: 'mp3' }),
  sampleRate: flag.number('--sample-rate <hz>', 'sample rate', {
    parse: positiveInt('--sample-rate'),
    defaultHelp: '32000; opus 24000, pcmu_raw and pcmu_wav 8000',
  }),
  bitrate: flag.number('--bitrate <bps>', 'bitrate', { default: 128_000, parse: positiveInt('--bitrate') }),
  channels: flag.number('--channels <n>', 'audio channels, 1 or 2', {
    default: 1,
    parse: numberIn('--channels', { min: 1, max: 2, integer: true }),
  }),
  language: flag.string('--language <code>', 'language boost: Chinese, English, Japanese, …, or auto'),
  subtitles: flag.boolean('--subtitles', 'also save the subtitles, as <out>.srt beside the audio'),
  pronunciation: flag.list('--pronunciation <from/to>', 'custom pronunciation, e.g. "omg/oh my god" or "处理/(chu3)(li3)"; repeatable'),
  out: flag.path('--out <path>', 'the audio file ("-" for stdout)', { defaultHelp: 'speech_<time>.<format>' }),
  stream: flag.boolean('--stream', 'write the audio as it is made: to stdout when it is not a terminal, else to the file', {
    negate: 'wait for the whole audio (the default)',
  }),
  force: flag.boolean('--force', 'overwrite existing files without asking'),
};
const ARGS = { textArg: arg.optional('[text]', 'the text, instead of --text') };
type SynthesizeInput = InputOf<typeof FLAGS, typeof ARGS>;

/** `speech_2026-11-28-12-00-00.mp3`: mmx-cli 1.0.27's default name, from the UTC time. */
export function defaultAudioName(now: number, format: string): string {
  return `speech_${new Date(now).toISOString().slice(0, 19).replace(/[T:]/g, '-')}.${format}`;
}

/** Where the subtitles go: the audio path with its extension (of the file name only) replaced by `.srt`. */
export function subtitlePath(audio: string): string {
  const name = basename(audio);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return `${audio.slice(0, audio.length - name.length)}${stem}.srt`;
}

/** Refuses text the endpoint would refuse: empty, or over its limit (named). */
export function checkText(text: string, source: string): void {
  if (text.trim() === '') throw new UsageError(`The text is empty (${source}).`);
  const length = [...text].length;
  if (length > MAX_SYNTHESIS_CHARS) {
    throw new UsageError(
      `The text is ${groupDigits(length)} characters long (${source}); one synthesis takes at most ${LIMIT} (the /v1/t2a_v2 limit).`,
      { hint: `Split it into parts of at most ${LIMIT} characters and synthesize each.` },
    );
  }
}

/** The flag combinations, checked before anything is read or sent. */
export function validateSynthesis(input: SynthesizeInput): void {
  if (input.model.trim() === '') throw new UsageError('--model is empty.');
  if (input.voice.trim() === '') throw new UsageError('--voice is empty.');
  const given = [
    input.text !== undefined ? '--text' : undefined,
    input.textArg !== undefined ? 'a text argument' : undefined,
    input.textFile !== undefined ? '--text-file' : undefined,
  ].filter((s) => s !== undefined);
  if (given.length > 1) throw new UsageError(`Give the text once: ${given.join(' and ')} were given.`);
  if (given.length === 0) {
    throw new UsageError('--text or --text-file is required.', { hint: 'mmx speech synthesize --text "Hello" --out hello.mp3' });
  }
  const inline = input.text ?? input.textArg;
  if (inline !== undefined) checkText(inline, input.text !== undefined ? '--text' : 'the text argument');
  if (input.stream && input.format === 'wav') {
    throw new UsageError('wav format is not supported in streaming mode.', {
      hint: 'Use mp3, pcm, flac, pcmu_raw, pcmu_wav, or opus for streaming.',
    });
  }
  if (input.stream && input.subtitles) {
    throw new UsageError('--subtitles needs a whole response: the API sends no subtitles with --stream.', { hint: 'Drop --stream.' });
  }
  if (input.subtitles && input.out === '-') {
    throw new UsageError('--subtitles saves the .srt beside the audio file; with --out - there is none.', { hint: 'Give --out PATH.' });
  }
  if (input.subtitles && input.out !== undefined && subtitlePath(input.out) === input.out) {
    throw new UsageError(`--out ${input.out} is where the subtitles would go; give the audio another name.`);
  }
}

export default defineCommand({
  path: ['speech', 'synthesize'],
  aliases: ['generate'],
  summary: `text to speech, up to ${LIMIT} characters (speech-2.8-hd, 2.6, 02)`,
  flags: FLAGS,
  args: ARGS,
  examples: [
    'mmx speech synthesize --text "Hello, world!"',
    'mmx speech synthesize --text "Hello, world!" --out hello.mp3',
    'mmx speech synthesize --text "Hello" --subtitles --out hello.mp3',
    'echo "Breaking news." | mmx speech synthesize --text-file - --out news.mp3',
    'mmx speech synthesize --text "Stream" --stream | mpv --no-terminal -',
  ],
  notes:
    'Prints where the audio went (JSON: saved, duration_ms, size_bytes, sample_rate; subtitles when saved); --quiet prints the paths alone. ' +
    'An existing file is replaced in scripts, asked about on a terminal, or kept unless --force with --non-interactive.',
  needs: { key: true, interactive: true },
  validate: validateSynthesis,
  run: synthesize,
});

/** The text from its one source; `--text-file -` reads stdin. */
async function readText(ctx: Context, input: SynthesizeInput): Promise<string> {
  const inline = input.text ?? input.textArg;
  if (inline !== undefined) return inline;
  const path = input.textFile as string;
  let text: string;
  if (path === '-') {
    if (ctx.deps.stdin.isTTY) throw new UsageError('--text-file - reads stdin, but stdin is a terminal; pipe the text in.');
    text = await ctx.deps.stdin.readAll();
  } else {
    try {
      text = await (await import('node:fs/promises')).readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `--text-file: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}.`,
      );
    }
  }
  checkText(text, path === '-' ? 'stdin' : path);
  return text;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** What the command prints: mmx-cli 1.0.27's fields, and the subtitles path (or why there is none) beside them. */
interface Saved extends AudioInfo {
  saved: string;
  subtitles?: string | undefined;
  subtitles_error?: string | undefined;
}

function report(ctx: Context, result: Saved): void {
  if (ctx.settings.quiet) {
    ctx.print(`${[result.saved, result.subtitles].filter((p) => p !== undefined).join('\n')}\n`);
    return;
  }
  ctx.result(result, () => fieldsText(result as unknown as Record<string, unknown>));
}

async function synthesize(ctx: Context, input: SynthesizeInput): Promise<number> {
  // Claims first, so that two readers of stdin fail before anything is read.
  if (ctx.settings.key?.source === 'flag' && ctx.settings.key.value === '-') ctx.claimStdin('--api-key -');
  if (input.textFile === '-') ctx.claimStdin('--text-file -');
  await ctx.readKeyFromStdinIfAsked();
  const text = await readText(ctx, input);
  const stream = input.stream === true;
  const body = synthesisBody({
    model: input.model,
    text,
    voice: input.voice,
    speed: input.speed,
    volume: input.volume,
    pitch: input.pitch,
    emotion: input.emotion,
    textNormalization: input.textNormalization,
    latexRead: input.latexRead,
    format: input.format,
    sampleRate: input.sampleRate,
    bitrate: input.bitrate,
    channels: input.channels,
    language: input.language,
    subtitles: input.subtitles,
    pronunciation: input.pronunciation,
    stream,
  });
  // Streamed audio goes to stdout when it is not a terminal and no --out says otherwise.
  const audio = input.out ?? (stream && !ctx.deps.stdout.isTTY ? '-' : defaultAudioName(ctx.deps.now(), input.format));
  const srt = input.subtitles ? subtitlePath(audio) : undefined;
  const client = await ctx.client();
  const request = stream ? speech.synthesizeStream(body) : speech.synthesize(body);
  if (ctx.settings.dryRun) {
    return printDryRun(ctx, [client.describe(request)], { fields: { request: body }, files: srt ? [audio, srt] : [audio] });
  }
  await checkDestination(ctx, audio, { force: input.force });
  if (srt) await checkDestination(ctx, srt, { force: input.force });

  if (stream) {
    const info = await streamAudio(ctx, client, body, audio);
    if (audio !== '-') report(ctx, { saved: audio, ...info });
    return 0;
  }
  const result = await withProgress(ctx, { kind: 'wait', label: 'Synthesizing speech' }, () => client.send(speech.synthesize(body)));
  ctx.info(`[Model: ${input.model}]`);
  if (audio === '-') await toStdoutStream(ctx, once(result.audio));
  else await toFile(audio, once(result.audio));
  ctx.verbose(`* ${result.audio.byteLength} bytes of audio to ${audio === '-' ? 'stdout' : audio}`);
  if (audio === '-') return 0;
  const saved: Saved = { saved: audio, ...result.info };
  if (srt) Object.assign(saved, await saveSubtitles(ctx, result.subtitleFile, srt));
  report(ctx, saved);
  return 0;
}

/**
 * Reads the stream frame by frame and writes each piece of audio as it comes; the
 * trailer (the last frame, which repeats the whole audio) is not written again.
 * A stream that ends before its last frame is an error: a file is then not kept,
 * and stdout has what arrived.
 */
async function streamAudio(ctx: Context, client: ApiClient, body: Record<string, unknown>, audio: string): Promise<AudioInfo> {
  const response = await client.open(speech.synthesizeStream(body));
  const progress: Progress = await startProgress(ctx, { kind: 'transfer', label: audio === '-' ? 'audio' : basename(audio) });
  let bytes = 0;
  let info: AudioInfo = {};
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    let ended = false;
    for await (const event of decodeSse(response.body)) {
      if (event.data === '[DONE]') {
        ended = true;
        break;
      }
      if (event.data.trim() === '') continue;
      let frame;
      try {
        frame = parseAudioFrame(event.data);
      } catch (error) {
        if (!(error instanceof ResponseShapeError)) throw error;
        throw new ApiError(ExitCode.GENERAL, `The audio stream is malformed: ${error.message}.`);
      }
      if (frame.error) {
        throw errorFromFailure(
          { status: 200, message: frame.error.message, apiCode: frame.error.code },
          { region: ctx.settings.region, now: ctx.deps.now() },
        );
      }
      if (frame.info) info = frame.info;
      const piece = audioToWrite(frame, bytes);
      if (piece && piece.byteLength > 0) {
        bytes += piece.byteLength;
        progress.bytes(bytes);
        yield piece;
      }
      if (frame.status === 2) {
        ended = true;
        break;
      }
    }
    if (bytes === 0) throw new ApiError(ExitCode.GENERAL, 'The audio stream ended without audio.');
    if (!ended) {
      throw new NetworkError(`The audio stream ended before its last frame, after ${bytes} bytes; the audio is incomplete.`, {
        hint: audio === '-' ? 'What arrived was written to stdout; retry.' : `Nothing was saved to ${audio}; retry.`,
      });
    }
  };
  try {
    if (audio === '-') await toStdoutStream(ctx, chunks());
    else await toFile(audio, chunks());
  } finally {
    progress.stop();
  }
  ctx.verbose(`* ${bytes} bytes of audio to ${audio === '-' ? 'stdout' : audio}`);
  return info;
}

/**
 * Fetches the subtitle file from its signed link (download(): no key, a temporary
 * file) and writes it as SRT. As in mmx-cli 1.0.27, a failure here is a warning:
 * the audio, already paid for and saved, stands; JSON says why in `subtitles_error`.
 */
async function saveSubtitles(
  ctx: Context,
  link: string | undefined,
  srt: string,
): Promise<{ subtitles?: string; subtitles_error?: string }> {
  if (link === undefined) {
    const why = 'subtitles requested but not returned by the API';
    if (!ctx.settings.quiet) ctx.warn(`${why}.`);
    return { subtitles_error: why };
  }
  const fs = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await fs.mkdtemp(join(tmpdir(), 'mmx-subtitles-'));
  try {
    const file = join(dir, 'subtitles.json');
    await download(ctx, link, file, { force: true, label: 'subtitles' });
    let payload: unknown;
    try {
      payload = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch {
      throw new ResponseShapeError('the subtitle file is not JSON');
    }
    const cues = parseSubtitles(payload);
    await toFile(srt, once(Buffer.from(toSrt(cues), 'utf8')));
    return { subtitles: srt };
  } catch (error) {
    if (error instanceof InterruptedError || ctx.deps.signal.aborted) throw new InterruptedError();
    const why = `failed to download subtitles: ${error instanceof CliError || error instanceof ResponseShapeError ? error.message : String(error)}`;
    if (!ctx.settings.quiet) ctx.warn(why);
    return { subtitles_error: why };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
