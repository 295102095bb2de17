/**
 * `mmx video download`: the file of a finished v1 task, by its file id: its
 * signed link from `GET /v1/files/retrieve`, then a download (progress bar,
 * written whole or not at all, the key never sent to the CDN).
 */
import { defineCommand } from '../../cli/command.js';
import { type InputOf, flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';

const FLAGS = {
  fileId: flag.string('--file-id <id>', 'file id (the file_id of a finished task)', { required: true }),
  out: flag.path('--out <path>', 'where to save it ("-": stdout, when it is not a terminal)', { required: true }),
  force: flag.boolean('--force', 'overwrite --out without asking'),
};
export type DownloadInput = InputOf<typeof FLAGS, Record<never, never>>;

export default defineCommand({
  path: ['video', 'download'],
  summary: 'download a finished video by its file id',
  flags: FLAGS,
  examples: [
    'mmx video download --file-id 176844028768320 --out video.mp4',
    'mmx video download --file-id 176844028768320 --out video.mp4 --quiet',
    'mmx video download --file-id 176844028768320 --out - | ffprobe -',
  ],
  notes: 'An existing --out is overwritten in scripts (as mmx-cli) and asked about on a terminal (--force: never ask).',
  needs: { key: true, interactive: true },
  validate({ fileId, out }) {
    if (fileId === undefined || fileId.trim() === '') {
      throw new UsageError('--file-id is required.', { hint: 'mmx video download --file-id <id> --out <path>' });
    }
    if (out === undefined || out === '')
      throw new UsageError('--out is required.', { hint: 'mmx video download --file-id <id> --out video.mp4' });
  },
  run: async (ctx, input) => (await import('./download-run.js')).downloadVideo(ctx, input),
});
