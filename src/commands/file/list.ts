/**
 * `mmx file list`: GET /v1/files/list (with `?purpose=` only when --purpose is
 * given). Text output is a table fitted to the terminal (`--quiet`: the ids, one
 * per line); JSON prints the payload as received.
 */
import { type FileEntry, files } from '../../api/resources/files.js';
import { defineCommand } from '../../cli/command.js';
import { flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';
import { renderTable } from '../../output/table.js';

/** `2026-11-28 12:00` (UTC), as mmx-cli's CREATED column. */
function created(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return '';
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 16).replace('T', ' ');
}

/** mmx-cli 1.0.27's columns (ID, FILENAME, PURPOSE, SIZE_KB, CREATED); the file name is cut to fit `width`. */
export function renderFiles(list: readonly FileEntry[], width?: number): string {
  if (list.length === 0) return 'No files found.\n';
  const rows = list.map((f) => [
    String(f.fileId),
    f.filename,
    f.purpose,
    f.bytes === undefined ? '' : (f.bytes / 1024).toFixed(1),
    created(f.createdAt),
  ]);
  const table = renderTable({
    headers: ['ID', 'FILENAME', 'PURPOSE', 'SIZE_KB', 'CREATED (UTC)'],
    rows,
    shrinkColumn: 1,
    ...(width === undefined ? {} : { width }),
  });
  return `${table}\n`;
}

export default defineCommand({
  path: ['file', 'list'],
  summary: 'list the files uploaded to MiniMax storage',
  flags: {
    purpose: flag.string('--purpose <purpose>', 'only files uploaded for this purpose (sent as ?purpose=)'),
  },
  examples: ['mmx file list', 'mmx file list --output json | jq -r ".files[].file_id"', 'mmx file list --purpose voice_clone'],
  needs: { key: true },
  validate({ purpose }) {
    if (purpose !== undefined && purpose.trim() === '') throw new UsageError('--purpose is empty.');
  },
  async run(ctx, { purpose }) {
    const client = await ctx.client();
    const request = files.list(purpose);
    if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(request)]);
    const { payload, value: list } = await client.send(request);
    if (ctx.json) ctx.printJson(payload);
    else if (ctx.settings.quiet) ctx.print(list.map((f) => `${f.fileId}\n`).join(''));
    else ctx.print(renderFiles(list, ctx.deps.stdout.isTTY ? ctx.deps.stdout.columns : undefined));
    return 0;
  },
});
