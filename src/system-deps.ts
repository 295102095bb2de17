/** The real process as `Deps`: the one module (besides bin/) that touches `process`. */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { EMPTY_LINE, type SecretLine, feedSecret } from './cli/secret-line.js';
import type { Deps, InStream, OutStream } from './deps.js';
import { InterruptedError, UsageError } from './errors.js';
import { nodeTransport } from './http/transport.js';
import { timerSleep } from './wait.js';

/**
 * A process stream as `OutStream`. Its errors arrive after the write that failed (Node reports
 * them on the next tick, even for files): a reader that left marks it `closed`, any other failure
 * is kept as `writeError`; both stop further writes and call `onEnded`.
 */
function outStream(stream: NodeJS.WriteStream, onEnded: () => void): OutStream {
  let closed = false;
  let writeError: Error | undefined;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (closed || writeError) return;
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
    else writeError = error;
    onEnded();
  });
  const stopped = () => closed || writeError !== undefined;
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done); // EPIPE: `closed` is set by the listener above
    });
  return {
    write(chunk) {
      if (!stopped()) stream.write(chunk);
    },
    drain() {
      return stopped() || !stream.writableNeedDrain ? undefined : drained();
    },
    writeAndDrain(chunk) {
      if (stopped() || stream.write(chunk)) return Promise.resolve();
      return drained();
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
    get closed() {
      return closed;
    },
    get writeError() {
      return writeError;
    },
    flush() {
      // The callback of an empty write runs after every earlier write completed or failed; the
      // failure's 'error' event was queued before it, and has run by the next turn.
      return new Promise((resolve) => {
        const settled = () => setImmediate(resolve);
        if (stopped() || stream.destroyed) settled();
        else stream.write('', settled);
      });
    },
  };
}

/**
 * All of stdin. Ctrl-C ends the read at once (a pipe whose writer never closes it, a terminal
 * waiting for Ctrl-D): stdin is destroyed, so nothing keeps the process alive.
 */
function readAll(signal: AbortSignal): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer | string) => parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(parts).toString('utf8'));
    };
    const onError = (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(new UsageError(`Cannot read stdin: ${error.message}.`));
    };
    const onAbort = () => {
      cleanup();
      stdin.destroy();
      reject(new InterruptedError());
    };
    if (signal.aborted) return onAbort();
    if (stdin.readableEnded) return resolve(''); // read before, or nothing to read: 'end' will not come again
    signal.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
  });
}

/**
 * A hidden one-line prompt on the terminal: raw mode, no echo, edited by `feedSecret` (Backspace,
 * Ctrl-U, escape sequences such as arrows dropped; Ctrl-C exits 130, Enter or Ctrl-D ends it).
 */
function readSecret(prompt: string, signal: AbortController): Promise<string> {
  const stdin = process.stdin;
  // Raw mode (no echo) before the prompt shows, so a key typed ahead is never echoed.
  stdin.setRawMode?.(true);
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let line: SecretLine = EMPTY_LINE;
    const utf8 = new TextDecoder('utf-8');
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(line.value);
    };
    const onData = (data: Buffer) => {
      // Decoded as a stream: a pasted character may arrive split across two reads.
      line = feedSecret(line, utf8.decode(data, { stream: true }));
      if (line.end === 'interrupt') {
        signal.abort(new Error('SIGINT'));
        done(new InterruptedError());
      } else if (line.end === 'enter') {
        done();
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** A visible one-line prompt (a yes/no question): readline on stdin, the prompt on stderr; Ctrl-C exits 130. */
async function readLine(prompt: string, signal: AbortController): Promise<string> {
  // Loaded on first use: most runs never ask anything.
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (answer: string | Error) => {
      if (settled) return;
      settled = true;
      rl.close();
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
    };
    // On a terminal readline reads Ctrl-C itself (raw mode) instead of the process getting SIGINT.
    rl.on('SIGINT', () => {
      process.stderr.write('\n');
      signal.abort(new Error('SIGINT'));
      finish(new InterruptedError());
    });
    rl.on('close', () => finish('')); // Ctrl-D or end of input: no answer
    rl.question(prompt, (answer) => finish(answer));
  });
}

/**
 * The platform's opener (`open`, `xdg-open`, `start`), without a shell, detached so mmx's exit
 * does not wait for the browser. Only http(s) URLs are opened: the URL comes from a server.
 */
async function openUrl(url: string): Promise<void> {
  if (!/^https?:\/\//i.test(url)) throw new Error(`not an http(s) URL: ${url}`);
  // Loaded on first use: only an OAuth login opens anything.
  const { spawn } = await import('node:child_process');
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd.exe', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export function systemDeps(controller: AbortController): Deps {
  const env = process.env;
  // isatty(0), not process.stdin.isTTY: the getter builds the stdin stream, and on /dev/null or a file
  // (cron, CI, `< /dev/null`) that is an fs.ReadStream loading fs/promises, readline and fs watchers.
  const stdinIsTTY = isatty(0);
  const stdin: InStream = {
    isTTY: stdinIsTTY,
    readAll: () => readAll(controller.signal),
    readSecret: (prompt) => readSecret(prompt, controller),
    readLine: (prompt) => readLine(prompt, controller),
  };
  // Output that cannot reach stdout any more ends the run (a stream is not read on for nobody).
  const onStdoutClosed = () => controller.abort(new Error('stdout closed'));
  return {
    stdout: outStream(process.stdout, onStdoutClosed),
    stderr: outStream(process.stderr, () => undefined),
    stdin,
    env,
    configDir: env.MMX_CONFIG_DIR && env.MMX_CONFIG_DIR.trim() !== '' ? env.MMX_CONFIG_DIR : join(homedir(), '.mmx'),
    transport: nodeTransport(),
    homeDir: homedir(),
    now: () => Date.now(),
    // Cleared on Ctrl-C even when the caller passes no signal: a pending timer would keep the process alive.
    sleep: (ms, signal = controller.signal) => timerSleep(ms, signal),
    signal: controller.signal,
    openUrl,
    ...(stdinIsTTY && process.stdout.isTTY
      ? {
          // Loaded on first use: only the REPL edits lines.
          openLineEditor: async (options) =>
            (await import('./terminal/line-editor.js')).createLineEditor(process.stdin, process.stdout, options),
        }
      : {}),
    // bin/mmx, through any symlink npm made (…/bin/mmx → …/node_modules/mmx-plus/bin/mmx): the package is its parent.
    installDir: () => {
      try {
        return process.argv[1] === undefined ? undefined : dirname(dirname(realpathSync(process.argv[1])));
      } catch {
        return undefined;
      }
    },
  };
}
