/**
 * `config.json`: the file mmx-cli users already have. Reading is a plain
 * readFileSync + a zod/mini check (cheap, for commands that only read); writing
 * goes through conf (atomic, 0600), loaded only when a command writes.
 */
import { accessSync, constants, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { AUTH_STYLES, FAMILIES, type RememberedStyles } from '../auth/strategy.js';
import { CliError, ExitCode } from '../errors.js';
import { isPlainObject } from '../json.js';
import { jsonErrorPlace } from './json-error.js';
import { SETTINGS, type StoredSettings, checkStoredValue, zodOf } from './settings.js';

const styleSchema = z.enum(AUTH_STYLES);

/** Styles that worked after an auto-switch: origin → family → style (not a setting: written by the client, cleared by `config unset`). */
const authStylesSchema = z.record(z.string(), z.partialRecord(z.enum(FAMILIES), styleSchema));

/**
 * The file's schema, from the settings registry. Known keys are checked; unknown
 * keys are kept as they are (loose), so newer or older versions (and mmx-cli's
 * `oauth` block) lose nothing.
 */
export const configSchema = z.looseObject({
  ...Object.fromEntries(SETTINGS.filter((s) => s.stored).map((s) => [s.key, z.optional(zodOf(s.type))])),
  auth_styles: z.optional(authStylesSchema),
});
export type ConfigFile = StoredSettings & { auth_styles?: RememberedStyles; [key: string]: unknown };

export const CONFIG_FILE_NAME = 'config.json';

export function configPath(configDir: string): string {
  return join(configDir, CONFIG_FILE_NAME);
}

export class ConfigFileError extends CliError {
  constructor(message: string, hint?: string) {
    super(ExitCode.GENERAL, message, { hint });
    this.name = 'ConfigFileError';
  }
}

/** A failed system call (`EACCES: permission denied, open '…'`) as `permission denied (EACCES)`. */
function systemProblem(error: NodeJS.ErrnoException): string {
  const text = error.message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+( '.*')?$/, '');
  return error.code ? `${text} (${error.code})` : text;
}

/** An error from the file system (it has an errno code and the call that failed), not from mmx. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | undefined;
  return typeof e?.code === 'string' && typeof e.syscall === 'string';
}

/** The directory or file cannot be written (read-only, foreign-owned, a full disk): exit 1, naming the path. */
function unwritable(configDir: string, error: NodeJS.ErrnoException): ConfigFileError {
  return new ConfigFileError(
    `Cannot write ${configPath(configDir)}: ${systemProblem(error)}.`,
    `mmx keeps its settings in ${configDir}; make it writable by you, or set MMX_CONFIG_DIR to a directory you own.`,
  );
}

/** The text without a leading UTF-8 byte order mark, which Windows editors (Notepad) write and JSON.parse rejects. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A JSON file of the config directory, parsed: undefined when it does not exist or is empty. One
 * that cannot be read, or is not JSON, is an error naming the file (and the place in it); mmx then
 * refuses to overwrite it. config.json and profiles.json are read through here.
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const why = isSystemError(error) ? systemProblem(error) : (error as Error).message;
    throw new ConfigFileError(`Cannot read ${path}: ${why}.`, `Check the permissions of ${path}, or set MMX_CONFIG_DIR elsewhere.`);
  }
  text = withoutBom(text);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigFileError(
      `${path} is not valid JSON${jsonErrorPlace(text)}.`,
      'Fix or remove the file; mmx will not overwrite it while it is broken.',
    );
  }
}

/** The parsed file, `{}` when it does not exist; a broken file is an error naming the file and the place. */
export function readConfig(configDir: string): ConfigFile {
  const path = configPath(configDir);
  const data = readJsonFile(path);
  if (data === undefined) return {};
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the top level';
    const top = issue?.path[0];
    const record = isPlainObject(data) ? data : {};
    // Name the value and what is allowed, not the schema library's wording.
    const why = (typeof top === 'string' && checkStoredValue(top, record[top])) || issue?.message || 'invalid value';
    throw new ConfigFileError(`${path}: ${where}: ${why}.`, 'Fix the value, or remove the key to use the default.');
  }
  return parsed.data as ConfigFile;
}

/** Warnings for a config file or directory that others can read (the key is in it). */
export function permissionWarnings(configDir: string): string[] {
  const warnings: string[] = [];
  const check = (path: string, want: number) => {
    try {
      const mode = statSync(path).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        const octal = mode.toString(8).padStart(3, '0');
        warnings.push(`${path} is accessible to other users (mode ${octal}); fix: chmod ${want.toString(8)} ${path}`);
      }
    } catch {
      // absent: nothing to warn about
    }
  };
  check(configDir, 0o700);
  check(configPath(configDir), 0o600);
  check(join(configDir, 'profiles.json'), 0o600);
  return warnings;
}

/**
 * Creates the directory 0700 when it is missing (conf would use the umask's mode). One that
 * exists is left as it is, even when others can read it: it may be shared on purpose
 * (MMX_CONFIG_DIR), and `permissionWarnings` has told the user with the chmod that fixes it.
 */
export function ensureConfigDir(configDir: string): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
}

/**
 * Applies a patch in one atomic write: `undefined` deletes a key. The file is
 * read again under conf so that keys another process wrote meanwhile survive.
 */
/** Keys to set (`undefined` deletes one), or a function of the file as it is at write time. */
export type ConfigPatch = Record<string, unknown> | ((current: Record<string, unknown>) => Record<string, unknown>);

/**
 * Runs `fn` holding the cross-process lock of config.json: a `config.json.lock`
 * directory taken with proper-lockfile, whose mtime is refreshed while held and
 * which counts as stale after 10 s without that, so a crashed mmx never blocks
 * the next. Writes re-read the file under it: a key removed at logout never comes
 * back from a concurrent write of another setting.
 */
export async function withConfigLock<T>(configDir: string, fn: () => Promise<T>): Promise<T> {
  try {
    ensureConfigDir(configDir);
    // Asked up front: the lock below retries any failure for seconds before it gives up.
    accessSync(configDir, constants.W_OK);
  } catch (error) {
    throw isSystemError(error) ? unwritable(configDir, error) : error;
  }
  const { lock } = await import('proper-lockfile');
  const file = configPath(configDir);
  let release: () => Promise<void>;
  try {
    release = await lock(file, {
      realpath: false,
      lockfilePath: `${file}.lock`,
      stale: 10_000,
      update: 2_000,
      retries: { retries: 120, factor: 1.2, minTimeout: 10, maxTimeout: 100 },
    });
  } catch (error) {
    // The lock directory could not be made for another reason than a holder (a read-only directory).
    if (isSystemError(error) && error.code !== 'ELOCKED') throw unwritable(configDir, error);
    throw new ConfigFileError(
      `${file} is being written by another mmx (${(error as Error).message}).`,
      `Try again; if no mmx is running, remove ${file}.lock.`,
    );
  }
  try {
    return await fn();
  } catch (error) {
    throw isSystemError(error) ? unwritable(configDir, error) : error;
  } finally {
    await release().catch(() => undefined);
  }
}

export async function updateConfig(configDir: string, patch: ConfigPatch, options: { backupBrokenAs?: string } = {}): Promise<string> {
  return withConfigLock(configDir, () => writeUnderLock(configDir, patch, options));
}

/**
 * The write of `updateConfig` for a caller that already holds `withConfigLock` (which is not
 * re-entrant): a read-decide-write done under one lock, such as an OAuth refresh.
 */
export async function updateConfigLocked(
  configDir: string,
  patch: ConfigPatch,
  options: { backupBrokenAs?: string } = {},
): Promise<string> {
  return writeUnderLock(configDir, patch, options);
}

async function writeUnderLock(configDir: string, patch: ConfigPatch, options: { backupBrokenAs?: string }): Promise<string> {
  try {
    readConfig(configDir); // never rewrite a file we could not parse...
  } catch (error) {
    // ...unless the command may replace it: then what we could not parse is kept beside it first.
    if (!(error instanceof ConfigFileError) || options.backupBrokenAs === undefined) throw error;
    renameSync(configPath(configDir), join(configDir, options.backupBrokenAs));
  }
  const { default: Conf } = await import('conf');
  const store = new Conf<Record<string, unknown>>({
    cwd: configDir,
    configName: 'config',
    configFileMode: 0o600,
    serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
    deserialize: (text) => JSON.parse(withoutBom(text)) as Record<string, unknown>,
  });
  const next: Record<string, unknown> = { ...store.store };
  for (const [key, value] of Object.entries(typeof patch === 'function' ? patch(next) : patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  store.store = next;
  return store.path;
}
