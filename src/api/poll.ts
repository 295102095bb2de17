/**
 * Waiting for an asynchronous task (a video, a music track): fetch its state
 * every `everyMs` until it is done or has failed, within `deadlineMs` from the
 * start, on the injected clock, sleep and signal, so a ten-minute wait tests in
 * milliseconds. The task keeps running on the server whatever ends the wait, so
 * the deadline and Ctrl-C both name it: its id (`task_id` in JSON errors) and the
 * command that picks it up again.
 */
import type { Context } from '../cli/context.js';
import { CliError, InterruptedError, TimeoutError } from '../errors.js';
import { startProgress } from '../output/progress.js';
import { orAbort, waitOrAbort } from '../wait.js';

export interface PollOptions<T> {
  /** Between the end of one check and the start of the next. */
  everyMs: number;
  /** The whole budget, from the first check; the last check falls on it. */
  deadlineMs: number;
  done(value: T): boolean;
  /** The error to end with when `value` says the task failed (exit code by `exitCodeForApi`), else undefined. */
  failed(value: T): CliError | undefined;
  taskId: string;
  /** The command that resumes the wait: `mmx video task get --task-id 123 --wait`. */
  resume: string;
  /** The task's state in a few words for the progress line and --verbose (`Processing`). */
  describe?(value: T): string;
}

/** Calls `fetch` until `done` or `failed` says so; returns the last value. See the module header. */
export async function poll<T>(ctx: Context, fetch: () => Promise<T>, options: PollOptions<T>): Promise<T> {
  const { deps } = ctx;
  const { taskId, resume } = options;
  const started = deps.now();
  const progress = await startProgress(ctx, { kind: 'wait', label: `task ${taskId}` });
  // A check's retry notices go into the line, not under it.
  const outer = ctx.activeProgress;
  ctx.activeProgress = progress;
  try {
    for (;;) {
      const value = await orAbort(fetch(), deps.signal);
      const failure = options.failed(value);
      if (failure) throw failure.addExtra({ task_id: taskId });
      if (options.done(value)) return value;
      const elapsed = deps.now() - started;
      const left = options.deadlineMs - elapsed;
      const status = options.describe?.(value);
      if (left <= 0) {
        throw new TimeoutError(`Task ${taskId} is not done after ${seconds(elapsed)} s${status ? ` (${status})` : ''}.`, {
          hint: `It keeps running on the server; check on it with: ${resume}`,
          extra: { task_id: taskId },
        });
      }
      const wait = Math.min(options.everyMs, left);
      ctx.verbose(`* task ${taskId}: ${status ?? 'not done'} after ${seconds(elapsed)} s; next check in ${seconds(wait)} s`);
      progress.status(status ?? 'waiting', deps.now() + wait);
      await waitOrAbort((ms, signal) => deps.sleep(ms, signal), wait, deps.signal);
    }
  } catch (error) {
    // Ctrl-C during a wait or a check: at once, with what is needed to pick the task up again.
    if (error instanceof InterruptedError || deps.signal.aborted) {
      throw new InterruptedError({
        hint: `Task ${taskId} keeps running on the server; resume with: ${resume}`,
        extra: { task_id: taskId },
      });
    }
    // A check that failed (the network, after the client's retries): the task may be fine, so the
    // user gets the command that resumes the wait, and JSON output names the task.
    if (error instanceof CliError && error.extra?.task_id === undefined) {
      throw new CliError(error.exitCode, error.message, {
        hint: `${error.hint ? `${error.hint} ` : ''}Task ${taskId} keeps running on the server; resume with: ${resume}`,
        apiCode: error.apiCode,
        requestId: error.requestId,
        httpStatus: error.httpStatus,
        extra: { ...error.extra, task_id: taskId },
        cause: error,
      });
    }
    throw error;
  } finally {
    ctx.activeProgress = outer;
    progress.stop();
  }
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
