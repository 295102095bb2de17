/**
 * The built bin/mmx over real sockets, in both regions: the API emulator on one
 * loopback port and its CDN stand-in on another. Images and videos are made,
 * waited for, fetched and saved; the API gets Bearer on every request, the CDN
 * never a key; Ctrl-C during a wait is exit 130 with the command that resumes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createCdn, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Cdn, Emulator, EmulatorServer, Region } from '../../src/emulator/index.js';
import { BIN, isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

interface Stack {
  emulator: Emulator;
  store: Cdn;
  api: EmulatorServer;
  cdn: EmulatorServer;
}

async function stack(region: Region, videoPolls: number): Promise<Stack> {
  const store = createCdn();
  const cdn = await startEmulatorServer(store);
  const emulator = createEmulator({ region, cdn: { store, origin: cdn.url }, media: { videoPolls, videoBytes: 300_000 } });
  const api = await startEmulatorServer(emulator);
  return { emulator, store, api, cdn };
}

const stacks = new Map<Region, Stack>();
beforeAll(async () => {
  for (const region of ['cn', 'global'] as const) stacks.set(region, await stack(region, 1));
});
afterAll(async () => {
  for (const s of stacks.values()) await Promise.all([s.api.close(), s.cdn.close()]);
});

const keyOf = (region: Region) => (region === 'cn' ? EMULATOR_KEYS.cn : EMULATOR_KEYS.global);
const envFor = (region: Region, s: Stack) => ({
  ...isolatedHome(),
  MINIMAX_API_KEY: keyOf(region),
  MINIMAX_REGION: region,
  MINIMAX_BASE_URL: s.api.url,
});

describe.each(['cn', 'global'] as const)('media commands over sockets, %s', (region) => {
  it('image generate, video generate (v1 and v2), video task get, video download: Bearer to the API, nothing to the CDN', async () => {
    const s = stacks.get(region) as Stack;
    s.emulator.reset();
    s.store.requests.length = 0;
    const env = envFor(region, s);
    const dir = mkdtempSync(join(tmpdir(), 'mmx-e2e-media-'));

    const images = await spawnMmx(['image', 'a lighthouse', '--n', '2', '--out-dir', dir, '--output', 'json'], { env });
    expect(images.code).toBe(0);
    expect(JSON.parse(images.stdout).saved).toEqual([join(dir, 'image_001.jpg'), join(dir, 'image_002.jpg')]);

    const v1 = await spawnMmx(
      ['video', 'generate', '--prompt', 'waves', '--poll-interval', '1', '--download', join(dir, 'v1.mp4'), '--output', 'json'],
      {
        env,
      },
    );
    expect(v1.code).toBe(0);
    const made = JSON.parse(v1.stdout);
    expect(made).toMatchObject({ status: 'Success', saved: join(dir, 'v1.mp4'), bytes: 300_000 });

    const h3 = await spawnMmx(['video', 'generate', '--model', 'MiniMax-H3', '--prompt', 'waves', '--async'], { env });
    expect(h3.code).toBe(0);
    const { taskId } = JSON.parse(h3.stdout);
    const waited = await spawnMmx(
      ['video', 'task', 'get', '--task-id', taskId, '--model', 'MiniMax-H3', '--wait', '--poll-interval', '1', '--output', 'json'],
      {
        env,
      },
    );
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({
      task_id: taskId,
      status: 'succeeded',
      url: expect.stringMatching(new RegExp(`^${s.cdn.url}/`)),
    });

    const again = await spawnMmx(['video', 'download', '--file-id', made.file_id, '--out', join(dir, 'again.mp4'), '--quiet'], { env });
    expect(again).toMatchObject({ code: 0, stdout: `${join(dir, 'again.mp4')}\n` });
    expect(readFileSync(join(dir, 'again.mp4')).equals(readFileSync(join(dir, 'v1.mp4')))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['again.mp4', 'image_001.jpg', 'image_002.jpg', 'v1.mp4']);

    for (const request of s.emulator.requests) expect(request.headers.authorization).toBe(`Bearer ${keyOf(region)}`);
    expect(s.store.requests).toHaveLength(4); // two images, the v1 video twice
    for (const request of s.store.requests) {
      expect(Object.keys(request.headers).sort()).toEqual(['connection', 'host', 'user-agent']);
      expect(JSON.stringify(request)).not.toContain(keyOf(region));
    }
  });
});

describe('Ctrl-C during a wait, as a process', () => {
  it('exit 130, "Interrupted." and the command that resumes the task', async () => {
    const s = await stack('cn', 1000);
    try {
      const child = spawn(process.execPath, [BIN, 'video', 'generate', '--prompt', 'slow', '--poll-interval', '1', '--output', 'text'], {
        env: { PATH: process.env.PATH ?? '', ...envFor('cn', s) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const timer = setInterval(() => {
        if (s.emulator.requests.some((r) => r.path === '/v1/query/video_generation')) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 20);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearInterval(timer);
      expect(code).toBe(130);
      const taskId = s.emulator.requests.find((r) => r.path === '/v1/query/video_generation')?.query.task_id;
      expect(stderr).toContain('\nInterrupted.\n');
      expect(stderr).toContain(`Task ${taskId} keeps running on the server; resume with: mmx video task get --task-id ${taskId} --wait`);
      expect(s.emulator.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    } finally {
      await Promise.all([s.api.close(), s.cdn.close()]);
    }
  });
});
