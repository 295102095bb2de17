/**
 * Drives the real entry, `run(argv, deps)`, with memory IO, a temporary config
 * dir and the real node:http transport (which msw intercepts).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.js';
import type { Deps, InStream, OutStream } from '../../src/deps.js';
import { nodeTransport, type Transport } from '../../src/http/transport.js';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Text on stdin; undefined means stdin is a terminal with nothing typed. */
  stdin?: string;
  /** What the hidden prompt "reads" when stdin is a terminal. */
  secret?: string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  configDir?: string;
  transport?: Transport;
  now?: number;
  signal?: AbortSignal;
  /** Bytes stdout accepts before its reader goes away (EPIPE). */
  stdoutLimit?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  configDir: string;
  /** stdin reads and prompts that happened. */
  stdinReads: number;
  prompts: string[];
  json(): any;
  config(): any;
}

export function tempConfigDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'mmx-test-')), 'mmx');
}

function memoryOut(isTTY: boolean, limit = Infinity): OutStream & { text: () => string } {
  const parts: string[] = [];
  let size = 0;
  let closed = false;
  return {
    write(chunk: string) {
      if (closed) return;
      if (size + chunk.length > limit) {
        parts.push(chunk.slice(0, limit - size));
        closed = true;
        return;
      }
      size += chunk.length;
      parts.push(chunk);
    },
    isTTY,
    columns: isTTY ? 100 : undefined,
    get closed() {
      return closed;
    },
    text: () => parts.join(''),
  };
}

export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const configDir = options.configDir ?? tempConfigDir();
  const stdout = memoryOut(options.stdoutTTY ?? false, options.stdoutLimit);
  const stderr = memoryOut(options.stderrTTY ?? false);
  let stdinReads = 0;
  const prompts: string[] = [];
  const stdin: InStream = {
    isTTY: options.stdin === undefined,
    async readAll() {
      stdinReads++;
      return options.stdin ?? '';
    },
    async readSecret(prompt: string) {
      prompts.push(prompt);
      return options.secret ?? '';
    },
  };
  const deps: Deps = {
    stdout,
    stderr,
    stdin,
    env: { ...options.env },
    configDir,
    transport: options.transport ?? nodeTransport(),
    now: () => options.now ?? Date.parse('2026-11-28T12:00:00Z'),
    sleep: async () => undefined,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await run(argv, deps);
  return {
    code,
    stdout: stdout.text(),
    stderr: stderr.text(),
    configDir,
    stdinReads,
    prompts,
    json: () => JSON.parse(stdout.text()),
    config: () => JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')),
  };
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}
