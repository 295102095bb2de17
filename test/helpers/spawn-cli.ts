/**
 * Runs the built bin/mmx as a child process, with a clean environment (PATH and
 * a private HOME/MMX_CONFIG_DIR only), so packaging, argv and real stdout are
 * what is tested.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertNoKeyLeakExcept, storedKeys } from './run-cli.js';

export const BIN = resolve(import.meta.dirname, '../../bin/mmx');

export interface SpawnResult {
  code: number | null;
  stdout: string;
  /** stdout as the bytes written (binary output); not enumerable, so whole results still compare by their text. */
  readonly stdoutBytes: Buffer;
  stderr: string;
}

export function isolatedHome(): { HOME: string; MMX_CONFIG_DIR: string } {
  const home = mkdtempSync(join(tmpdir(), 'mmx-home-'));
  return { HOME: home, MMX_CONFIG_DIR: join(home, '.mmx') };
}

export function spawnMmx(
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    stdin?: string;
    timeoutMs?: number;
    /** another copy of bin/mmx */ bin?: string;
    /** The working directory (default: this process's). */
    cwd?: string;
    /** The one credential this run is meant to print on stdout (`mmx auth token`); see run-cli.ts. */
    printsKey?: string;
  } = {},
): Promise<SpawnResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const stdout = stdoutBytes.toString('utf8');
      const keys = [options.env?.MINIMAX_API_KEY, ...args.filter((_, i) => args[i - 1] === '--api-key')];
      if (args.includes('-') && options.stdin) keys.push(options.stdin.trim());
      if (options.env?.MMX_CONFIG_DIR) keys.push(...storedKeys(options.env.MMX_CONFIG_DIR));
      try {
        assertNoKeyLeakExcept(
          options.printsKey,
          keys.filter((k): k is string => typeof k === 'string' && k.length >= 12),
          stdout,
          stderr,
        );
      } catch (error) {
        reject(error);
        return;
      }
      resolvePromise(
        Object.defineProperty({ code, stdout, stderr }, 'stdoutBytes', { value: stdoutBytes, enumerable: false }) as SpawnResult,
      );
    });
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  });
}
