/**
 * A program on a real pseudo-terminal, through util-linux `script`: the child
 * sees a TTY on stdin and stdout (raw mode, Ctrl-C as a key), the test types
 * into it and reads what the terminal shows.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

/** Whether `script` (util-linux) is here to make a pseudo-terminal. */
export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export interface Pty {
  /** Everything the terminal showed so far, escape sequences included. */
  readonly output: string;
  /** What the terminal showed, without escape sequences and carriage returns. */
  readonly text: string;
  type(keys: string): void;
  /** Resolves once `text` (from `from` on) contains `what`; rejects after `timeoutMs` with what was shown. */
  waitFor(what: string | RegExp, options?: { from?: number; timeoutMs?: number }): Promise<void>;
  readonly exited: Promise<number | null>;
  kill(): void;
}

export function plain(output: string): string {
  // biome-ignore lint: control characters are the point
  return output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

export function startPty(argv: readonly string[], env: Record<string, string>, size = { cols: 100, rows: 30 }): Pty {
  const command = `stty cols ${size.cols} rows ${size.rows} && exec ${argv.map(quote).join(' ')}`;
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', SHELL: '/bin/sh', TERM: 'xterm-256color', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    get output() {
      return output;
    },
    get text() {
      return plain(output);
    },
    type(keys) {
      child.stdin?.write(keys);
    },
    waitFor(what, options = {}) {
      const from = options.from ?? 0;
      const seen = () => {
        const text = plain(output).slice(from);
        return typeof what === 'string' ? text.includes(what) : what.test(text);
      };
      return new Promise((resolve, reject) => {
        if (seen()) return resolve();
        const check = () => {
          if (!seen()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the terminal never showed ${String(what)}; it showed:\n${plain(output).slice(-2000)}`));
        }, options.timeoutMs ?? 10_000);
        waiters.add(check);
      });
    },
    exited,
    kill() {
      child.kill('SIGKILL');
    },
  };
}
