/**
 * Where generated files go, checked before the paid request that makes them:
 * the target's directory must be (or be creatable in) a writable directory, and
 * an existing file is overwritten as mmx-cli does in scripts, asked about on a
 * terminal, or refused with a pointer to --force when asking is not allowed.
 * Files are written whole or not at all (`<dest>.part`, then a rename). The
 * naming and size formats are mmx-cli 1.0.27's.
 */
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../cli/context.js';
import { inCi } from '../config/settings.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { isYes, overwriteAction } from '../api/download.js';
import { orAbort } from '../wait.js';

const fsp = () => import('node:fs/promises');

/** `image_001.jpg`, `image_002.jpg`, … in `dir` (image-01 makes JPEGs; mmx-cli names them so). */
export function imageFileNames(dir: string, prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => join(dir, `${prefix}_${String(i + 1).padStart(3, '0')}.jpg`));
}

/** mmx-cli's `size` field: binary units, one decimal (`512 B`, `1.5 KB`, `23.4 MB`, `1.2 GB`). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** `$TMPDIR/mmx-video/<task>.mp4`, where mmx-cli saves a video when no --download is given. */
export function defaultVideoPath(env: Readonly<Record<string, string | undefined>>, fallbackTmp: string, taskId: string): string {
  const tmp = env.TMPDIR?.trim() || fallbackTmp;
  return join(tmp, 'mmx-video', `${taskId.replace(/[^\w.-]/g, '_')}.mp4`);
}

type Found = 'file' | 'dir' | 'other' | undefined;

async function kindOf(path: string): Promise<Found> {
  try {
    const stat = await (await fsp()).stat(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`Cannot use ${path}: ${(error as Error).message}`);
  }
}

/** The directory `dir` is, or would be created in, must be a writable directory. */
export async function checkDirectory(dir: string, flag: string): Promise<void> {
  let at = resolve(dir);
  for (;;) {
    const found = await kindOf(at);
    if (found === 'dir') break;
    if (found !== undefined) throw new UsageError(`${flag}: ${at} is not a directory.`);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const fs = await fsp();
  try {
    await fs.access(at, (await import('node:fs')).constants.W_OK);
  } catch {
    throw new UsageError(`${flag}: cannot write in ${at} (permission denied).`);
  }
}

/** A file target: not a directory, in a writable directory. Returns whether the file exists. */
export async function checkFileTarget(path: string, flag: string): Promise<boolean> {
  const found = await kindOf(path);
  if (found === 'dir') throw new UsageError(`${flag}: ${path} is a directory; give a file path.`);
  await checkDirectory(dirname(resolve(path)), flag);
  return found !== undefined;
}

/**
 * One question for every target that exists (`Overwrite a.jpg, b.jpg? [y/N]`): scripts overwrite
 * (as mmx-cli, which warns), a terminal is asked, --non-interactive and CI refuse without --force.
 */
export async function confirmOverwrite(ctx: Context, existing: readonly string[], force: boolean): Promise<void> {
  if (existing.length === 0) return;
  const { deps, settings } = ctx;
  const action = overwriteAction({
    exists: true,
    force,
    terminal: deps.stdin.isTTY && deps.stderr.isTTY,
    nonInteractive: settings.nonInteractive || inCi(deps.env),
  });
  const names = existing.join(', ');
  if (action === 'write') {
    if (!force) ctx.info(`Overwriting ${names}.`);
    return;
  }
  if (action === 'refuse') {
    throw new UsageError(`${names} ${existing.length === 1 ? 'exists' : 'exist'}; pass --force to overwrite.`, {
      hint: 'mmx does not ask with --non-interactive or in CI.',
    });
  }
  ctx.claimStdin('the overwrite question');
  const answer = await orAbort(deps.stdin.readLine(`Overwrite ${names}? [y/N] `), deps.signal);
  if (!isYes(answer))
    throw new CliError(ExitCode.GENERAL, `Kept ${names}; nothing was sent.`, { hint: 'Pass --force to overwrite without asking.' });
}

/** Creates `path`'s directory (and its parents) when missing. */
export async function ensureParent(path: string): Promise<void> {
  await (await fsp()).mkdir(dirname(resolve(path)), { recursive: true });
}

/** Writes `bytes` to `<dest>.part`, then renames it onto `dest`: `dest` is the whole new file or untouched. */
export async function writeFileAtomic(dest: string, bytes: Uint8Array): Promise<void> {
  const fs = await fsp();
  const part = `${dest}.part`;
  try {
    await fs.writeFile(part, bytes);
    await fs.rename(part, dest);
  } catch (error) {
    await fs.rm(part, { force: true });
    throw new CliError(ExitCode.GENERAL, `Cannot write ${dest}: ${(error as Error).message}`, { cause: error });
  }
}
