/**
 * `text chat` for a person at a terminal, as mmx-cli: a spinner on stderr while
 * the answer is awaited (never in pipes, JSON mode, under --quiet or in CI, where
 * the drawing code is not even loaded), retries said so, and "Enter your
 * message:" when nothing was given.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const CHAT = ['text', 'chat', '--message', 'hi'];
const ANSWER = 'Hello! I am the MiniMax emulator. How can I help you today?';
const terminal = { stdoutTTY: true, stderrTTY: true };

afterEach(() => vi.restoreAllMocks());

describe('the spinner', () => {
  it('on a terminal: drawn on stderr while waiting, erased before the answer; the answer alone on stdout', async () => {
    for (const stream of ['--stream', '--no-stream']) {
      const r = await runCli([...CHAT, stream], { env, ...terminal });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${ANSWER}\n`);
      expect(r.stderr).toMatch(/^\r⠋ Waiting for the answer · 0 s\u001b\[K/);
      expect(r.stderr.endsWith('\r\u001b[K')).toBe(true); // the line is erased
    }
  });

  it.each([
    ['stderr is not a terminal', { stdoutTTY: true, stderrTTY: false }, []],
    ['JSON output', terminal, ['--output', 'json']],
    ['--quiet', terminal, ['--quiet']],
    ['CI is set', { ...terminal, env: { ...env, CI: 'github' } }, []],
  ] as const)('not when %s: nothing on stderr and no timer', async (_name, options, args) => {
    const interval = vi.spyOn(globalThis, 'setInterval');
    const r = await runCli([...CHAT, ...args], { env, ...options });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(interval).not.toHaveBeenCalled();
  });

  it('a retry is said in the progress line, on a terminal only', async () => {
    api.cn.enqueueFault({ kind: 'overloaded' });
    const r = await runCli(CHAT, { env, ...terminal });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Waiting for the answer: HTTP 529 \(2064\); retrying in \d+\.\d s \(attempt 2 of 3\)/);
    api.cn.enqueueFault({ kind: 'overloaded' });
    const piped = await runCli([...CHAT, '--output', 'text'], { env });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('without a progress line (quota) a retry is one line of its own on a terminal', async () => {
    api.cn.enqueueFault({ kind: 'status', status: 503, body: { error: 'busy' } });
    const r = await runCli(['quota', '--output', 'text'], { env: { ...env, NO_COLOR: '1' }, stdoutTTY: true, stderrTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^HTTP 503; retrying in \d+\.\d s \(attempt 2 of 3\)\n$/);
  });
});

describe('no message on a terminal', () => {
  it('asks "Enter your message:" and sends the answer', async () => {
    const r = await runCli(['text', 'chat', '--output', 'json'], { env, stdoutTTY: true, answer: 'typed question' });
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(['Enter your message: ']);
    expect(api.cn.requests.at(-1)?.body).toMatchObject({ messages: [{ role: 'user', content: 'typed question' }] });
  });

  it('an empty answer cancels (exit 1, nothing sent); CI or --non-interactive never asks (exit 2)', async () => {
    const empty = await runCli(['text', 'chat', '--output', 'json'], { env, stdoutTTY: true, answer: '' });
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.stderr).error.message).toBe('Chat cancelled: no message entered.');
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ ...env, CI: 'true' }, []],
      [env, ['--non-interactive']],
    ];
    for (const [caseEnv, args] of cases) {
      const r = await runCli(['text', 'chat', '--output', 'json', ...args], { env: caseEnv, stdoutTTY: true, answer: 'x' });
      expect(r.code).toBe(2);
      expect(r.prompts).toEqual([]);
    }
    expect(api.cn.requests).toEqual([]);
  });
});
