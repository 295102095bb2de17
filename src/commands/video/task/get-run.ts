/** The run of `mmx video task get`: one status query, or with --wait a wait (wait.ts) until the task is done. */
import { type V1Task, type V2Task, videos } from '../../../api/resources/video.js';
import type { Context } from '../../../cli/context.js';
import { isV2Model } from '../../../media/video-request.js';
import { printDryRun } from '../../../output/dry-run.js';
import { fieldsText } from '../../../output/fields.js';
import { waitV1, waitV2 } from '../wait.js';
import type { TaskGetInput } from './get.js';

/** mmx-cli 1.0.27's shape of a v1 task. */
export function v1View(task: V1Task): Record<string, unknown> {
  return {
    task_id: task.task_id,
    status: task.status,
    file_id: task.file_id,
    video_width: task.video_width,
    video_height: task.video_height,
  };
}

/** mmx-cli 1.0.27's shape of a v2 task. */
export function v2View(task: V2Task): Record<string, unknown> {
  return {
    task_id: task.id,
    model: task.model,
    status: task.status,
    url: task.content?.url,
    resolution: task.resolution,
    duration: task.duration,
    ratio: task.ratio,
    error: task.error,
  };
}

export async function taskGet(ctx: Context, input: TaskGetInput): Promise<void> {
  const taskId = (input.taskId as string).trim();
  const v2 = isV2Model(input.model);
  const client = await ctx.client();
  if (ctx.settings.dryRun) return void printDryRun(ctx, [client.describe(v2 ? videos.queryV2(taskId) : videos.query(taskId))]);
  const everyMs = input.pollInterval * 1000;
  let status: string;
  let view: Record<string, unknown>;
  if (v2) {
    const task = input.wait ? await waitV2(ctx, client, taskId, everyMs) : await client.send(videos.queryV2(taskId));
    [status, view] = [task.status, v2View(task)];
  } else {
    const task = input.wait ? await waitV1(ctx, client, taskId, everyMs) : await client.send(videos.query(taskId));
    [status, view] = [task.status, v1View(task)];
  }
  // --quiet prints the bare status whatever --output says, as mmx-cli.
  if (ctx.settings.quiet) ctx.print(`${status}\n`);
  else ctx.result(view, () => fieldsText(view));
}
