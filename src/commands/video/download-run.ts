/** The run of `mmx video download`: the target is checked (and an overwrite asked about) before anything is sent. */
import { download } from '../../api/download.js';
import { videos } from '../../api/resources/video.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { checkFileTarget, confirmOverwrite, ensureParent, formatSize } from '../../media/outputs.js';
import { printDryRun } from '../../output/dry-run.js';
import { fieldsText } from '../../output/fields.js';
import type { DownloadInput } from './download.js';
import { v1DownloadUrl } from './wait.js';

export async function downloadVideo(ctx: Context, input: DownloadInput): Promise<void> {
  const fileId = (input.fileId as string).trim();
  const out = input.out as string;
  const toStdout = out === '-';
  if (toStdout && ctx.deps.stdout.isTTY) {
    throw new UsageError('Not writing a video to the terminal.', { hint: 'Redirect stdout to a file (> video.mp4), or give a path.' });
  }
  const exists = toStdout ? false : await checkFileTarget(out, '--out');
  const client = await ctx.client();
  if (ctx.settings.dryRun) return void printDryRun(ctx, [client.describe(videos.file(fileId))], toStdout ? {} : { files: [out] });
  if (!toStdout) await confirmOverwrite(ctx, exists ? [out] : [], input.force === true);

  const url = await v1DownloadUrl(client, fileId);
  if (!toStdout) await ensureParent(out);
  const { bytes } = await download(ctx, url, out, { force: true });
  if (toStdout) return;
  if (ctx.settings.quiet) {
    ctx.print(`${out}\n`);
    return;
  }
  // mmx-cli 1.0.27's `{saved, size}`, plus the exact byte count and the file id.
  const value = { saved: out, size: formatSize(bytes), bytes, file_id: fileId };
  ctx.result(value, () => fieldsText({ saved: out, size: value.size }));
}
