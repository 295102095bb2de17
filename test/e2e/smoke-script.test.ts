/** The users' CI smoke script, run as they would run it: without a key it checks the emulator. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

function runSmoke(env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string }> {
  const script = resolve(import.meta.dirname, '../smoke/smoke.mjs');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout }));
  });
}

it('test/smoke/smoke.mjs passes every check against the emulator and says so per check', async () => {
  const result = await runSmoke();
  expect(result.stdout).toMatch(/^mmx smoke test against the emulator at http:\/\/127\.0\.0\.1:\d+$/m);
  for (const check of ['login', 'status', 'quota', 'chat']) expect(result.stdout).toMatch(new RegExp(`^PASS ${check} \\(\\d+ ms\\)$`, 'm'));
  expect(result.stdout).toMatch(/^4 passed, 0 failed$/m);
  expect(result.code).toBe(0);
});

it('fails per check, exits non-zero and never prints the key when the API cannot be reached', async () => {
  const key = 'sk-cp-smoke-canary-0000000000000000000000000000';
  // A port on loopback where nothing listens: every check fails fast with a network error.
  const result = await runSmoke({ MINIMAX_API_KEY: key, MINIMAX_BASE_URL: 'http://127.0.0.1:9', MINIMAX_REGION: 'cn' });
  expect(result.stdout).toMatch(/^mmx smoke test against the MiniMax API$/m);
  expect(result.stdout).toMatch(/^FAIL login \(exit 0, \d+ ms\): warning: the key was not verified: /m);
  expect(result.stdout).toMatch(/^0 passed, 4 failed$/m);
  expect(result.stdout).not.toContain(key);
  expect(result.code).toBe(4);
});
