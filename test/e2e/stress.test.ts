/**
 * The built bin/mmx under stress, over real sockets and real file descriptors:
 * servers that stall after the headers, Ctrl-C (SIGINT to the child) while a
 * stream or stdin is pending, and stdout that cannot be written (/dev/full).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { EmulatorServer } from '../../src/emulator/index.js';
import { type RawServer, startRawServer } from '../helpers/raw-server.js';
import { BIN, isolatedHome } from '../helpers/spawn-cli.js';

const KEY = 'sk-cp-stress-0123456789abcdefghij';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from `mark()` (or the start) to the child's exit. */
  ms: number;
}

/** bin/mmx as a child whose exit is timed from the moment the test marks (a SIGINT sent, a request seen). */
function startMmx(
  args: string[],
  env: Record<string, string>,
  stdio: { stdin?: 'pipe' | 'ignore'; stdout?: 'pipe' | number; uid?: number; bin?: string } = {},
): { child: ChildProcess; mark(): void; done: Promise<Finished> } {
  const child = spawn(process.execPath, [stdio.bin ?? BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...isolatedHome(), ...env },
    stdio: [stdio.stdin ?? 'ignore', stdio.stdout ?? 'pipe', 'pipe'],
    ...(stdio.uid === undefined ? {} : { uid: stdio.uid, gid: stdio.uid }),
  });
  let from = performance.now();
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr, ms: performance.now() - from });
    });
  });
  return { child, mark: () => (from = performance.now()), done };
}

const MESSAGE_START =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"MiniMax-M3","content":[],"usage":{}}}\n\n';

describe('a stream that goes silent after its headers and one event', () => {
  let stalled: RawServer;
  /** Called when the server has sent its one event (and will send nothing more). */
  let onEventSent: () => void = () => undefined;
  beforeAll(async () => {
    stalled = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(MESSAGE_START, () => onEventSent());
    });
  });
  afterAll(() => stalled.close());

  const chat = (output: string, extra: string[] = []) => [
    'text',
    'chat',
    '--message',
    'hi',
    '--stream',
    '--output',
    output,
    '--base-url',
    stalled.url,
    ...extra,
  ];

  for (const output of ['text', 'json']) {
    it(`the first SIGINT ends it at once: exit 130, "Interrupted." (--output ${output}), the connection closed`, async () => {
      const sent = new Promise<void>((r) => (onEventSent = r));
      const run = startMmx(chat(output), { MINIMAX_API_KEY: KEY });
      await sent;
      await new Promise((r) => setTimeout(r, 200)); // the child is now waiting for a byte that never comes
      run.mark();
      run.child.kill('SIGINT');
      const r = await run.done;
      expect(r.code).toBe(130);
      expect(r.ms).toBeLessThan(1000);
      if (output === 'text') expect(r.stderr).toBe('\nInterrupted.\n');
      else expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 130, message: 'Interrupted.' } });
      await stalled.closed; // the client tore the connection down
    });
  }

  it('--idle-timeout 1: exit 5 after about a second, naming the limit', async () => {
    const sent = new Promise<void>((r) => (onEventSent = r));
    const run = startMmx(chat('text', ['--idle-timeout', '1']), { MINIMAX_API_KEY: KEY });
    await sent;
    run.mark();
    const r = await run.done;
    expect(r.code).toBe(5);
    expect(r.ms).toBeGreaterThan(700);
    expect(r.ms).toBeLessThan(2500);
    expect(r.stderr).toContain('The stream sent nothing for 1 s (--idle-timeout)');
    await stalled.closed; // the client tore the connection down
  });

  it('a slow stream (a keep-alive comment every 2 s) does not make SIGINT wait for its next byte', async () => {
    const slow = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(MESSAGE_START);
      const timer = setInterval(() => res.write(':\n\n'), 2000);
      res.on('close', () => clearInterval(timer));
    });
    try {
      const run = startMmx(['text', 'chat', '--message', 'hi', '--stream', '--output', 'text', '--base-url', slow.url], {
        MINIMAX_API_KEY: KEY,
      });
      await new Promise((r) => setTimeout(r, 700));
      run.mark();
      run.child.kill('SIGINT');
      const r = await run.done;
      expect(r.code).toBe(130);
      expect(r.ms).toBeLessThan(1000);
      expect(r.stderr).toBe('\nInterrupted.\n');
    } finally {
      await slow.close();
    }
  });
});

describe('Ctrl-C while stdin is being read', () => {
  it('a pipe that never ends (--stdin): the first SIGINT exits 130 at once', async () => {
    const run = startMmx(
      ['text', 'chat', '--stdin', '--message', 'summarise', '--base-url', 'http://127.0.0.1:9'],
      { MINIMAX_API_KEY: KEY },
      {
        stdin: 'pipe',
      },
    );
    run.child.stdin?.write('part of the input, and then nothing more');
    await new Promise((r) => setTimeout(r, 500));
    run.mark();
    run.child.kill('SIGINT');
    const r = await run.done;
    run.child.stdin?.destroy();
    expect(r.code).toBe(130);
    expect(r.ms).toBeLessThan(1000);
    expect(r.stderr).toContain('Interrupted.');
  });

  it('--api-key - waiting on a pipe: the first SIGINT exits 130 at once', async () => {
    const run = startMmx(['auth', 'login', '--api-key', '-', '--base-url', 'http://127.0.0.1:9'], {}, { stdin: 'pipe' });
    await new Promise((r) => setTimeout(r, 500));
    run.mark();
    run.child.kill('SIGINT');
    const r = await run.done;
    run.child.stdin?.destroy();
    expect(r.code).toBe(130);
    expect(r.ms).toBeLessThan(1000);
  });
});

// Linux: every write to /dev/full fails with ENOSPC.
describe.runIf(existsSync('/dev/full'))('stdout that cannot be written (/dev/full)', () => {
  let emulator: EmulatorServer;
  beforeAll(async () => {
    emulator = await startEmulatorServer(createEmulator({ region: 'cn', reply: () => ({ text: 'word '.repeat(20_000) }) }));
  });
  afterAll(() => emulator.close());

  const env = () => ({ MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn', MINIMAX_BASE_URL: emulator.url });
  const toDevFull = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const fd = openSync('/dev/full', 'w');
    try {
      return await startMmx(args, { ...env(), ...extraEnv }, { stdout: fd }).done;
    } finally {
      closeSync(fd);
    }
  };

  const cases: Array<[string, string[]]> = [
    ['--version (the fast path)', ['--version']],
    ['--help (the fast path)', ['--help']],
    ['quota --help (the fast path)', ['quota', '--help']],
    ['auth status', ['auth', 'status', '--output', 'text']],
    ['auth status --output json', ['auth', 'status', '--output', 'json']],
    ['quota', ['quota', '--output', 'text']],
    ['text chat', ['text', 'chat', '--message', 'hi', '--output', 'text', '--no-stream']],
    ['text chat --stream', ['text', 'chat', '--message', 'hi', '--output', 'text', '--stream']],
    ['config show', ['config', 'show']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: exit 1 with "write error" on stderr, no stack trace`, async () => {
      const r = await toDevFull(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/write error: no space left on device \(ENOSPC\)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toContain('This is a bug');
      expect(r.stderr).not.toContain('Interrupted');
    });
  }

  it('the error follows --output json', async () => {
    const r = await toDevFull(['quota', '--output', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 1, message: 'write error: no space left on device (ENOSPC).' } });
  });

  it('a reader that left (EPIPE) is still exit 0, on the fast path too', async () => {
    for (const args of [['--help'], ['config', 'show']]) {
      const run = startMmx(args, env());
      run.child.stdout?.destroy();
      const r = await run.done;
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
    }
  });
});

describe('a config directory mmx cannot write (read-only, or owned by someone else)', () => {
  // As root every directory is writable, so the child runs as nobody against a root-owned one;
  // as anyone else, against a directory without write permission.
  const asRoot = process.getuid?.() === 0;
  const NOBODY = 65534;
  // nobody must be able to read the package it runs, and a clone may sit in a 0700 directory
  // (mktemp -d): a world-readable copy of what bin/mmx needs at run time (bin/, dist/, package.json).
  let bin = BIN;
  beforeAll(() => {
    if (!asRoot) return;
    const copy = mkdtempSync(join(tmpdir(), 'mmx-pkg-'));
    chmodSync(copy, 0o755);
    const root = join(BIN, '..', '..');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(root, part), join(copy, part), { recursive: true });
    bin = join(copy, 'bin', 'mmx');
  });
  /** A config directory the child cannot write, holding `config` when given. */
  const lockedDir = (config?: Record<string, unknown>): { dir: string; uid: number | undefined } => {
    const parent = mkdtempSync(join(tmpdir(), 'mmx-ro-'));
    chmodSync(parent, 0o755);
    const dir = join(parent, 'mmx');
    mkdirSync(dir, { mode: 0o755 });
    if (config) writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o644 });
    if (!asRoot) chmodSync(dir, 0o500);
    return { dir, uid: asRoot ? NOBODY : undefined };
  };

  const cases: Array<[string, string[], { sub?: boolean; config?: Record<string, unknown> }]> = [
    ['config set', ['config', 'set', 'region', 'cn'], {}],
    ['config set, into a directory mmx would create there', ['config', 'set', 'region', 'cn'], { sub: true }],
    [
      'auth login (a host that cannot be reached: saved unverified)',
      ['auth', 'login', '--api-key', KEY, '--base-url', 'http://127.0.0.1:9'],
      {},
    ],
    ['auth logout', ['auth', 'logout'], { config: { api_key: KEY } }],
  ];
  for (const [name, args, setup] of cases) {
    it(`${name}: exit 1 naming the path, no "This is a bug", at once`, async () => {
      const { dir, uid } = lockedDir(setup.config);
      const configDir = setup.sub ? join(dir, 'sub') : dir;
      const r = await startMmx([...args, '--output', 'text', '--max-retries', '0'], { MMX_CONFIG_DIR: configDir }, { uid, bin }).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Error: Cannot write ${join(configDir, 'config.json')}: permission denied (EACCES).`);
      expect(r.stderr).toContain('make it writable by you, or set MMX_CONFIG_DIR to a directory you own.');
      expect(r.stderr).not.toContain('This is a bug');
      expect(r.ms).toBeLessThan(3000); // not after the lock's retries
      if (setup.config) expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual(setup.config);
    });
  }
});
