/** --timeout bounds connect + headers; --idle-timeout ends a stream that stops sending. Both exit 5 and say which fired. */
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };

describe('timeouts', () => {
  it('a stalled stream ends with exit 5, keeps the partial answer, and names --idle-timeout', async () => {
    api.cn.setFault({ kind: 'slow-stream', ms: 400 });
    const r = await runCli(['text', 'chat', '--message', 'hi', '--stream', '--output', 'json', '--idle-timeout', '0.1'], { env });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    const error = JSON.parse(r.stderr).error;
    expect(error.message).toMatch(/sent nothing for 0\.1 s \(--idle-timeout\)/);
    // Stalled before any text: nothing to keep.
    expect(error.partial_text).toBe('');
  });

  const COUNT = 'one two three four five six seven eight';

  it('an idle timeout after some text keeps exactly that text: in partial_text (JSON), on stdout (text)', async () => {
    api.use('cn', { reply: () => ({ text: COUNT }), textDeltaSize: 4 });
    api.cn.setFault({ kind: 'stall-stream', afterTextDeltas: 2 });
    const json = await runCli(['text', 'chat', '--message', 'count', '--stream', '--output', 'json', '--idle-timeout', '0.2'], { env });
    expect(json.code).toBe(5);
    expect(json.stdout).toBe('');
    const error = JSON.parse(json.stderr).error;
    expect(error.message).toBe('The stream sent nothing for 0.2 s (--idle-timeout); the answer is incomplete.');
    expect(error.partial_text).toBe('one two ');

    const text = await runCli(['text', 'chat', '--message', 'count', '--stream', '--output', 'text', '--idle-timeout', '0.2'], { env });
    expect(text.code).toBe(5);
    expect(text.stdout).toBe('one two \n');
  });

  it('the idle timeout bounds each gap, not the whole answer: short gaps over a long total succeed', async () => {
    // 12 text deltas 60 ms apart (about 1 s in all) under a 0.3 s idle timeout.
    api.use('cn', { reply: () => ({ text: COUNT }), textDeltaSize: 4 });
    api.cn.setFault({ kind: 'slow-stream', ms: 60 });
    const started = Date.now();
    const r = await runCli(['text', 'chat', '--message', 'count', '--stream', '--output', 'json', '--idle-timeout', '0.3'], { env });
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(r.json().content).toBe(COUNT);
  });

  it('no response headers within --timeout: exit 5 naming --timeout, no retry of our own timeout', async () => {
    api.cn.setFault({ kind: 'slow-first-byte', ms: 400 });
    const r = await runCli(['quota', '--output', 'json', '--timeout', '0.1'], { env });
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stderr).error.message).toMatch(/within 0\.1 s \(--timeout\)/);
    expect(api.cn.requests).toHaveLength(1);
  });

  it('bad --idle-timeout and MINIMAX_IDLE_TIMEOUT values are usage errors naming them', async () => {
    const flag = await runCli(['quota', '--idle-timeout', '-1'], { env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--idle-timeout');
    const fromEnv = await runCli(['quota'], { env: { ...env, MINIMAX_IDLE_TIMEOUT: 'soon' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('MINIMAX_IDLE_TIMEOUT');
  });
});
