/**
 * poll() inside the real entry (the test-only `__harness` command) on an injected
 * clock: what was fetched and how long each wait was, the deadline, Ctrl-C during
 * a wait or a check, a failed task, and what the user is told in text and JSON.
 */
import { describe, expect, it, vi } from 'vitest';
import { poll } from '../../src/api/poll.js';
import type { Context } from '../../src/cli/context.js';
import { ApiError, NetworkError, exitCodeForApi } from '../../src/errors.js';
import { runAction } from '../helpers/harness.js';
import { type RunOptions, fakeClock } from '../helpers/run-cli.js';

vi.mock(import('../../src/cli/registry.js'), async (original) =>
  (await import('../helpers/harness-command.js')).withHarness(await original()),
);

interface Task {
  status: 'Queueing' | 'Processing' | 'Success' | 'Fail';
  file_id?: string;
  base_resp?: { status_code: number; status_msg: string };
}

const RESUME = 'mmx video task get --task-id 123 --wait';

/** A task that answers `states` in turn (the last one from then on), counting the checks. */
function scripted(...states: Task[]) {
  const calls: number[] = [];
  return {
    calls,
    fetch: (clock: { now(): number }) => async (): Promise<Task> => {
      calls.push(clock.now());
      return states[Math.min(calls.length - 1, states.length - 1)] as Task;
    },
  };
}

const options = (overrides: Partial<Parameters<typeof poll<Task>>[2]> = {}): Parameters<typeof poll<Task>>[2] => ({
  everyMs: 10_000,
  deadlineMs: 600_000,
  done: (t) => t.status === 'Success',
  failed: (t) =>
    t.status === 'Fail'
      ? new ApiError(exitCodeForApi({ apiCode: t.base_resp?.status_code }), `Task 123 failed: ${t.base_resp?.status_msg}`, {
          apiCode: t.base_resp?.status_code,
        })
      : undefined,
  taskId: '123',
  resume: RESUME,
  describe: (t) => t.status,
  ...overrides,
});

/** Runs poll as a command would: the final task as the result. */
function pollAction(fetch: () => Promise<Task>, opts = options()) {
  return async (ctx: Context) => {
    const task = await poll(ctx, fetch, opts);
    ctx.result(task, () => `done: ${task.file_id}`);
  };
}

const run = (argv: string[], action: ReturnType<typeof pollAction>, runOptions: RunOptions = {}) =>
  runAction(argv, action, { stdin: '', ...runOptions });

describe('poll', () => {
  it('a ten-minute wait runs in milliseconds: one check per interval, each wait as asked', async () => {
    const clock = fakeClock(0);
    const task = scripted(...Array.from({ length: 59 }, () => ({ status: 'Processing' }) as Task), { status: 'Success', file_id: 'f-9' });
    const started = performance.now();
    const r = await run(['--output', 'json'], pollAction(task.fetch(clock)), { clock });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ status: 'Success', file_id: 'f-9' });
    expect(task.calls).toHaveLength(60);
    expect(task.calls.at(-1)).toBe(590_000);
    expect(clock.sleeps).toEqual(Array.from({ length: 59 }, () => 10_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('done at the first check: no wait at all', async () => {
    const clock = fakeClock(0);
    const task = scripted({ status: 'Success', file_id: 'f-1' });
    const r = await run(['--output', 'json'], pollAction(task.fetch(clock)), { clock });
    expect(r.code).toBe(0);
    expect(task.calls).toEqual([0]);
    expect(clock.sleeps).toEqual([]);
  });

  it('the deadline: the last wait is cut to it, one last check on it, then exit 5 with the resume command', async () => {
    const clock = fakeClock(0);
    const task = scripted({ status: 'Processing' });
    const r = await run(['--output', 'json'], pollAction(task.fetch(clock), options({ deadlineMs: 25_000 })), { clock });
    expect(r.code).toBe(5);
    expect(task.calls).toEqual([0, 10_000, 20_000, 25_000]);
    expect(clock.sleeps).toEqual([10_000, 10_000, 5_000]);
    expect(JSON.parse(r.stderr).error).toEqual({
      code: 5,
      message: 'Task 123 is not done after 25 s (Processing).',
      hint: `It keeps running on the server; check on it with: ${RESUME}`,
      task_id: '123',
    });
  });

  it('the deadline in text: the message and the resume command', async () => {
    const clock = fakeClock(0);
    const r = await run(['--output', 'text'], pollAction(scripted({ status: 'Queueing' }).fetch(clock), options({ deadlineMs: 10_000 })), {
      clock,
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `Error: Task 123 is not done after 10 s (Queueing).\n  It keeps running on the server; check on it with: ${RESUME}\n`,
    );
  });

  it('a failed task: the error `failed` gives (its exit code), with task_id in JSON', async () => {
    const clock = fakeClock(0);
    const task = scripted(
      { status: 'Processing' },
      { status: 'Fail', base_resp: { status_code: 1026, status_msg: 'input new_sensitive' } },
    );
    const r = await run(['--output', 'json'], pollAction(task.fetch(clock)), { clock });
    expect(r.code).toBe(10);
    expect(task.calls).toHaveLength(2);
    expect(JSON.parse(r.stderr).error).toEqual({
      code: 10,
      message: 'Task 123 failed: input new_sensitive',
      api_code: 1026,
      task_id: '123',
    });
  });

  it('a check that fails (the network): its error, with task_id in JSON', async () => {
    const clock = fakeClock(0);
    const fetch = async (): Promise<Task> => {
      throw new NetworkError('Cannot reach https://api.minimax.io: connection reset (ECONNRESET).');
    };
    const r = await run(['--output', 'json'], pollAction(fetch), { clock });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 6, task_id: '123' });
  });

  it('--verbose logs each check with the status and the next wait', async () => {
    const clock = fakeClock(0);
    const task = scripted({ status: 'Queueing' }, { status: 'Processing' }, { status: 'Success' });
    const r = await run(['--output', 'json', '--verbose'], pollAction(task.fetch(clock), options({ everyMs: 5000 })), { clock });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('* task 123: Queueing after 0 s; next check in 5 s\n* task 123: Processing after 5 s; next check in 5 s\n');
  });
});

describe('poll: Ctrl-C', () => {
  /** A sleep that never ends on its own, and Ctrl-C shortly after the first wait begins. */
  function endlessWait(controller: AbortController) {
    const sleeps: number[] = [];
    return {
      sleeps,
      clock: {
        now: () => 0,
        sleep: (ms: number) => {
          sleeps.push(ms);
          setTimeout(() => controller.abort(new Error('SIGINT')), 10);
          return new Promise<void>(() => undefined);
        },
      },
    };
  }

  it('during a wait: exit 130 at once, the task id and the resume command after "Interrupted."', async () => {
    const controller = new AbortController();
    const wait = endlessWait(controller);
    const task = scripted({ status: 'Processing' });
    const started = performance.now();
    const r = await run(['--output', 'text'], pollAction(task.fetch(wait.clock)), { clock: wait.clock, signal: controller.signal });
    expect(r.code).toBe(130);
    expect(performance.now() - started).toBeLessThan(2000); // the 10 s wait never ends by itself
    expect(wait.sleeps).toEqual([10_000]);
    expect(task.calls).toHaveLength(1);
    expect(r.stderr).toBe(`\nInterrupted.\nTask 123 keeps running on the server; resume with: ${RESUME}\n`);
  });

  it('during a wait, in JSON: the error object carries task_id and the hint', async () => {
    const controller = new AbortController();
    const wait = endlessWait(controller);
    const r = await run(['--output', 'json'], pollAction(scripted({ status: 'Processing' }).fetch(wait.clock)), {
      clock: wait.clock,
      signal: controller.signal,
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error).toEqual({
      code: 130,
      message: 'Interrupted.',
      hint: `Task 123 keeps running on the server; resume with: ${RESUME}`,
      task_id: '123',
    });
  });

  it('during a check that hangs: exit 130 at once, with the task id', async () => {
    const controller = new AbortController();
    let checks = 0;
    const fetch = () => {
      checks++;
      setTimeout(() => controller.abort(new Error('SIGINT')), 10);
      return new Promise<Task>(() => undefined);
    };
    const r = await run(['--output', 'json'], pollAction(fetch), { signal: controller.signal });
    expect(r.code).toBe(130);
    expect(checks).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 130, task_id: '123' });
  });
});

describe('poll: progress', () => {
  it('Ctrl-C on a terminal: the line is erased and its timer cleared before "Interrupted."', async () => {
    const controller = new AbortController();
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const clears = vi.spyOn(globalThis, 'clearInterval');
    const clock = {
      now: () => 0,
      sleep: () => {
        setTimeout(() => controller.abort(new Error('SIGINT')), 30);
        return new Promise<void>(() => undefined);
      },
    };
    const r = await run(['--output', 'text'], pollAction(scripted({ status: 'Processing' }).fetch(clock)), {
      clock,
      signal: controller.signal,
      stderrTTY: true,
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^\r⠋ task 123 · 0 s\u001b\[K/);
    expect(r.stderr.endsWith(`\r\u001b[K\nInterrupted.\nTask 123 keeps running on the server; resume with: ${RESUME}\n`)).toBe(true);
    expect(intervals).toHaveBeenCalledTimes(1);
    expect(clears).toHaveBeenCalledWith(intervals.mock.results[0]?.value);
  });

  it('on a terminal: a spinner line with the status, the elapsed seconds and the next check, cleared at the end', async () => {
    const clock = fakeClock(0);
    const task = scripted({ status: 'Processing' }, { status: 'Success' });
    // The real redraw timer runs while the fake sleep is held for 150 ms of real time, before the clock moves on.
    const slow = {
      now: clock.now,
      sleep: async (ms: number) => {
        await new Promise<void>((r) => setTimeout(r, 150));
        await clock.sleep(ms);
      },
    };
    const r = await run(['--output', 'text'], pollAction(task.fetch(clock), options({ everyMs: 8000 })), { clock: slow, stderrTTY: true });
    expect(r.code).toBe(0);
    const frames = r.stderr.split('\r').slice(1);
    expect(frames.some((f) => /^. task 123: Processing · 0 s · next check in 8 s\u001b\[K$/.test(f))).toBe(true);
    expect(frames[0]).toBe('⠋ task 123 · 0 s\u001b[K');
    expect(frames.at(-1)).toBe('\u001b[K');
  });
});
