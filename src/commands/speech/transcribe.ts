/**
 * `mmx speech transcribe` (alias `recognize`): an audio file to text with POST
 * /v1/speech_to_text, a multipart upload (model asr-1.0) with the language hint
 * as a `language` request header, as mmx-cli 1.0.27 sends it. The file is
 * checked (there, an accepted format, at most 50 MB) and `--out` too before the
 * upload. Output as mmx-cli's: the text (or the payload in JSON), an srt/vtt
 * document as sent, a stream of text as it is recognized; with --out, the file
 * and `{saved, duration}`.
 */
import { basename, extname } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import { checkDestination, toFile } from '../../api/download.js';
import { errorFromFailure, failureFromText } from '../../api/failure.js';
import { type MultipartPart, ResponseShapeError } from '../../api/request.js';
import {
  MAX_TRANSCRIPTION_BYTES,
  TIMESTAMP_LEVELS,
  TRANSCRIPTION_MODEL,
  TRANSCRIPTION_TYPES,
  TRANSCRIPT_FORMATS,
  parseTranscript,
  parseTranscriptFrame,
  speech,
  transcriptionFields,
} from '../../api/resources/speech.js';
import { decodeSse } from '../../api/sse.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { type InputOf, arg, flag } from '../../cli/flags.js';
import { inCi } from '../../config/settings.js';
import { ApiError, CliError, ExitCode, NetworkError, UsageError } from '../../errors.js';
import { readText } from '../../http/transport.js';
import { printDryRun } from '../../output/dry-run.js';
import { fieldsText } from '../../output/fields.js';
import { withProgress } from '../../output/progress.js';

const FORMATS_HELP = Object.keys(TRANSCRIPTION_TYPES).join(', ');

const FLAGS = {
  file: flag.path('--file <path>', `audio file to transcribe (${FORMATS_HELP}; at most 50 MB)`),
  model: flag.string('--model <model>', 'model', { default: TRANSCRIPTION_MODEL }),
  responseFormat: flag.choice('--response-format <fmt>', TRANSCRIPT_FORMATS, 'transcription format', { default: 'json' }),
  language: flag.string('--language <code>', 'BCP-47 language hint (zh, en, ja, …); omit for automatic detection'),
  timestampLevel: flag.choice('--timestamp-level <level>', TIMESTAMP_LEVELS, 'timestamp granularity (verbose_json, srt and vtt)'),
  stream: flag.boolean('--stream', 'print the text as it is recognized (json only; pair with --output text when piping)', {
    negate: 'wait for the whole transcript (the default)',
  }),
  out: flag.path('--out <path>', 'write the result to a file instead of stdout'),
  force: flag.boolean('--force', 'overwrite an existing --out file without asking'),
};
const ARGS = { fileArg: arg.optional('[file]', 'the audio file, instead of --file', { complete: 'file' }) };
type TranscribeInput = InputOf<typeof FLAGS, typeof ARGS>;

/** The flag combinations, checked before anything is read or sent. */
export function validateTranscription(input: TranscribeInput): void {
  if (input.model.trim() === '') throw new UsageError('--model is empty.');
  if (input.file !== undefined && input.fileArg !== undefined && input.file !== input.fileArg) {
    throw new UsageError(`Give the audio file once: --file ${input.file} and ${input.fileArg} were both given.`);
  }
  if (input.stream && input.responseFormat !== 'json') {
    throw new UsageError(
      `response_format "${input.responseFormat}" cannot be combined with stream=true; streaming returns incremental json only.`,
    );
  }
  if (input.stream && input.out !== undefined) {
    throw new UsageError('--stream and --out cannot be combined.', {
      hint: 'Redirect stdout instead: mmx speech transcribe --file <path> --stream --output text > transcript.txt',
    });
  }
  if (input.timestampLevel !== undefined && input.responseFormat === 'json') {
    throw new UsageError('--timestamp-level applies to --response-format verbose_json, srt or vtt.');
  }
  if (input.language !== undefined && input.language.trim() === '') throw new UsageError('--language is empty.');
}

/**
 * What is wrong with an audio file before it is uploaded, if anything: not a file,
 * empty, over the 50 MB the endpoint takes, or not one of its formats (by extension).
 */
export function audioFileProblem(path: string, stat: { isFile: boolean; size: number }): UsageError | undefined {
  if (!stat.isFile) return new UsageError(`${path} is not a file.`);
  if (stat.size === 0) return new UsageError(`${path} is empty.`);
  if (stat.size > MAX_TRANSCRIPTION_BYTES) {
    return new UsageError(
      `Audio file is ${(stat.size / 1024 / 1024).toFixed(1)} MB; speech-to-text allows at most ${MAX_TRANSCRIPTION_BYTES / 1024 / 1024} MB: ${path}`,
      { hint: 'Re-encode to compressed mono audio (e.g. mp3 / aac) or split it into smaller files.' },
    );
  }
  const ext = extname(path).slice(1).toLowerCase();
  if (!Object.hasOwn(TRANSCRIPTION_TYPES, ext)) {
    return new UsageError(`${basename(path)} is not an audio format speech-to-text takes (${FORMATS_HELP}).`, {
      hint: 'Convert it first, e.g. ffmpeg -i input -ac 1 -ar 16000 output.mp3',
    });
  }
  return undefined;
}

/**
 * mmx-cli 1.0.27's readings of speech_to_text's HTTP errors: 422 is flagged audio
 * (the content filter, exit 10), 413 a file too large for the endpoint (usage, exit 2).
 */
export function transcriptionError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const detail = error.message.replace(/^API error: /, '');
  if (error.httpStatus === 422) {
    return new ApiError(ExitCode.CONTENT_FILTER, `Input audio flagged by sensitivity filter (${detail}).`, {
      apiCode: error.apiCode,
      requestId: error.requestId,
      httpStatus: 422,
      hint: 'The content was flagged by the sensitivity filter.',
    });
  }
  if (error.httpStatus === 413) {
    return new UsageError(`Audio file exceeds the speech-to-text size limit (HTTP 413). ${detail}`, {
      apiCode: error.apiCode,
      requestId: error.requestId,
      httpStatus: 413,
      hint: 'Re-encode to compressed mono audio (e.g. mp3 / aac) or split it into smaller files.',
    });
  }
  return error;
}

export default defineCommand({
  path: ['speech', 'transcribe'],
  aliases: ['recognize'],
  summary: 'transcribe an audio file to text (asr-1.0)',
  flags: FLAGS,
  args: ARGS,
  examples: [
    'mmx speech transcribe --file meeting.mp3',
    'mmx speech transcribe --file call.mp3 --language zh',
    'mmx speech transcribe --file talk.mp3 --response-format verbose_json --output json',
    'mmx speech transcribe --file talk.mp3 --response-format srt --out talk.srt',
    'mmx speech transcribe --file long.mp3 --stream',
  ],
  notes:
    'Text output is the transcript (srt/vtt: the document); JSON output is the payload (--stream: {text, duration}). ' +
    'With --out, the result goes to the file and mmx prints {saved, duration} (--quiet: the path).',
  needs: { key: true, interactive: true },
  validate: validateTranscription,
  run: transcribe,
});

/** The file to send: --file or the argument, else asked for on a terminal (as mmx-cli does), else a usage error. */
async function audioPath(ctx: Context, input: TranscribeInput): Promise<string> {
  const given = input.file ?? input.fileArg;
  if (given !== undefined) return given;
  const { deps, settings } = ctx;
  if (deps.stdin.isTTY && deps.stderr.isTTY && !settings.nonInteractive && !inCi(deps.env) && ctx.stdinClaimedBy === undefined) {
    ctx.claimStdin('the file prompt');
    const typed = (await deps.stdin.readLine('Enter audio file path: ')).trim();
    if (typed === '') throw new CliError(ExitCode.GENERAL, 'Transcription cancelled.');
    return typed;
  }
  throw new UsageError('Missing required argument: --file', { hint: 'mmx speech transcribe --file <path>' });
}

async function checkAudioFile(path: string): Promise<void> {
  let stat;
  try {
    stat = await (await import('node:fs/promises')).stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `File not found: ${path}` : `Cannot read ${path}: ${(error as Error).message}`);
  }
  const problem = audioFileProblem(path, { isFile: stat.isFile(), size: stat.size });
  if (problem) throw problem;
}

async function transcribe(ctx: Context, input: TranscribeInput): Promise<number> {
  await ctx.readKeyFromStdinIfAsked();
  const path = await audioPath(ctx, input);
  await checkAudioFile(path);
  const stream = input.stream === true;
  const format = input.responseFormat;
  const fields = transcriptionFields({ model: input.model, format, timestampLevel: input.timestampLevel, stream });
  const type = TRANSCRIPTION_TYPES[extname(path).slice(1).toLowerCase()];
  const parts: MultipartPart[] = [...fields, { name: 'file', path, filename: basename(path), ...(type ? { contentType: type } : {}) }];
  const language = input.language?.trim();
  const expect = stream ? 'sse' : format === 'srt' || format === 'vtt' ? 'bytes' : 'json';
  const request = speech.transcribe(parts, { language, expect });
  const client = await ctx.client();
  if (ctx.settings.dryRun) {
    // mmx-cli 1.0.27's dry run shows its form fields, the file's path and the language.
    const shown = { ...Object.fromEntries(fields.map((f) => [f.name, f.value])), file: path, ...(language ? { language } : {}) };
    return printDryRun(ctx, [client.describe(request)], { fields: { request: shown }, ...(input.out ? { files: [input.out] } : {}) });
  }
  if (input.out !== undefined) await checkDestination(ctx, input.out, { force: input.force });
  ctx.info(`[Model: ${input.model}]`);
  try {
    if (stream) return await streamTranscript(ctx, client, request);
    const result = await sendUpload(ctx, client, request, path, expect === 'bytes' ? 'bytes' : 'json');
    return await report(ctx, input, result);
  } catch (error) {
    throw transcriptionError(error);
  }
}

type Result =
  { kind: 'json'; payload: Record<string, unknown>; text: string; duration?: number | undefined } | { kind: 'document'; text: string };

/** Uploads the file and waits for the answer, with one spinner on a terminal: the upload's percent, then the wait. */
async function sendUpload(
  ctx: Context,
  client: ApiClient,
  request: ReturnType<typeof speech.transcribe>,
  path: string,
  expect: 'json' | 'bytes',
): Promise<Result> {
  return withProgress(ctx, { kind: 'wait', label: `Transcribing ${basename(path)}` }, async (progress) => {
    const onUploadProgress = (sent: number, total: number) =>
      progress.status(sent < total ? `uploading ${Math.floor((sent / total) * 100)}%` : 'recognizing');
    try {
      if (expect === 'json') {
        const payload = parseTranscript(await client.send(request, { onUploadProgress }));
        return { kind: 'json', payload, text: payload.text, duration: typeof payload.duration === 'number' ? payload.duration : undefined };
      }
      const response = await client.open(request, { onUploadProgress });
      const text = await readText(response.body);
      // A document is text; a JSON answer here is an error the API reported inside HTTP 200.
      const failure = response.headers['content-type']?.includes('json')
        ? failureFromText(response.status, response.headers, text)
        : undefined;
      if (failure) throw errorFromFailure(failure, { region: ctx.settings.region, now: ctx.deps.now() });
      return { kind: 'document', text };
    } catch (error) {
      if (error instanceof ResponseShapeError) {
        throw new ApiError(ExitCode.GENERAL, `The transcription has an unexpected shape: ${error.message}`, {
          hint: 'Run with --output json to see the payload as received.',
        });
      }
      throw error;
    }
  });
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

async function report(ctx: Context, input: TranscribeInput, result: Result): Promise<number> {
  // JSON output is the payload as sent; text output the transcript; a subtitle document as sent either way.
  const body = result.kind === 'document' ? result.text : ctx.json ? JSON.stringify(result.payload, null, 2) : result.text;
  if (input.out === undefined) {
    ctx.print(withNewline(body));
    return 0;
  }
  await toFile(input.out, once(result.kind === 'document' ? body : withNewline(body)));
  if (ctx.settings.quiet) ctx.print(`${input.out}\n`);
  else {
    const saved = { saved: input.out, ...(result.kind === 'json' && result.duration !== undefined ? { duration: result.duration } : {}) };
    ctx.result(saved, () => fieldsText(saved));
  }
  return 0;
}

/**
 * The stream: deltas in order of `index`, printed as they come in text mode; JSON
 * output is mmx-cli's `{text, duration}` once the last frame (`finish`) arrived.
 * A stream cut before that frame is an error (exit 6) carrying what arrived.
 */
async function streamTranscript(ctx: Context, client: ApiClient, request: ReturnType<typeof speech.transcribe>): Promise<number> {
  const response = await client.open(request);
  const live = !ctx.json;
  const deltas: Array<{ index: number; delta: string }> = [];
  let expected = 0;
  let duration: number | undefined;
  let finished = false;
  const partial = () =>
    [...deltas]
      .sort((a, b) => a.index - b.index)
      .map((d) => d.delta)
      .join('');
  try {
    for await (const event of decodeSse(response.body)) {
      if (event.data === '[DONE]') break;
      if (event.data.trim() === '') continue;
      let frame;
      try {
        frame = parseTranscriptFrame(event.data);
      } catch (error) {
        if (!(error instanceof ResponseShapeError)) throw error;
        throw new ApiError(ExitCode.GENERAL, `The transcription stream is malformed: ${error.message}.`);
      }
      if (frame.error) {
        throw errorFromFailure(
          { status: 200, message: frame.error.message, apiCode: frame.error.code },
          { region: ctx.settings.region, now: ctx.deps.now() },
        );
      }
      if (frame.index !== undefined && frame.index !== expected) {
        ctx.warn(`stream events arrived out of order (expected index ${expected}, got ${frame.index}).`);
      }
      if (frame.index !== undefined) expected = frame.index + 1;
      if (frame.delta !== undefined && frame.delta !== '') {
        deltas.push({ index: frame.index ?? deltas.length, delta: frame.delta });
        if (live) ctx.print(frame.delta);
      }
      if (frame.finish) {
        duration = frame.duration;
        finished = true;
        break;
      }
    }
  } catch (error) {
    if (live && deltas.length > 0) ctx.print('\n');
    if (error instanceof CliError) throw error.addExtra({ partial_text: partial() });
    throw error;
  }
  if (!finished) {
    if (live && deltas.length > 0) ctx.print('\n');
    throw new NetworkError('The transcription stream ended before its final event; the transcript is incomplete.', {
      hint: 'Retry; what arrived is above (JSON: partial_text).',
      extra: { partial_text: partial() },
    });
  }
  if (live) ctx.print('\n');
  else ctx.printJson({ text: partial(), duration });
  if (duration !== undefined) ctx.info(`[Duration: ${duration}s]`);
  return 0;
}
