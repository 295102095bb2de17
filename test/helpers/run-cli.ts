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
  /**
   * The one credential this run is meant to print on stdout (`mmx auth token`): the leak check
   * lets exactly that string through on stdout, and still fails on it in stderr and on any other
   * key anywhere. Nothing else opts out of the check. A function is asked after the run (a token
   * refreshed during it).
   */
  printsKey?: string | (() => string | undefined);
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
  keys.push(...storedKeys(configDir));
  return keys.filter((k): k is string => typeof k === 'string' && k.length >= 12);
}

/** The keys and tokens stored in a config dir: config.json's and every profile's in profiles.json. */
export function storedKeys(configDir: string): string[] {
  const keys: unknown[] = [];
  const credential = (c: any) => keys.push(c?.api_key, c?.oauth?.access_token, c?.oauth?.refresh_token);
  try {
    credential(JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')));
  } catch {
    // no config, or not JSON: nothing to add
  }
  try {
    const profiles = JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8'));
    for (const c of Object.values(profiles?.profiles ?? {})) credential(c);
  } catch {
    // no profiles, or not JSON: nothing to add
  }
  return keys.filter((k): k is string => typeof k === 'string' && k.length >= 12);
}

/**
 * The leak check with `printsKey`'s one exception: that key may be on stdout (it is what the
 * command prints), nowhere else, and every other key nowhere at all.
 */
export function assertNoKeyLeakExcept(printsKey: string | undefined, keys: string[], stdout: string, stderr: string): void {
  assertNoKeyLeak(keys, stderr);
  assertNoKeyLeak(
    keys.filter((k) => k !== printsKey),
    printsKey === undefined ? stdout : stdout.split(printsKey).join(''),
  );
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
  const printsKey = typeof options.printsKey === 'function' ? options.printsKey() : options.printsKey;
  assertNoKeyLeakExcept(printsKey, [...keysBefore, ...keysInPlay(argv, options, configDir)], stdout.text(), stderr.text());
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
