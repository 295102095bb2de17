/**
 * Downloads of generated files (videos, images, subtitles) from the signed CDN
 * links the API hands out, to a path or to stdout, and pictures a user names by
 * URL, into memory (`fetchBytes`, for vision). Never through ApiClient: it
 * prefixes the base URL and attaches the key, and the key must never reach a
 * CDN. The request goes through the proxy-aware transport with a user-agent and
 * nothing else, also after redirects.
 *
 * A file is streamed to `<dest>.part` and renamed onto `dest` only when it is
 * complete; any failure or Ctrl-C removes the `.part` file, so `dest` is either
 * the whole new file or untouched. The signed query is masked (`maskUrl`) in
 * every --verbose line and error.
 */
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Context } from '../cli/context.js';
import { inCi } from '../config/settings.js';
import { CliError, ExitCode, type ExitCodeValue, InterruptedError, NetworkError, TimeoutError, UsageError } from '../errors.js';
import { idleBounded } from '../http/idle.js';
import { reclaimer } from './reclaim.js';
import { maskUrl } from '../http/mask-url.js';
import { ProxyError, errorCode, networkErrorInfo } from '../http/network-errors.js';
import type { HttpResponse } from '../http/transport.js';
import { type Progress, startProgress } from '../output/progress.js';
import { USER_AGENT } from '../version.js';
import { orAbort } from '../wait.js';

/** node:fs/promises, loaded when a download runs: every other command would pay for it at start-up. */
const fsp = () => import('node:fs/promises');

/** CDNs redirect (to a regional edge, to object storage); more than this is a loop. */
export const MAX_REDIRECTS = 5;

export interface DownloadOptions {
  /** Overwrite an existing `dest` without asking: a command's `--force`. */
  force?: boolean | undefined;
  /** The name on the progress line; default: the file name of `dest` (or of the URL, for stdout). */
  label?: string | undefined;
}

export interface Downloaded {
  /** `dest` as given (`-` for stdout). */
  path: string;
  bytes: number;
}

export type OverwriteAction = 'write' | 'ask' | 'refuse';

/**
 * What to do when `dest` may exist. Scripts (no terminal) overwrite, as mmx-cli
 * does; a person at a terminal is asked; a terminal that must not be asked
 * (--non-interactive, CI) is told to pass --force.
 */
export function overwriteAction(s: { exists: boolean; force: boolean; terminal: boolean; nonInteractive: boolean }): OverwriteAction {
  if (!s.exists || s.force || !s.terminal) return 'write';
  return s.nonInteractive ? 'refuse' : 'ask';
}

/** `y` or `yes`, any case; anything else (Enter included) is no. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}

/**
 * The exit code of a CDN's error status. A CDN's 401/403 means an expired or bad
 * signature, not the API key, so unlike API answers it is not exit 3.
 */
export function downloadExitCode(status: number): ExitCodeValue {
  return status === 408 || status === 504 ? ExitCode.TIMEOUT : ExitCode.GENERAL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The absolute URL a redirect points to, or undefined when `status` is not a redirect with a Location. */
export function redirectTarget(status: number, location: string | undefined, from: string): string | undefined {
  if (!REDIRECTS.has(status) || location === undefined || location.trim() === '') return undefined;
  try {
    return new URL(location.trim(), from).toString();
  } catch {
    return undefined;
  }
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function contentLength(headers: Record<string, string>): number | undefined {
  const value = headers['content-length'];
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

function hintFor(status: number): string {
  if (status === 401 || status === 403 || status === 404 || status === 410) {
    return 'Download links are signed and expire; get a fresh link and try again.';
  }
  return 'The file server failed; try again.';
}

/** Downloads `url` to `dest` (`-`: stdout, only when it is not a terminal). See the module header. */
export async function download(ctx: Context, url: string, dest: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const toStdout = dest === '-';
  if (toStdout && ctx.deps.stdout.isTTY) {
    throw new UsageError('Not writing a binary file to the terminal.', { hint: 'Redirect stdout to a file (> out.mp4), or give a path.' });
  }
  if (!isHttpUrl(url)) throw new CliError(ExitCode.GENERAL, `Not an http(s) download link: ${maskUrl(url)}`);
  if (!toStdout) await confirmOverwrite(ctx, dest, options.force === true);

  return transfer(ctx, url, {
    label: (from) => options.label ?? (toStdout ? basename(new URL(from).pathname) || 'download' : basename(dest)),
    lost: 'Nothing was saved; try again.',
    async consume(body) {
      if (toStdout) await toStdoutStream(ctx, body.chunks);
      else await toFile(dest, body.chunks);
      ctx.verbose(`* ${body.bytes()} bytes to ${toStdout ? 'stdout' : dest}`);
      return { path: dest, bytes: body.bytes() };
    },
  });
}

export interface FetchedBytes {
  bytes: Uint8Array;
  /** The Content-Type the server sent, if any. */
  contentType: string | undefined;
}

/**
 * GETs `url` into memory (a picture to send inline), as `download` does it: no key,
 * redirects followed, timeouts, progress. More than `maxBytes` is refused before or
 * while reading, with `tooLarge(bytes)` (bytes: the announced or the received size).
 */
export async function fetchBytes(
  ctx: Context,
  url: string,
  options: { maxBytes: number; tooLarge: (bytes: number) => Error; label?: string },
): Promise<FetchedBytes> {
  if (!isHttpUrl(url)) throw new UsageError(`Not an http(s) link: ${maskUrl(url)}`);
  return transfer(ctx, url, {
    label: (from) => options.label ?? (basename(new URL(from).pathname) || 'download'),
    lost: 'Nothing was sent; try again.',
    async consume(body) {
      if (body.total !== undefined && body.total > options.maxBytes) throw options.tooLarge(body.total);
      const chunks: Uint8Array[] = [];
      for await (const chunk of body.chunks) {
        if (body.bytes() > options.maxBytes) throw options.tooLarge(body.bytes());
        chunks.push(chunk);
      }
      return { bytes: Buffer.concat(chunks), contentType: body.contentType };
    },
  });
}

/** A response body being read: its chunks (idle-bounded, counted, checked against the announced length). */
interface Body {
  chunks: AsyncIterable<Uint8Array>;
  /** The announced length, when sent. */
  total: number | undefined;
  contentType: string | undefined;
  /** Bytes read so far. */
  bytes(): number;
}

/**
 * Opens `url` (following redirects, bounded by --timeout), hands its body to `consume`
 * (bounded by --idle-timeout, with a progress bar named `label(final url)`), and closes
 * the connection whatever happens, Ctrl-C included. `lost` is the hint of a body cut short.
 */
async function transfer<T>(
  ctx: Context,
  url: string,
  how: { label: (from: string) => string; lost: string; consume: (body: Body) => Promise<T> },
): Promise<T> {
  const signal = ctx.deps.signal;
  if (signal.aborted) throw new InterruptedError();
  // One controller for the connection: Ctrl-C, --timeout and the end of the download all close it.
  const connection = new AbortController();
  const onAbort = () => connection.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let progress: Progress | undefined;
  try {
    const { response, url: from } = await openFollowingRedirects(ctx, url, connection);
    const total = contentLength(response.headers);
    const origin = new URL(from).origin;
    let bytes = 0;
    const idleMs = ctx.settings.idleTimeoutMs;
    const body = idleBounded(response.body, {
      idleMs,
      signal,
      idle: () =>
        new TimeoutError(`The download from ${origin} sent nothing for ${idleMs / 1000} s (--idle-timeout); it is incomplete.`, {
          hint: 'The server stalled; try again, or raise --idle-timeout.',
        }),
      failed: (error) => {
        const code = errorCode(error);
        return new NetworkError(`The connection to ${origin} failed after ${bytes} bytes of the download${code ? ` (${code})` : ''}.`, {
          hint: how.lost,
          cause: error,
        });
      },
    });
    const reclaim = await reclaimer();
    const counted = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of body) {
        bytes += chunk.byteLength;
        progress?.bytes(bytes, total);
        yield chunk;
        // After the chunk is written: its buffer is garbage now, and memory stays flat however long the file.
        reclaim(bytes);
      }
      // Node's parser already fails a body cut short of its Content-Length; this holds for any transport.
      if (total !== undefined && bytes !== total) {
        throw new NetworkError(`The download from ${origin} ended after ${bytes} of ${total} bytes.`, { hint: how.lost });
      }
    };
    progress = await startProgress(ctx, { kind: 'transfer', label: how.label(from), total });
    return await how.consume({ chunks: counted(), total, contentType: response.headers['content-type'], bytes: () => bytes });
  } finally {
    progress?.stop();
    signal.removeEventListener('abort', onAbort);
    connection.abort(); // a no-op after a complete body; closes it after any failure
  }
}

/**
 * Everything that can be known about writing `dest` before paid work starts: its
 * directory exists and takes new files, it is not a directory, and an existing
 * file may be replaced (`overwriteAction`: scripts overwrite, a terminal is asked,
 * --non-interactive and CI need --force). Throws a UsageError (or the kept-file
 * error) when not; `-` (stdout) must not be a terminal.
 */
export async function checkDestination(ctx: Context, dest: string, options: { force?: boolean | undefined } = {}): Promise<void> {
  if (dest === '-') {
    if (ctx.deps.stdout.isTTY) {
      throw new UsageError('Not writing a binary file to the terminal.', {
        hint: 'Redirect stdout to a file (> out.mp3), or give a path.',
      });
    }
    return;
  }
  const fs = await fsp();
  const dir = dirname(dest);
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw new UsageError(`Cannot write ${dest}: ${dir} is not a directory.`);
    await fs.access(dir, fs.constants.W_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `Cannot write ${dest}: ${code === 'ENOENT' ? `no such directory, ${dir}` : code === 'EACCES' ? `${dir} is not writable` : (error as Error).message}.`,
    );
  }
  await confirmOverwrite(ctx, dest, options.force === true);
}

/** Applies `overwriteAction` to `dest`: returns when it may be written, throws when not. */
async function confirmOverwrite(ctx: Context, dest: string, force: boolean): Promise<void> {
  let exists = false;
  try {
    const found = await (await fsp()).stat(dest);
    if (found.isDirectory()) throw new UsageError(`${dest} is a directory; give a file path.`);
    exists = true;
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`Cannot use ${dest}: ${(error as Error).message}`);
  }
  const { deps, settings } = ctx;
  const action = overwriteAction({
    exists,
    force,
    terminal: deps.stdin.isTTY && deps.stderr.isTTY,
    nonInteractive: settings.nonInteractive || inCi(deps.env),
  });
  if (action === 'write') return;
  if (action === 'refuse') {
    throw new UsageError(`${dest} exists; pass --force to overwrite it.`, { hint: 'mmx does not ask with --non-interactive or in CI.' });
  }
  ctx.claimStdin('the overwrite question');
  const answer = await orAbort(deps.stdin.readLine(`Overwrite ${dest}? [y/N] `), deps.signal);
  if (!isYes(answer))
    throw new CliError(ExitCode.GENERAL, `Kept ${dest}; nothing was downloaded.`, { hint: 'Pass --force to overwrite without asking.' });
}

/**
 * GET `url`, following up to MAX_REDIRECTS redirects, until a 2xx answer (returned with the
 * URL that gave it); --timeout bounds all of it, up to the final response's headers.
 */
async function openFollowingRedirects(
  ctx: Context,
  url: string,
  connection: AbortController,
): Promise<{ response: HttpResponse; url: string }> {
  const timeoutMs = ctx.settings.timeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.abort(new Error('timeout'));
  }, timeoutMs);
  try {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      ctx.verbose(`> GET ${maskUrl(current)}`);
      ctx.verbose(`> user-agent: ${USER_AGENT}`);
      const started = ctx.deps.now();
      let response: HttpResponse;
      try {
        response = await orAbort(
          ctx.transport({ method: 'GET', url: current, headers: { 'user-agent': USER_AGENT }, signal: connection.signal }),
          ctx.deps.signal,
        );
      } catch (error) {
        if (error instanceof CliError) throw error;
        if (ctx.deps.signal.aborted) throw new InterruptedError();
        const origin = new URL(current).origin;
        if (timedOut) {
          throw new TimeoutError(`No response from ${origin} within ${timeoutMs / 1000} s (--timeout).`, {
            hint: 'Raise --timeout (seconds), or check the network.',
          });
        }
        if (error instanceof ProxyError) throw new NetworkError(error.message, { hint: error.hint, cause: error });
        const code = errorCode(error);
        const what = networkErrorInfo(code)?.text ?? 'connection failed';
        throw new NetworkError(`Cannot reach ${origin}: ${what}${code ? ` (${code})` : ''}.`, {
          hint: 'Check the network and the proxy settings (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY).',
          cause: error,
        });
      }
      ctx.verbose(`< ${response.status} ${response.headers['content-type'] ?? '(no content type)'} after ${ctx.deps.now() - started} ms`);
      if (response.status >= 200 && response.status < 300) return { response, url: current };
      await discard(response);
      const next = redirectTarget(response.status, response.headers.location, current);
      if (next === undefined) {
        throw new CliError(downloadExitCode(response.status), `Download failed: HTTP ${response.status} from ${maskUrl(current)}`, {
          httpStatus: response.status,
          hint: response.status === 408 || response.status === 504 ? 'The file server timed out; try again.' : hintFor(response.status),
        });
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new CliError(ExitCode.GENERAL, `Download failed: more than ${MAX_REDIRECTS} redirects, the last to ${maskUrl(next)}`);
      }
      if (!isHttpUrl(next)) throw new CliError(ExitCode.GENERAL, `Download failed: redirected to a non-http(s) link, ${maskUrl(next)}`);
      ctx.verbose(`* redirected to ${maskUrl(next)}`);
      current = next;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Drops a body that will not be read, closing its connection. */
async function discard(response: HttpResponse): Promise<void> {
  (response.body as { destroy?: () => void }).destroy?.();
  await Promise.resolve(response.body[Symbol.asyncIterator]().return?.()).catch(() => undefined);
}

/** Writes `chunks` to stdout as the reader takes them; stops quietly when the reader leaves. */
export async function toStdoutStream(ctx: Context, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of chunks) {
    // Paced by the reader: a slow pipe holds the download back instead of filling memory.
    await orAbort(ctx.deps.stdout.writeAndDrain(chunk), ctx.deps.signal);
    if (ctx.deps.stdout.closed) return; // the reader left (`| head -c`): not an error
  }
}

/** Streams into `<dest>.part`, then renames it onto `dest`; on any failure the `.part` file is removed. */
export async function toFile(dest: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const part = `${dest}.part`;
  let handle: FileHandle | undefined;
  try {
    try {
      handle = await (await fsp()).open(part, 'w');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`Cannot write ${dest}: ${code === 'ENOENT' ? 'no such directory' : (error as Error).message}.`);
    }
    for await (const chunk of chunks) await handle.write(chunk);
    await handle.close();
    handle = undefined;
    await (await fsp()).rename(part, dest);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await (await fsp()).rm(part, { force: true });
    if (error instanceof CliError) throw error;
    throw new CliError(ExitCode.GENERAL, `Cannot write ${dest}: ${(error as Error).message}`, { cause: error });
  }
}
