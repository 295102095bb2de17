/**
 * Waiting for a video task and fetching what it made, shared by `video generate`
 * and `video task get --wait`.
 *
 * The time budgets: `--timeout` (default 300 s) bounds the whole wait, from the
 * first status check until the task is done, as in mmx-cli; each status check is
 * a request of its own, bounded by STATUS_CHECK_MS (or --timeout when that is
 * shorter), so a check that hangs cannot eat the wait. Every other request (the
 * creating POST, the file lookup, the download's connect and headers) is bounded
 * by `--timeout` as in every command, and a download that stalls by
 * `--idle-timeout`. The task keeps running on the server whatever ends the wait,
 * so the deadline, Ctrl-C and a failed check all print the command that resumes.
 */
import type { ApiClient } from '../../api/client.js';
import { parseApiCode } from '../../api/message-stream.js';
import { poll } from '../../api/poll.js';
import { type V1Task, type V2Task, videos } from '../../api/resources/video.js';
import type { Context } from '../../cli/context.js';
import { ApiError, CliError, ExitCode, exitCodeForApi } from '../../errors.js';
import { H3_MODEL } from '../../media/video-request.js';

/** The bound of one status check inside a wait. */
export const STATUS_CHECK_MS = 30_000;

/** v1 statuses that end a task badly (the API documents `Fail`; mmx-cli waits for `Failed`). */
const V1_FAILED = new Set(['Fail', 'Failed']);
/** v2 statuses that end a task badly. */
const V2_FAILED = new Set(['failed', 'cancelled', 'expired']);

export interface TaskRef {
  taskId: string;
  v2: boolean;
}

/** A word for a shell: quoted when it holds anything but letters, digits, `_ . - : /`. */
export function shellWord(word: string): string {
  return /^[\w.:/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The global flags that chose the API of this run, when given as flags: a resumed command must ask the same host. */
function hostFlags(ctx: Context): string {
  const s = ctx.settings;
  return [
    s.origins.region?.source === 'flag' ? ` --region ${s.region}` : '',
    s.origins.base_url?.source === 'flag' ? ` --base-url ${shellWord(s.baseUrl)}` : '',
  ].join('');
}

/** `mmx video task get --task-id 123 [--model MiniMax-H3] --wait`. */
export function resumeCommand(ctx: Context, ref: TaskRef): string {
  return `mmx video task get --task-id ${shellWord(ref.taskId)}${ref.v2 ? ` --model ${H3_MODEL}` : ''} --wait${hostFlags(ctx)}`;
}

/** What to run after `resumeCommand` reports the task done: v1 tasks are fetched by file id. */
export function resumeHint(ctx: Context, ref: TaskRef): string {
  const wait = resumeCommand(ctx, ref);
  return ref.v2 ? wait : `${wait}, then: mmx video download --file-id <file_id> --out video.mp4${hostFlags(ctx)}`;
}

/** The error of a v1 task that ended badly, else undefined. */
export function v1Failure(task: V1Task, taskId: string): CliError | undefined {
  if (!V1_FAILED.has(task.status)) return undefined;
  return new ApiError(ExitCode.GENERAL, `Video task ${taskId} failed (status ${task.status}).`, {
    hint: 'Nothing was made; check the prompt and the input images, and try again.',
  });
}

/** mmx-cli's reason text, `<code>: <message>`. */
function reasonOf(task: V2Task): string | undefined {
  const code = task.error?.code?.trim();
  const message = task.error?.message?.trim();
  if (code && message) return `${code}: ${message}`;
  return message || code;
}

/** The error of a v2 task that ended badly, its exit code from the error's code (1026/1027: the content filter). */
export function v2Failure(task: V2Task, taskId: string): CliError | undefined {
  if (!V2_FAILED.has(task.status)) return undefined;
  const reason = reasonOf(task);
  const code =
    task.error?.code !== undefined && /^\d+$/.test(task.error.code) ? Number(task.error.code) : parseApiCode(task.error?.message ?? '');
  return new ApiError(exitCodeForApi({ apiCode: code }), `Video task ${taskId} ${task.status}${reason ? ` (${reason})` : ''}.`, {
    apiCode: code,
    hint: task.status === 'expired' ? 'The task expired before it ran; create it again.' : undefined,
  });
}

/** The bounds of a wait, from the settings (see the module header). */
function budgets(ctx: Context): { deadlineMs: number; checkMs: number } {
  const timeoutMs = ctx.settings.timeoutMs;
  return { deadlineMs: timeoutMs, checkMs: Math.min(STATUS_CHECK_MS, timeoutMs) };
}

/** Checks a v1 task every `everyMs` until it is done; its failure, the deadline and Ctrl-C end the wait with the resume hint. */
export async function waitV1(ctx: Context, client: ApiClient, taskId: string, everyMs: number): Promise<V1Task> {
  const { deadlineMs, checkMs } = budgets(ctx);
  return poll(ctx, () => client.send(videos.query(taskId), { timeoutMs: checkMs }), {
    everyMs,
    deadlineMs,
    done: (task) => task.status === 'Success',
    failed: (task) => v1Failure(task, taskId),
    taskId,
    resume: resumeHint(ctx, { taskId, v2: false }),
    describe: (task) => task.status,
  });
}

export async function waitV2(ctx: Context, client: ApiClient, taskId: string, everyMs: number): Promise<V2Task> {
  const { deadlineMs, checkMs } = budgets(ctx);
  return poll(ctx, () => client.send(videos.queryV2(taskId), { timeoutMs: checkMs }), {
    everyMs,
    deadlineMs,
    done: (task) => task.status === 'succeeded',
    failed: (task) => v2Failure(task, taskId),
    taskId,
    resume: resumeHint(ctx, { taskId, v2: true }),
    describe: (task) => task.status,
  });
}

/** The signed link of a finished v1 task's file (`GET /v1/files/retrieve`). */
export async function v1DownloadUrl(client: ApiClient, fileId: string): Promise<string> {
  const file = await client.send(videos.file(fileId));
  if (file.download_url === undefined) {
    throw new CliError(ExitCode.GENERAL, `File ${fileId} has no download link.`, {
      hint: 'The file may still be processing. Check task status first.',
      extra: { file_id: fileId },
    });
  }
  return file.download_url;
}
