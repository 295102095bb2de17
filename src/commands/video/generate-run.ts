/**
 * The run of `mmx video generate`. Everything that can be wrong is found before
 * the one paid request: the flag combinations for the chosen model, each local
 * file (exists, accepted type, within its limit), the --download target and an
 * overwrite question. The create POST is `refused-only` (never sent twice).
 * Then, unless --no-wait/--async, wait.ts waits and the video is downloaded.
 */
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import { download } from '../../api/download.js';
import { videos } from '../../api/resources/video.js';
import type { Context } from '../../cli/context.js';
import { fallbackValue } from '../../config/settings.js';
import { CliError, ExitCode, InterruptedError } from '../../errors.js';
import { requiredText } from '../../media/ask.js';
import { MEDIA_LIMITS, type MediaKind, abbreviateDataUris, mediaUrl } from '../../media/inputs.js';
import { checkFileTarget, confirmOverwrite, defaultVideoPath, ensureParent, formatSize } from '../../media/outputs.js';
import {
  type VideoFlags,
  type VideoMedia,
  checkV2BodySize,
  checkVideoFlags,
  chooseVideoModel,
  isV2Model,
  v1Body,
  v2Body,
} from '../../media/video-request.js';
import { printDryRun } from '../../output/dry-run.js';
import { fieldsText } from '../../output/fields.js';
import { withProgress } from '../../output/progress.js';
import type { VideoInput } from './generate.js';
import { type TaskRef, resumeCommand, v1DownloadUrl, waitV1, waitV2 } from './wait.js';

const USAGE = 'mmx video generate --prompt <text>';

/** Reads the local files among the media (data URIs), each checked against its limit. */
async function resolveMedia(f: VideoFlags, v2: boolean, imageFlag: string): Promise<VideoMedia> {
  const owner = v2 ? 'MiniMax-H3' : 'the video API';
  const one = (ref: string, flag: string, kind: MediaKind = 'image') =>
    mediaUrl(ref, { kind, flag, owner, maxBytes: v2 ? MEDIA_LIMITS.h3[kind] : MEDIA_LIMITS.videoV1Image });
  const maybe = async (ref: string | undefined, flag: string) => (ref === undefined ? undefined : one(ref, flag));
  return {
    image: await maybe(f.image, imageFlag),
    lastFrame: await maybe(f.lastFrame, '--last-frame'),
    subjectImage: await maybe(f.subjectImage, '--subject-image'),
    referenceImages: await Promise.all(f.referenceImages.map((r) => one(r, '--reference-image'))),
    referenceVideos: await Promise.all(f.referenceVideos.map((r) => one(r, '--reference-video', 'video'))),
    referenceAudios: await Promise.all(f.referenceAudios.map((r) => one(r, '--reference-audio', 'audio'))),
  };
}

/** What was made and where it went, as mmx-cli 1.0.27 prints it (`{task_id, status, file_id, saved, size}`), plus `bytes`. */
function resultOf(ref: TaskRef, status: string, fileId: string | undefined, saved: string, bytes: number): Record<string, unknown> {
  return { task_id: ref.taskId, status, file_id: fileId, saved, size: formatSize(bytes), bytes };
}

export async function generateVideo(ctx: Context, input: VideoInput): Promise<void> {
  const prompt = await requiredText(ctx, input.prompt, {
    flag: '--prompt',
    question: 'Enter your video prompt:',
    usage: USAGE,
    cancelled: 'Video generation cancelled.',
  });
  const flags: VideoFlags = {
    prompt,
    explicitModel: input.model,
    image: input.image ?? input.firstFrame,
    lastFrame: input.lastFrame,
    subjectImage: input.subjectImage,
    referenceImages: input.referenceImage,
    referenceVideos: input.referenceVideo,
    referenceAudios: input.referenceAudio,
    duration: input.duration,
    ratio: input.ratio,
    callbackUrl: input.callbackUrl,
  };
  const model = chooseVideoModel({
    explicit: input.model,
    configured: String(fallbackValue('default_video_model', ctx.deps.env, ctx.file)[0]),
    lastFrame: flags.lastFrame !== undefined,
    subjectImage: flags.subjectImage !== undefined,
  });
  checkVideoFlags(model, flags);
  const v2 = isV2Model(model);
  const waiting = input.noWait !== true && input.async !== true;
  if (!waiting && input.download !== undefined) ctx.warn('--download is ignored with --no-wait/--async: nothing is downloaded.');

  const media = await resolveMedia(flags, v2, input.firstFrame !== undefined ? '--first-frame' : '--image');
  const body = v2 ? v2Body(flags, media) : v1Body(model, prompt, media, flags.callbackUrl);
  if (v2) checkV2BodySize(body);
  const target = waiting ? input.download : undefined;
  const exists = target === undefined ? false : await checkFileTarget(target, '--download');

  const client = await ctx.client();
  const request = v2 ? videos.createV2(body) : videos.create(body);
  if (ctx.settings.dryRun) {
    const described = client.describe(request);
    const files = waiting ? [target ?? join(dirname(defaultVideoPath(ctx.deps.env, tmpdir(), 'x')), '<task id>.mp4')] : [];
    return void printDryRun(ctx, [{ ...described, body: abbreviateDataUris(described.body) }], { files });
  }
  if (target !== undefined) await confirmOverwrite(ctx, exists ? [target] : [], input.force === true);

  const taskId: string = await withProgress(ctx, { kind: 'wait', label: 'Creating the video task' }, () => client.send(request));
  ctx.info(`[Model: ${model}]`);
  if (!waiting) {
    // mmx-cli 1.0.27 prints this compact object whatever --output and --quiet say; scripts parse it.
    ctx.print(`${JSON.stringify({ taskId })}\n`);
    return;
  }
  const ref: TaskRef = { taskId, v2 };
  ctx.verbose(`* task ${taskId} created; waiting (check every ${input.pollInterval} s, up to ${ctx.settings.timeoutMs / 1000} s)`);
  await waitAndSave(ctx, client, ref, input, target);
}

async function waitAndSave(ctx: Context, client: ApiClient, ref: TaskRef, input: VideoInput, target: string | undefined): Promise<void> {
  const everyMs = input.pollInterval * 1000;
  let status: string;
  let fileId: string | undefined;
  let url: string | undefined;
  if (ref.v2) {
    const task = await waitV2(ctx, client, ref.taskId, everyMs);
    status = task.status;
    url = task.content?.url;
  } else {
    const task = await waitV1(ctx, client, ref.taskId, everyMs);
    status = task.status;
    fileId = task.file_id;
    if (fileId === undefined) {
      throw new CliError(ExitCode.GENERAL, `Task ${ref.taskId} is done but names no file.`, {
        hint: `Check it with: ${resumeCommand(ctx, ref)}`,
        extra: { task_id: ref.taskId },
      });
    }
    url = await addTask(v1DownloadUrl(client, fileId), ref);
  }
  if (url === undefined) {
    throw new CliError(ExitCode.GENERAL, `Task ${ref.taskId} is done but gives no download link.`, {
      hint: `Check it with: ${resumeCommand(ctx, ref)}`,
      extra: { task_id: ref.taskId },
    });
  }

  const path = target ?? defaultVideoPath(ctx.deps.env, tmpdir(), ref.taskId);
  await ensureParent(path);
  let bytes: number;
  try {
    bytes = (await download(ctx, url, path, { force: true })).bytes;
  } catch (error) {
    throw downloadFailure(ctx, error, ref, fileId, path);
  }

  const explicitJson = ctx.json && ctx.settings.origins.output?.source !== 'default';
  if (ctx.settings.quiet) ctx.print(`${path}\n`);
  else if (target === undefined && !explicitJson) {
    // mmx-cli prints the bare path when it chose it (also to a pipe: `f=$(mmx video generate …)`).
    ctx.print(`${path}\n`);
  } else {
    const value = resultOf(ref, status, fileId, path, bytes);
    // Text as mmx-cli prints it; `bytes` is JSON's addition.
    ctx.result(value, () => fieldsText({ ...value, bytes: undefined }));
  }
}

/** A lookup's error names the task in JSON. */
async function addTask<T>(promise: Promise<T>, ref: TaskRef): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof CliError) error.addExtra({ task_id: ref.taskId });
    throw error;
  }
}

/** The video is made (and paid for): a failed or interrupted download says how to fetch it again. */
function downloadFailure(ctx: Context, error: unknown, ref: TaskRef, fileId: string | undefined, path: string): unknown {
  if (!(error instanceof CliError)) return error;
  const again = ref.v2
    ? `${resumeCommand(ctx, ref)} (its url is a fresh link)`
    : `mmx video download --file-id ${fileId ?? '<file_id>'} --out ${path}`;
  const extra = { ...error.extra, task_id: ref.taskId, ...(fileId === undefined ? {} : { file_id: fileId }) };
  const hint = `The video is ready on the server; download it with: ${again}`;
  if (error instanceof InterruptedError) return new InterruptedError({ hint, extra });
  return new CliError(error.exitCode, error.message, {
    hint: error.hint ? `${error.hint} ${hint}` : hint,
    httpStatus: error.httpStatus,
    extra,
    cause: error,
  });
}
