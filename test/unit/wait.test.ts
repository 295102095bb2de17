/**
 * The abortable wait: resolves after the injected sleep, rejects with exit 130 the
 * moment Ctrl-C aborts (whatever the sleep does), and the real timer is cleared on
 * abort so a process waiting 60 s exits at once.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { get } from '../../src/api/request.js';
import { InterruptedError } from '../../src/errors.js';
import { nodeTransport } from '../../src/http/transport.js';
import { orAbort, timerSleep, waitOrAbort } from '../../src/wait.js';

/** A sleep the test ends by hand; records what it was asked. */
function manualSleep() {
  const calls: Array<{ ms: number; signal: AbortSignal | undefined }> = [];
  let wake: (() => void) | undefined;
  return {
    calls,
    sleep: (ms: number, signal?: AbortSignal) => {
      calls.push({ ms, signal });
      return new Promise<void>((r) => (wake = r));
    },
    wake: () => wake?.(),
  };
}

const settled = async (promise: Promise<unknown>): Promise<string> => {
  const state = await Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((r) => setTimeout(() => r('pending'), 20)),
  ]);
  return state as string;
};

const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('waitOrAbort', () => {
  it('resolves when the sleep does, not before, and hands the sleep the duration and the signal', async () => {
    const manual = manualSleep();
    const controller = new AbortController();
    const wait = waitOrAbort(manual.sleep, 60_000, controller.signal);
    expect(await settled(wait)).toBe('pending');
    expect(manual.calls).toEqual([{ ms: 60_000, signal: controller.signal }]);
    manual.wake();
    expect(await settled(wait)).toBe('resolved');
  });

  it('rejects with InterruptedError (exit 130) at once on abort, though the sleep never ends', async () => {
    const manual = manualSleep();
    const controller = new AbortController();
    const wait = waitOrAbort(manual.sleep, 60_000, controller.signal);
    controller.abort(new Error('SIGINT'));
    await expect(wait).rejects.toBeInstanceOf(InterruptedError);
    await expect(wait).rejects.toMatchObject({ exitCode: 130 });
  });

  it('an already aborted signal rejects without sleeping', async () => {
    const manual = manualSleep();
    const controller = new AbortController();
    controller.abort();
    await expect(waitOrAbort(manual.sleep, 10, controller.signal)).rejects.toBeInstanceOf(InterruptedError);
    expect(manual.calls).toEqual([]);
  });

  it('a sleep that resolves because of the abort still means interrupted', async () => {
    const controller = new AbortController();
    const wait = waitOrAbort(timerSleep, 60_000, controller.signal);
    controller.abort();
    await expect(wait).rejects.toBeInstanceOf(InterruptedError);
  });

  it("passes on the sleep's own failure", async () => {
    const boom = new Error('boom');
    await expect(waitOrAbort(() => Promise.reject(boom), 10, new AbortController().signal)).rejects.toBe(boom);
  });
});

describe('orAbort', () => {
  it('settles as the promise does while the signal stays quiet', async () => {
    const signal = new AbortController().signal;
    await expect(orAbort(Promise.resolve(42), signal)).resolves.toBe(42);
    const boom = new Error('boom');
    await expect(orAbort(Promise.reject(boom), signal)).rejects.toBe(boom);
  });

  it('rejects with InterruptedError at once on abort; the abandoned promise failing later is not an unhandled rejection', async () => {
    const controller = new AbortController();
    let fail: ((e: Error) => void) | undefined;
    const pending = new Promise<never>((_, reject) => (fail = reject));
    const raced = orAbort(pending, controller.signal);
    controller.abort();
    await expect(raced).rejects.toBeInstanceOf(InterruptedError);
    fail?.(new Error('late failure'));
    await new Promise((r) => setTimeout(r, 10));
  });
});

describe('timerSleep', () => {
  it('waits about the given time', async () => {
    const started = performance.now();
    await timerSleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('clears its timer on abort, so nothing keeps the event loop alive', async () => {
    const before = activeTimers();
    const controller = new AbortController();
    const sleeping = timerSleep(60_000, controller.signal);
    expect(activeTimers()).toBe(before + 1);
    const started = performance.now();
    controller.abort();
    await sleeping;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(activeTimers()).toBe(before);
  });
});

describe('the real sleep of the built bundle (systemDeps)', () => {
  it('a process waiting 60 s exits at once when Ctrl-C aborts its signal', async () => {
    const bundle = resolve(import.meta.dirname, '../../dist/mmx.cjs');
    const script = `
      const { systemDeps } = require(${JSON.stringify(bundle)});
      const controller = new AbortController();
      const deps = systemDeps(controller);
      deps.sleep(60000).then(() => process.stdout.write('woke'));
      setTimeout(() => controller.abort(new Error('SIGINT')), 50);
    `;
    const started = Date.now();
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000); // a lingering timer would run 60 s
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(kill);
    expect(code).toBe(0);
    expect(out).toBe('woke');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('ApiClient retry pauses', () => {
  it('Ctrl-C during the wait between retries rejects at once with exit 130', async () => {
    // A port that answers 503 (retried), then the wait between attempts never ends unless aborted.
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const controller = new AbortController();
    const manual = manualSleep();
    try {
      const client = new ApiClient({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        region: 'cn',
        key: 'sk-cp-unit-test-key-1234567890',
        authStyle: 'auto',
        transport: nodeTransport(),
        timeoutMs: 5000,
        signal: controller.signal,
        maxRetries: 2,
        sleep: (ms, signal) => {
          setTimeout(() => controller.abort(), 10);
          return manual.sleep(ms, signal);
        },
        now: () => 0,
        userAgent: 'mmx-test',
      });
      await expect(client.send(get('/v1/token_plan/remains'))).rejects.toBeInstanceOf(InterruptedError);
      expect(requests).toBe(1);
      expect(manual.calls).toHaveLength(1);
      expect(manual.calls[0]?.signal).toBe(controller.signal);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
