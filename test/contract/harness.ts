/**
 * The contract suite's harness: scripts as users write them (`while read`, `$(…)`,
 * pipes), run by bash against the BUILT bin/mmx over real sockets. `mmx` on PATH is
 * a shim that execs bin/mmx; HOME is a throwaway directory whose ~/.mmx/config.json
 * holds what the test puts there (a logged-in global key by default, as an mmx-cli
 * user has); MINIMAX_GLOBAL_BASE_URL points the global host at the emulator and
 * MINIMAX_CN_BASE_URL the cn host at a port where nothing listens.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions, EmulatorServer, RecordedRequest } from '../../src/emulator/index.js';
import { expectNoKeyLeak } from '../helpers/leak.js';
import { BIN } from '../helpers/spawn-cli.js';

/** The global demo key: a logged-in user's key in these scripts. */
export const KEY = EMULATOR_KEYS.global;
/** A key the emulator does not know: every check of it is rejected with HTTP 401. */
export const REJECTED_KEY = 'sk-cp-contract-rejected-Qx7Lm2Vt9Rk4Nw8Zs3Hb6Jd1';
/** A loopback port where nothing listens: connections are refused at once. */
export const DEAD_URL = 'http://127.0.0.1:9';

export interface ScriptOptions {
  /** config.json's content; `null` for no config file. Default: the global key and region. */
  config?: Record<string, unknown> | null;
  /** Added to (or, with `undefined`, removed from) the environment the harness sets. */
  env?: Record<string, string | undefined>;
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** config.json after the script, parsed (its text when it is not JSON); undefined when there is none. */
  config: unknown;
  configFile: string;
}

export interface ContractApi {
  readonly emulator: Emulator;
  readonly url: string;
  /** Runs `bash -c source` with the built mmx first on PATH, in a fresh HOME. */
  sh(source: string, options?: ScriptOptions): Promise<ScriptResult>;
  /** The requests the emulator received since the test began. */
  readonly requests: RecordedRequest[];
}

const TIMEOUT_MS = 15_000;
const EVERY_KEY = [...Object.values(EMULATOR_KEYS), REJECTED_KEY];

/** Registers the suite's hooks: one emulator per file, reset before each test, and the `mmx` shim. */
export function useContractApi(options: EmulatorOptions = {}): ContractApi {
  let emulator: Emulator | undefined;
  let server: EmulatorServer | undefined;
  let shimDir = '';
  const homes: string[] = [];

  beforeAll(async () => {
    emulator = createEmulator({ region: 'global', ...options });
    server = await startEmulatorServer(emulator);
    shimDir = mkdtempSync(join(tmpdir(), 'mmx-contract-bin-'));
    writeFileSync(join(shimDir, 'mmx'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(shimDir, 'mmx'), 0o755);
  });
  afterAll(async () => {
    await server?.close();
    for (const dir of [shimDir, ...homes]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => emulator?.reset());

  const api: ContractApi = {
    get emulator() {
      if (emulator === undefined) throw new Error('useContractApi: used outside a test');
      return emulator;
    },
    get url() {
      if (server === undefined) throw new Error('useContractApi: used outside a test');
      return server.url;
    },
    get requests() {
      return api.emulator.requests;
    },
    async sh(source, { config = { api_key: KEY, region: 'global' }, env = {} } = {}) {
      const home = mkdtempSync(join(tmpdir(), 'mmx-contract-home-'));
      homes.push(home);
      const configFile = join(home, '.mmx', 'config.json');
      if (config !== null) {
        mkdirSync(join(home, '.mmx'), { mode: 0o700 });
        writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      }
      const fullEnv: Record<string, string> = {};
      const entries = Object.entries({
        PATH: `${shimDir}:${process.env.PATH ?? ''}`,
        HOME: home,
        TZ: 'UTC',
        MINIMAX_GLOBAL_BASE_URL: api.url,
        MINIMAX_CN_BASE_URL: DEAD_URL,
        ...env,
      });
      for (const [name, value] of entries) if (value !== undefined) fullEnv[name] = value;
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn('bash', ['-c', source], { cwd: home, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
      expectNoKeyLeak(result, ...EVERY_KEY);
      return { ...result, config: readConfig(configFile), configFile };
    },
  };
  return api;
}

function readConfig(file: string): unknown {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The JSON error document mmx writes to stderr when the output is JSON: one line,
 * the last (progress lines such as login's "Checking the key with …" come before it).
 */
export function jsonError(stderr: string): { code: number; message: string; hint?: string; api_code?: number } {
  const last = stderr.trimEnd().split('\n').at(-1) ?? '';
  return (JSON.parse(last) as { error: { code: number; message: string; hint?: string; api_code?: number } }).error;
}

/** What a chat request carried, as a script's author means it: the model, streaming, and each message. */
export function chatRequests(requests: readonly RecordedRequest[]) {
  return requests.map((r) => {
    const body = r.body as { model: string; stream?: boolean; max_tokens?: number; messages: { role: string; content: unknown }[] };
    return { path: `${r.method} ${r.path}`, model: body.model, stream: body.stream === true, messages: body.messages };
  });
}
