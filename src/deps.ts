/**
 * The process boundary. `Deps` is everything mmx takes from the outside world;
 * tests build their own. Only `systemDeps()` (called from bin/) reads `process`.
 */
import type { ResponseLimits } from './api/limits.js';
import type { Env } from './config/settings.js';
import type { Transport } from './http/transport.js';

export interface OutStream {
  /** Text or bytes; the stream buffers what its reader has not taken yet (fine for lines and answers). */
  write(chunk: string | Uint8Array): void;
  /**
   * Writes, then resolves once the stream can take more (its reader caught up), so a large
   * binary piped out (`--out -`) is never held in memory. Resolves at once when closed.
   */
  writeAndDrain(chunk: string | Uint8Array): Promise<void>;
  /**
   * Undefined when the stream can take more now; else a promise that resolves once its reader
   * caught up (or it closed). A streamed answer waits on it between network chunks.
   */
  drain?(): Promise<void> | undefined;
  readonly isTTY: boolean;
  readonly columns?: number | undefined;
  /** True once the reader went away (EPIPE): output stops, the exit code is 0. */
  readonly closed?: boolean | undefined;
  /**
   * A write that failed for another reason (a full disk: ENOSPC, EIO): output stops and the run
   * ends with exit 1 and "write error: …" on stderr, so nothing is lost silently.
   */
  readonly writeError?: Error | undefined;
  /** Resolves once what was written has been handed to the system (or has failed), so `writeError` is known. */
  flush?(): Promise<void>;
}

export interface InStream {
  readonly isTTY: boolean;
  /** All of stdin as UTF-8 ('' for an empty or closed stdin). */
  readAll(): Promise<string>;
  /** Reads one line from the terminal without echo (stdin must be a TTY). */
  readSecret(prompt: string): Promise<string>;
  /** Asks on stderr and reads one line (echoed) from stdin, without its line break; '' at end of input. */
  readLine(prompt: string): Promise<string>;
}

/** What a prompt of the REPL got: a line (several joined by \n), Ctrl-C, or Ctrl-D / end of input. */
export type LineRead = { kind: 'line'; text: string } | { kind: 'interrupt'; typed: boolean } | { kind: 'end' };

/** An interactive terminal session (the REPL): line editing and history while typing, Ctrl-C while an answer streams. */
export interface LineEditor {
  read(prompt: string): Promise<LineRead>;
  /** Until the returned function is called, Ctrl-C calls `onInterrupt` (an answer is streaming). */
  watchInterrupt(onInterrupt: () => void): () => void;
  /** The entries typed, oldest first, with those it started with. */
  readonly history: readonly string[];
  close(): void;
}

export interface LineEditorOptions {
  history: readonly string[];
  historySize: number;
  completions: readonly string[];
  continuation: string;
}

export interface Deps {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Env;
  /** `$MMX_CONFIG_DIR`, else `~/.mmx`. */
  configDir: string;
  transport: Transport;
  now(): number;
  /**
   * Waits `ms`; an aborted `signal` ends the wait early (it resolves). Use it through
   * `waitOrAbort` (src/wait.ts), which turns an abort into InterruptedError at once.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Aborted on Ctrl-C (or when stdout's reader goes away). */
  signal: AbortSignal;
  /**
   * Opens an http(s) URL in the user's browser (the OAuth approval page). Resolves once the
   * opener started; rejects when there is none (a server without a desktop), which is no error
   * for the caller: the URL is always printed too.
   */
  openUrl(url: string): Promise<void>;
  /** A line editor on the terminal; absent when stdin or stdout is not one. */
  openLineEditor?(options: LineEditorOptions): Promise<LineEditor>;
  /** The directory of the running mmx package (`mmx update` says how to update it); absent when unknown. */
  installDir?: (() => string | undefined) | undefined;
  /** The user's home directory (`mmx agent setup` finds the agents' files under it); `env.HOME` when absent. */
  homeDir?: string | undefined;
  /** Uniform in [0, 1), for the jitter of retry waits; `Math.random` when absent (tests pin it). */
  random?: (() => number) | undefined;
  /** How much of a response may be held (api/limits.ts); tests shrink them, the real process keeps the defaults. */
  limits?: Partial<ResponseLimits> | undefined;
}
