/**
 * Drives the real entry, `run(argv, deps)`, with memory IO, a temporary config
 * dir and the real node:http transport (which msw intercepts).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.js';
import type { Deps, InStream, LineEditor, LineEditorOptions, OutStream } from '../../src/deps.js';
import { nodeTransport, type Transport } from '../../src/http/transport.js';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Text on stdin; undefined means stdin is a terminal with nothing typed. */
  stdin?: string;
  /** What the hidden prompt "reads" when stdin is a terminal. */
  secret?: string;
  /** What a visible one-line prompt (`readLine`, e.g. "Overwrite …? [y/N]") reads. */
  answer?: string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  /** The width of a terminal stdout (default 100). */
  columns?: number;
  configDir?: string;
  transport?: Transport;
  now?: number;
  /** A clock whose sleep the test controls (see `fakeClock`); else time stands still and sleeps return at once. */
  clock?: Pick<Deps, 'now' | 'sleep'>;
  /** The random source of retry jitter (`Deps.random`); default Math.random. */
  random?: () => number;
  signal?: AbortSignal;
  /** Bytes stdout accepts before its reader goes away (EPIPE). */
  stdoutLimit?: number;
  /** How `openUrl` (the browser) behaves: it opens (records the URL), or there is no opener. */
  browser?: 'opens' | 'missing';
  /** The terminal's line editor (the REPL); absent: there is none, as when stdin or stdout is not a terminal. */
  lineEditor?: (options: LineEditorOptions) => LineEditor;
  /** Called with each URL opened in the "browser" (e.g. to approve an OAuth code there). */
  onOpenUrl?: (url: string) => void;
  /** Response limits smaller than the real ones (api/limits.ts). */
  limits?: Deps['limits'];
}

export interface RunResult {
  code: number;
  stdout: string;
  /** stdout as the bytes written (binary output). */
  stdoutBytes: Buffer;
  stderr: string;
  configDir: string;
  /** stdin reads and prompts (hidden and visible) that happened. */
  stdinReads: number;
  prompts: string[];
  /** URLs opened in the browser. */
  opened: string[];
  /** Every wait the run asked for (`Deps.sleep`, in ms, in order): retry pauses, polling, grace periods. */
  waits: number[];
  json(): any;
  config(): any;
}

export function tempConfigDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'mmx-test-')), 'mmx');
}

function memoryOut(isTTY: boolean, limit = Infinity, width = 100): OutStream & { text: () => string; bytes: () => Buffer } {
  const parts: Array<string | Buffer> = [];
  let size = 0;
  let closed = false;
  const write = (chunk: string | Uint8Array) => {
    if (closed) return;
    const part = typeof chunk === 'string' ? chunk : Buffer.from(chunk);
    if (size + part.length > limit) {
      parts.push(part.slice(0, limit - size));
      closed = true;
      return;
    }
    size += part.length;
    parts.push(part);
  };
  return {
    write,
    async writeAndDrain(chunk: string | Uint8Array) {
      write(chunk);
    },
    isTTY,
    columns: isTTY ? width : undefined,
    get closed() {
      return closed;
    },
    text: () => parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join(''),
    bytes: () => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))),
  };
}

/** Time that moves only when slept: `sleep(ms)` advances `now` by `ms` at once and records `ms`. */
export function fakeClock(start = Date.parse('2026-11-28T12:00:00Z')): Pick<Deps, 'now' | 'sleep'> & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** Every key this run could know: env, --api-key, stdin for `--api-key -`, the prompt, the config file. */
function keysInPlay(argv: string[], options: RunOptions, configDir: string): string[] {
  const keys = [options.env?.MINIMAX_API_KEY, options.secret];
  argv.forEach((arg, i) => {
    if (arg === '--api-key') keys.push(argv[i + 1] === '-' ? options.stdin?.trim() : argv[i + 1]);
    if (arg.startsWith('--api-key=')) keys.push(arg.slice('--api-key='.length));
  });
  try {
    const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
    keys.push(config.api_key, config.oauth?.access_token, config.oauth?.refresh_token);
  } catch {
    // no config, or not JSON: nothing to add
  }
  return keys.filter((k): k is string => typeof k === 'string' && k.length >= 12);
}

/** The canary check every test gets for free: a full key never reaches stdout or stderr. */
export function assertNoKeyLeak(keys: string[], ...outputs: string[]): void {
  for (const key of keys) {
    for (const output of outputs) {
      if (output.includes(key)) throw new Error(`a full API key (…${key.slice(-4)}) was printed:\n${output.slice(0, 500)}`);
    }
  }
}

/** The memory streams and stdin of a test run, as `Deps`, with what the run did to them. */
export function memoryDeps(options: RunOptions = {}, configDir = options.configDir ?? tempConfigDir()) {
  const stdout = memoryOut(options.stdoutTTY ?? false, options.stdoutLimit, options.columns);
  const stderr = memoryOut(options.stderrTTY ?? false);
  const counts = { stdinReads: 0 };
  const prompts: string[] = [];
  const opened: string[] = [];
  const waits: number[] = [];
  const sleep = options.clock?.sleep ?? (async () => undefined);
  const stdin: InStream = {
    isTTY: options.stdin === undefined,
    async readAll() {
      counts.stdinReads++;
      return options.stdin ?? '';
    },
    async readSecret(prompt: string) {
      prompts.push(prompt);
      return options.secret ?? '';
    },
    async readLine(prompt: string) {
      prompts.push(prompt);
      return options.answer ?? '';
    },
  };
  const deps: Deps = {
    stdout,
    stderr,
    stdin,
    env: { ...options.env },
    configDir,
    transport: options.transport ?? nodeTransport(),
    now: options.clock?.now ?? (() => options.now ?? Date.parse('2026-11-28T12:00:00Z')),
    sleep: (ms, signal) => {
      waits.push(ms);
      return sleep(ms, signal);
    },
    signal: options.signal ?? new AbortController().signal,
    async openUrl(url: string) {
      if (options.browser === 'missing') throw new Error('spawn xdg-open ENOENT');
      opened.push(url);
      options.onOpenUrl?.(url);
    },
    ...(options.lineEditor ? { openLineEditor: async (o: LineEditorOptions) => options.lineEditor!(o) } : {}),
    random: options.random,
    limits: options.limits,
  };
  return { deps, stdout, stderr, prompts, counts, opened, waits };
}

export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const configDir = options.configDir ?? tempConfigDir();
  const keysBefore = keysInPlay(argv, options, configDir);
  const { deps, stdout, stderr, prompts, counts, opened, waits } = memoryDeps(options, configDir);
  const code = await run(argv, deps);
  assertNoKeyLeak([...keysBefore, ...keysInPlay(argv, options, configDir)], stdout.text(), stderr.text());
  return {
    code,
    stdout: stdout.text(),
    stdoutBytes: stdout.bytes(),
    stderr: stderr.text(),
    configDir,
    stdinReads: counts.stdinReads,
    prompts,
    opened,
    waits,
    json: () => JSON.parse(stdout.text()),
    config: () => JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')),
  };
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}
