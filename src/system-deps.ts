/** The real process as `Deps`: the one module (besides bin/) that touches `process`. */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import type { Deps, InStream, OutStream } from './deps.js';
import { InterruptedError } from './errors.js';
import { nodeTransport } from './http/transport.js';
import { timerSleep } from './wait.js';

function outStream(stream: NodeJS.WriteStream, onClosed: () => void): OutStream {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      onClosed();
    }
  });
  return {
    write(chunk) {
      if (!closed) stream.write(chunk);
    },
    writeAndDrain(chunk) {
      if (closed || stream.write(chunk)) return Promise.resolve();
      return new Promise((resolve) => {
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
  };
}

async function readAll(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(parts).toString('utf8');
}

/** A hidden one-line prompt on the terminal: raw mode, no echo, Backspace and Ctrl-C/Ctrl-D handled. */
function readSecret(prompt: string, signal: AbortController): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') {
          signal.abort(new Error('SIGINT'));
          return done(new InterruptedError());
        }
        if (char === '\u0004') return done();
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.setRawMode?.(true);
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
    readAll,
    readSecret: (prompt) => readSecret(prompt, controller),
    readLine: (prompt) => readLine(prompt, controller),
  };
  const onStdoutClosed = () => controller.abort(new Error('EPIPE'));
  return {
    stdout: outStream(process.stdout, onStdoutClosed),
    stderr: outStream(process.stderr, () => undefined),
    stdin,
    env,
    configDir: env.MMX_CONFIG_DIR && env.MMX_CONFIG_DIR.trim() !== '' ? env.MMX_CONFIG_DIR : join(homedir(), '.mmx'),
    transport: nodeTransport(),
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
