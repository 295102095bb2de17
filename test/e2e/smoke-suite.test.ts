/**
 * The smoke suite: the built bin/mmx as a process against two emulators over
 * real sockets, one per region, found through MINIMAX_GLOBAL_BASE_URL and
 * MINIMAX_CN_BASE_URL. What bin.test.ts does not already cover.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { BIN, isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const emulators: Record<'cn' | 'global', { emulator: Emulator; server?: EmulatorServer }> = {
  cn: { emulator: createEmulator({ region: 'cn' }) },
  global: { emulator: createEmulator({ region: 'global', strictAuth: true }) },
};
beforeAll(async () => {
  for (const e of Object.values(emulators)) e.server = await startEmulatorServer(e.emulator);
});
afterAll(async () => {
  for (const e of Object.values(emulators)) await e.server?.close();
});
beforeEach(() => {
  for (const e of Object.values(emulators)) e.emulator.reset();
});

const url = (region: 'cn' | 'global') => emulators[region].server?.url as string;
const requests = (region: 'cn' | 'global') => emulators[region].emulator.requests.map((r) => `${r.method} ${r.path} ${r.authStyle}`);
const hosts = () => ({ MINIMAX_CN_BASE_URL: url('cn'), MINIMAX_GLOBAL_BASE_URL: url('global') });

describe('smoke: two regions on loopback', () => {
  for (const region of ['cn', 'global'] as const) {
    it(`login detects a ${region} key's region, then status, quota and chat use that host`, async () => {
      const env = { ...isolatedHome(), ...hosts() };
      const login = await spawnMmx(['auth', 'login', '--api-key', EMULATOR_KEYS[region], '--output', 'json'], { env });
      expect(login.code).toBe(0);
      expect(JSON.parse(login.stdout)).toMatchObject({ logged_in: true, region, base_url: url(region) });

      const status = await spawnMmx(['auth', 'status', '--output', 'json'], { env });
      expect(JSON.parse(status.stdout)).toMatchObject({
        authenticated: true,
        region,
        region_source: 'config',
        base_url: url(region),
        key_source: 'config',
      });

      const quota = await spawnMmx(['quota', '--output', 'text'], { env });
      expect(quota.code).toBe(0);
      expect(quota.stdout).toMatch(/^general\s+97% left/m);

      const chat = await spawnMmx(['text', 'chat', '--message', 'hi', '--output', 'text', '--no-stream'], { env });
      expect(chat.stdout).toBe('Hello! I am the MiniMax emulator. How can I help you today?\n');

      const other = region === 'cn' ? 'global' : 'cn';
      const anthropicStyle = region === 'cn' ? 'bearer' : 'x-api-key';
      expect(requests(region)).toEqual([
        `GET /v1/token_plan/remains bearer`, // login
        `GET /v1/token_plan/remains bearer`, // status checks the key online
        `GET /v1/token_plan/remains bearer`, // quota
        `POST /anthropic/v1/messages ${anthropicStyle}`,
      ]);
      expect(requests(other)).toEqual(['GET /v1/token_plan/remains bearer']); // only the detection probe
    });
  }

  it('a pay-as-you-go key: login through /account/query_balance, quota shows the balance', async () => {
    const env = { ...isolatedHome(), ...hosts() };
    expect((await spawnMmx(['auth', 'login', '--api-key', EMULATOR_KEYS.globalPayg], { env })).code).toBe(0);
    const quota = await spawnMmx(['quota', '--output', 'text'], { env });
    expect(quota.code).toBe(0);
    expect(quota.stdout).toMatch(/^Available\s+\d+\.\d\d$/m);
    expect(requests('global').filter((r) => r.includes('/account/query_balance'))).toHaveLength(2);
  });

  it('a key neither region knows: exit 3, nothing saved, both hosts asked', async () => {
    const env = { ...isolatedHome(), ...hosts(), MINIMAX_OUTPUT: 'text' };
    const r = await spawnMmx(['auth', 'login', '--api-key', 'sk-cp-unknown-key-0000000000000000'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('The key was rejected in every region');
    expect(requests('cn')).toHaveLength(1);
    expect(requests('global')).toHaveLength(1);
  });

  it('stdin is the prompt; text and JSON output; streaming and not', async () => {
    const env = { ...isolatedHome(), MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn', ...hosts() };
    const text = await spawnMmx(['text', 'chat', '--stream', '--output', 'text'], { env, stdin: 'tell me a story' });
    expect(text).toMatchObject({ code: 0, stdout: 'Echo: tell me a story\n' });
    const json = await spawnMmx(['text', 'chat', '--stdin', '--message', 'review this', '--output', 'json'], {
      env,
      stdin: 'diff --git a b',
    });
    expect(JSON.parse(json.stdout).content.at(-1).text).toBe('Echo: review this\n\ndiff --git a b');
    expect(emulators.cn.emulator.requests.at(-1)?.body).toMatchObject({
      messages: [{ role: 'user', content: 'review this\n\ndiff --git a b' }],
    });
  });

  it('a large stdin (3 MB) is read whole, as a stream, and sent', async () => {
    const env = { ...isolatedHome(), MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn', ...hosts() };
    const big = `${'0123456789abcdef'.repeat(196_608)}end`;
    const r = await spawnMmx(['text', 'chat', '--stdin', '--message', 'summarise', '--output', 'json'], { env, stdin: big });
    expect(r.code).toBe(0);
    const sent = emulators.cn.emulator.requests.at(-1)?.body as { messages: Array<{ content: string }> };
    expect(sent.messages[0]?.content).toBe(`summarise\n\n${big}`);
  });

  it('a reader that goes away mid-stream (mmx … | head -c 10): exit 0, no EPIPE trace', async () => {
    const big = createEmulator({ region: 'cn', reply: () => ({ text: 'x'.repeat(2_000_000) }), textDeltaSize: 4096 });
    const server = await startEmulatorServer(big);
    try {
      const child = spawn(
        process.execPath,
        [BIN, 'text', 'chat', '--message', 'hi', '--max-tokens', '900000', '--stream', '--output', 'text'],
        {
          env: {
            PATH: process.env.PATH ?? '',
            ...isolatedHome(),
            MINIMAX_API_KEY: EMULATOR_KEYS.cn,
            MINIMAX_REGION: 'cn',
            MINIMAX_BASE_URL: server.url,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.stdout.once('data', () => child.stdout.destroy()); // like head: read a little, then close the pipe
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(stderr).not.toMatch(/EPIPE|Error/);
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C (SIGINT) mid-stream: exit 130, the text so far kept, "Interrupted." on stderr', async () => {
    const slow = createEmulator({
      region: 'cn',
      reply: () => ({ text: 'one two three four five six seven eight nine ten' }),
      textDeltaSize: 4,
    });
    slow.setFault({ kind: 'slow-stream', ms: 150 });
    const server = await startEmulatorServer(slow);
    try {
      const child = spawn(process.execPath, [BIN, 'text', 'chat', '--message', 'count', '--stream', '--output', 'text'], {
        env: {
          PATH: process.env.PATH ?? '',
          ...isolatedHome(),
          MINIMAX_API_KEY: EMULATOR_KEYS.cn,
          MINIMAX_REGION: 'cn',
          MINIMAX_BASE_URL: server.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let interrupted = false;
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        if (stdout.length >= 8 && !interrupted) {
          interrupted = true; // once: a second Ctrl-C ends the process at once, as it should
          child.kill('SIGINT');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(130);
      expect('one two three four five six seven eight nine ten'.startsWith(stdout.replace(/\n$/, ''))).toBe(true);
      expect(stdout.length).toBeLessThan(40);
      expect(stderr).toBe('\nInterrupted.\n');
    } finally {
      await server.close();
    }
  });
});
