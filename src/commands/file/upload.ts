/**
 * `mmx file upload`: a multipart POST /v1/files/upload of `--file` and
 * `--purpose`, with a progress bar on a terminal. Never re-sent once it may have
 * reached the server (an auth switch re-opens the file and sends it anew).
 * `--quiet` prints the bare file id; otherwise the `file` object as received.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { DEFAULT_UPLOAD_PURPOSE, MAX_UPLOAD_BYTES, type FileEntry, files } from '../../api/resources/files.js';
import type { Parsed } from '../../api/request.js';
import { askForValue, missingFlag } from '../../cli/ask.js';
import { defineCommand } from '../../cli/command.js';
import { flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';
import { isPlainObject } from '../../json.js';
import { printDryRun } from '../../output/dry-run.js';
import { withProgress } from '../../output/progress.js';

/** The file to upload is a readable file within the platform's limit: checked before anything is sent. */
export function checkUploadFile(path: string): number {
  let size: number;
  try {
    const found = statSync(path);
    if (!found.isFile()) throw new UsageError(`${path} is not a file.`);
    size = found.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `File not found: ${path}` : `Cannot read ${path}: ${(error as Error).message}`);
  }
  if (size > MAX_UPLOAD_BYTES) {
    throw new UsageError(`${path} is ${(size / 1024 / 1024).toFixed(1)} MB; a file may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  return size;
}

/** mmx-cli's text: the `file` object as `key: value` lines, in the order received. */
export function renderFileObject(file: unknown): string {
  if (!isPlainObject(file)) return '';
  return Object.entries(file)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
    .map(([name, value]) => `${name}: ${String(value).replace(/\p{Cc}+/gu, ' ')}\n`)
    .join('');
}

export default defineCommand({
  path: ['file', 'upload'],
  summary: 'upload a file to MiniMax storage',
  flags: {
    file: flag.path('--file <path>', 'the file to upload', { required: true }),
    purpose: flag.string('--purpose <purpose>', 'what it is for (voice_clone, prompt_audio, t2a_async_input, …)', {
      default: DEFAULT_UPLOAD_PURPOSE,
    }),
  },
  examples: [
    'mmx file upload --file doc.pdf',
    'mmx file upload --file voice.mp3 --purpose voice_clone',
    'id=$(mmx file upload --file image.png --purpose vision --quiet)',
  ],
  needs: { key: true, interactive: true },
  validate({ purpose }) {
    if (purpose.trim() === '') throw new UsageError('--purpose is empty.');
  },
  async run(ctx, input) {
    const path = input.file ?? (await askForValue(ctx, 'Enter file path:', 'Upload cancelled.'));
    if (path === undefined) throw missingFlag('file', 'mmx file upload --file <path>');
    const size = checkUploadFile(path);
    const client = await ctx.client();
    const request = files.upload(path, input.purpose);
    if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(request)]);

    const uploaded: Parsed<FileEntry> = await withProgress(ctx, { kind: 'transfer', label: basename(path), total: size }, (progress) =>
      client.send(request, { onUploadProgress: (sent, total) => progress.bytes(sent, total) }),
    );
    const file = isPlainObject(uploaded.payload) ? uploaded.payload.file : undefined;
    // As mmx-cli: --quiet is the bare id, whatever the output format.
    if (ctx.settings.quiet) ctx.print(`${uploaded.value.fileId}\n`);
    else ctx.result(file, () => renderFileObject(file));
    return 0;
  },
});
