/**
 * Ctrl-C during a retry wait, with the built bin/mmx over a real socket: the
 * server answers 429 with "Retry-After: 5"; SIGINT a moment into the wait must
 * end the process at once with exit 130, not after the 5 s.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { BIN, isolatedHome } from '../helpers/spawn-cli.js';

let emulator: Emulator;
let server: EmulatorServer;
beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  emulator.setFault({
    kind: 'status',
    status: 429,
    headers: { 'Retry-After': '5' },
    body: { type: 'error', error: { type: 'rate_limit_error', message: 'rate limit exceeded (1002)' } },
  });
  server = await startEmulatorServer(emulator);
});
afterAll(async () => server.close());

describe('Ctrl-C during a retry wait', () => {
  it.each([['text'], ['json']])('--output %s: exit 130 within a second of SIGINT, no second request', async (output) => {
    emulator.requests.length = 0;
    const child = spawn(process.execPath, [BIN, 'quota', '--output', output, '--verbose'], {
      env: {
        PATH: process.env.PATH ?? '',
        ...isolatedHome(),
        MINIMAX_API_KEY: EMULATOR_KEYS.cn,
        MINIMAX_REGION: 'cn',
        MINIMAX_BASE_URL: server.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let interruptedAt = 0;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      // --verbose announces the wait as it starts: interrupt then, once.
      if (interruptedAt === 0 && stderr.includes('retrying in 5.0 s')) {
        interruptedAt = Date.now();
        setTimeout(() => child.kill('SIGINT'), 100);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const afterInterrupt = Date.now() - interruptedAt - 100;
    expect(interruptedAt).toBeGreaterThan(0);
    expect(code).toBe(130);
    expect(afterInterrupt).toBeLessThan(1_000);
    expect(emulator.requests).toHaveLength(1);
    expect(stdout).toBe('');
    if (output === 'text') expect(stderr.endsWith('\nInterrupted.\n')).toBe(true);
    else expect(JSON.parse(stderr.trimEnd().split('\n').at(-1) ?? '').error).toMatchObject({ code: 130, message: 'Interrupted.' });
  });
});
