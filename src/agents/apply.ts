/**
 * Writing the planned files, and undoing the last setup. The IO half of `mmx agent setup`:
 *
 * - One setup at a time: a lock (`agent-setup.lock` in mmx's config dir, proper-lockfile, stale
 *   after 10 s without its holder) around reading, backing up, writing and recording.
 * - Read under the lock: what is merged is what is on disk at that moment.
 * - Each file that changes is backed up first (`<file>.bak.<time>`, 0600, next to it), then
 *   replaced atomically (a temporary file in the same directory, 0600, renamed over it; a missing
 *   directory is made 0700). A symbolic link is followed: its target is written, the link stays.
 * - When a write fails, the files already written are put back as they were.
 * - What was written, with each backup and a hash of what was written, is recorded in
 *   `agent-setup.json` (no key in it); `--undo` restores from it only files nobody changed since.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import type { AgentName } from './catalog.js';
import { AgentFileError } from './formats.js';
import type { AgentFile, FileChange } from './types.js';

export const MANIFEST_FILE = 'agent-setup.json';
const LOCK_FILE = 'agent-setup.lock';

export interface ManifestEntry {
  agent: AgentName;
  /** The path as the agent names it. */
  path: string;
  /** The file written (the path with symbolic links resolved). */
  target: string;
  /** The copy of the file as it was; null when setup created the file. */
  backup: string | null;
  /** SHA-256 of what setup wrote: undo restores only a file still holding exactly that. */
  sha256: string;
}

export interface Manifest {
  version: 1;
  written_at: string;
  files: ManifestEntry[];
}

export interface Written {
  agent: AgentName;
  path: string;
  status: 'configured' | 'unchanged';
  backup?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The path to write for `path`: its target when it is a symbolic link (dotfile repositories link
 * these files), else itself. A link to nowhere is refused: writing would replace the link.
 */
export function writeTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    // nothing there
  }
  if (isLink)
    throw new AgentFileError(
      path,
      `${path} is a symbolic link to a file that does not exist.`,
      'Fix or remove the link, then run mmx agent setup again. No files were changed.',
    );
  // A missing file: its directory may be a link (resolved when it exists).
  const dir = dirname(path);
  try {
    return join(realpathSync(dir), basename(path));
  } catch {
    return path;
  }
}

/** The file's text, or null when it does not exist. A directory or an unreadable file is an error naming it. */
export function readAgentFile(path: string): string | null {
  const target = writeTarget(path);
  if (!existsSync(target)) return null;
  try {
    return readFileSync(target, 'utf8');
  } catch (error) {
    throw new AgentFileError(path, `Cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Atomic replace: a temporary file beside the target (0600), renamed over it. */
function writeAtomic(target: string, text: string): void {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const temp = join(dirname(target), `.${basename(target)}.mmx-${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** `20261128-120000Z` */
export function backupStamp(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** `<target>.bak.<stamp>`, or `.1`, `.2`… after it when taken; written exclusively at 0600. */
function writeBackup(target: string, text: string, stamp: string): string {
  for (let i = 0; ; i++) {
    const path = `${target}.bak.${stamp}${i === 0 ? '' : `.${i}`}`;
    try {
      writeFileSync(path, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Runs `fn` holding the agent-setup lock in `configDir`; a second setup meanwhile is refused at once (exit 1). */
export async function withSetupLock<T>(configDir: string, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const { lock } = await import('proper-lockfile');
  const lockPath = join(configDir, LOCK_FILE);
  let release: () => Promise<void>;
  try {
    release = await lock(join(configDir, MANIFEST_FILE), {
      realpath: false,
      lockfilePath: lockPath,
      stale: 10_000,
      update: 2_000,
      retries: 0,
    });
  } catch {
    throw new CliError(ExitCode.GENERAL, 'Another mmx agent setup is running.', {
      hint: `Wait for it to finish and try again (if none is running, remove ${lockPath}). No files were changed.`,
    });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/** Reads each agent's files as they are now (call under the lock). */
export function readAgentFiles(paths: ReadonlyMap<AgentName, readonly string[]>): Map<AgentName, AgentFile[]> {
  const out = new Map<AgentName, AgentFile[]>();
  for (const [agent, list] of paths)
    out.set(
      agent,
      list.map((path) => ({ path, before: readAgentFile(path) })),
    );
  return out;
}

/**
 * Backs up and writes every changed file, then records them in the manifest (call under the lock).
 * On a failure the files written so far are restored and the backups made removed.
 */
export function writeChanges(configDir: string, changes: readonly FileChange[], now: number): Written[] {
  const stamp = backupStamp(now);
  const done: { change: FileChange; target: string; backup: string | null }[] = [];
  const results: Written[] = [];
  try {
    for (const change of changes) {
      if (change.after === change.before) {
        results.push({ agent: change.agent, path: change.path, status: 'unchanged' });
        continue;
      }
      const target = writeTarget(change.path);
      if ((existsSync(target) ? readFileSync(target, 'utf8') : null) !== change.before) {
        throw new CliError(ExitCode.GENERAL, `${change.path} changed while mmx was preparing it.`, { hint: 'Run mmx agent setup again.' });
      }
      const backup = change.before === null ? null : writeBackup(target, change.before, stamp);
      done.push({ change, target, backup });
      writeAtomic(target, change.after);
      chmodSync(target, 0o600);
      results.push({ agent: change.agent, path: change.path, status: 'configured', ...(backup === null ? {} : { backup }) });
    }
    if (done.length > 0) {
      const manifest: Manifest = {
        version: 1,
        written_at: new Date(now).toISOString(),
        files: done.map(({ change, target, backup }) => ({
          agent: change.agent,
          path: change.path,
          target,
          backup,
          sha256: sha256(change.after),
        })),
      };
      writeAtomic(join(configDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    }
  } catch (error) {
    for (const { change, target, backup } of done.reverse()) {
      try {
        if (change.before === null) rmSync(target, { force: true });
        else writeAtomic(target, change.before);
        if (backup !== null) rmSync(backup, { force: true });
      } catch {
        // best effort: the error below names what failed
      }
    }
    throw error;
  }
  return results;
}

export function readManifest(configDir: string): Manifest | undefined {
  const path = join(configDir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (value.version !== 1 || !Array.isArray(value.files)) throw new Error('unknown shape');
    return value;
  } catch (error) {
    throw new CliError(ExitCode.GENERAL, `${path} cannot be read (${(error as Error).message}); mmx cannot tell what to undo.`, {
      hint: 'Restore the files from their .bak.<time> copies by hand.',
    });
  }
}

export interface Undone {
  agent: AgentName;
  path: string;
  /** The backup it was restored from; absent when setup had created the file, which was removed. */
  restored_from?: string;
  removed?: true;
}

/** What `--undo` would do, or why it cannot: every file must still hold what setup wrote, and each backup must exist. */
export function planUndo(manifest: Manifest): Undone[] {
  const changed: string[] = [];
  for (const entry of manifest.files) {
    const now = existsSync(entry.target) ? readFileSync(entry.target, 'utf8') : null;
    if (now === null || sha256(now) !== entry.sha256) changed.push(entry.path);
    else if (entry.backup !== null && !existsSync(entry.backup)) changed.push(`${entry.path} (its backup ${entry.backup} is gone)`);
  }
  if (changed.length > 0) {
    throw new CliError(ExitCode.GENERAL, `Changed since the last mmx agent setup, so not undone: ${changed.join(', ')}.`, {
      hint: `Nothing was restored. The backups are: ${manifest.files.map((f) => f.backup ?? `(none: ${f.path} was created)`).join(', ')}.`,
    });
  }
  return manifest.files.map((f) => ({
    agent: f.agent,
    path: f.path,
    ...(f.backup === null ? { removed: true as const } : { restored_from: f.backup }),
  }));
}

/** Restores the last setup's files (call under the lock, after `planUndo` said it can), then forgets it. */
export function undo(configDir: string, manifest: Manifest): void {
  for (const entry of manifest.files) {
    if (entry.backup === null) rmSync(entry.target, { force: true });
    else {
      writeAtomic(entry.target, readFileSync(entry.backup, 'utf8'));
      chmodSync(entry.target, 0o600);
    }
  }
  rmSync(join(configDir, MANIFEST_FILE), { force: true });
}
