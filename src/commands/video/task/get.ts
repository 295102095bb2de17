/**
 * `mmx video task get`: the state of a video task, as mmx-cli 1.0.27 prints it
 * (v1 `{task_id, status, file_id, video_width, video_height}`; with --model
 * MiniMax-H3 the v2 task), or with --wait the state once it is done, which is
 * how an interrupted `video generate` is resumed.
 */
import { defineCommand } from '../../../cli/command.js';
import { type InputOf, flag } from '../../../cli/flags.js';
import { UsageError } from '../../../errors.js';
import { pollSeconds } from '../generate.js';

const FLAGS = {
  taskId: flag.string('--task-id <id>', 'video generation task id', { required: true }),
  model: flag.string('--model <model>', 'MiniMax-H3 for a v2 (MiniMax-H3) task; otherwise the v1 query'),
  wait: flag.boolean('--wait', 'check until the task is done (--timeout bounds the whole wait), then print it'),
  pollInterval: flag.number('--poll-interval <seconds>', 'seconds between status checks with --wait', {
    default: 5,
    parse: pollSeconds('--poll-interval'),
  }),
};
export type TaskGetInput = InputOf<typeof FLAGS, Record<never, never>>;

export default defineCommand({
  path: ['video', 'task', 'get'],
  summary: 'show the status of a video task (--wait: until it is done)',
  flags: FLAGS,
  examples: [
    'mmx video task get --task-id 106916112212032',
    'mmx video task get --task-id 106916112212032 --quiet          # the status alone',
    'mmx video task get --task-id 106916112212032 --wait --output json | jq -r .file_id',
    'mmx video task get --task-id 424010985738629 --model MiniMax-H3 --output json',
  ],
  notes: 'A v1 task, once Success, names a file_id for "mmx video download"; a MiniMax-H3 task gives a download url directly.',
  needs: { key: true },
  validate({ taskId }) {
    if (taskId === undefined || taskId.trim() === '') {
      throw new UsageError('--task-id is required.', { hint: 'mmx video task get --task-id <id>' });
    }
  },
  run: async (ctx, input) => (await import('./get-run.js')).taskGet(ctx, input),
});
