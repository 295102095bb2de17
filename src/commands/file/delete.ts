/**
 * `mmx file delete --file-id ID`: POST /v1/files/delete with `{file_id: <number>}`
 * (and `purpose` when --purpose is given). On a terminal it asks first, unless
 * --yes; scripts are never asked, as with mmx-cli. Prints `{file_id, deleted: true}`
 * (`--quiet`: mmx-cli's `deleted`).
 */
import { files } from '../../api/resources/files.js';
import { askForValue, confirm, missingFlag } from '../../cli/ask.js';
import { defineCommand } from '../../cli/command.js';
import { flag } from '../../cli/flags.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';

/** A file id is a whole number (int64 in the API); ids beyond 2^53 could not be sent exactly as a JSON number. */
export function parseFileId(raw: string): number {
  const text = raw.trim();
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) {
    throw new UsageError(`--file-id must be a file's numeric id, as "mmx file list" shows it (got "${raw}").`);
  }
  return id;
}

export default defineCommand({
  path: ['file', 'delete'],
  summary: 'delete an uploaded file from MiniMax storage',
  flags: {
    fileId: flag.string('--file-id <id>', 'the id of the file to delete ("mmx file list" shows them)', { required: true }),
    purpose: flag.string('--purpose <purpose>', "the file's purpose (sent only when given)"),
    yes: flag.boolean('--yes', 'delete without asking (scripts are never asked)'),
  },
  examples: ['mmx file delete --file-id 176844028768320', 'mmx file delete --file-id 176844028768320 --yes --output json'],
  needs: { key: true, interactive: true },
  validate({ fileId, purpose }) {
    if (fileId !== undefined) parseFileId(fileId);
    if (purpose !== undefined && purpose.trim() === '') throw new UsageError('--purpose is empty.');
  },
  async run(ctx, input) {
    const given = input.fileId ?? (await askForValue(ctx, 'Enter file ID to delete:', 'Delete cancelled.'));
    if (given === undefined) throw missingFlag('file-id', 'mmx file delete --file-id <id>');
    const id = parseFileId(given);
    const client = await ctx.client();
    const request = files.delete(id, input.purpose);
    if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(request)]);
    if (!(await confirm(ctx, `Delete file ${id}?`, input.yes === true))) {
      throw new CliError(ExitCode.GENERAL, `Kept file ${id}; nothing was deleted.`, { hint: 'Pass --yes to delete without asking.' });
    }
    const { value: deleted } = await client.send(request);
    const fileId = deleted ?? id;
    if (ctx.settings.quiet) ctx.print('deleted\n');
    else ctx.result({ file_id: fileId, deleted: true }, () => `Deleted file ${fileId}.`);
    return 0;
  },
});
