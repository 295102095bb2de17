/**
 * The built bin/mmx as a process against the emulator on a loopback socket,
 * behaving like the cn region: the "done when" scenario end to end.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const KEY = EMULATOR_KEYS.cn;
let emulator: Emulator;
let server: EmulatorServer;

beforeAll(async () => {
  emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => emulator.reset());

function authHeaders() {
  return emulator.requests.map((r) => ({ path: r.path, style: r.authStyle }));
}

describe('bin/mmx against a cn-like server on loopback', () => {
  it('prints its version and help', async () => {
    const version = await spawnMmx(['--version'], { env: isolatedHome() });
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^mmx \d+\.\d+\.\d+\n$/);
    const help = await spawnMmx(['text', 'chat', '--help'], { env: isolatedHome() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--messages-file');
    expect(help.stdout).toContain('Examples:');
  });

  it('logs in, shows quota and chats (streaming and not) with Bearer on every request', async () => {
    const env = isolatedHome();
    const login = await spawnMmx(['auth', 'login', '--api-key', KEY, '--region', 'cn', '--base-url', server.url], { env });
    expect(login.code).toBe(0);
    expect(login.stdout + login.stderr).not.toContain(KEY);
    const configFile = join(env.MMX_CONFIG_DIR, 'config.json');
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ api_key: KEY, region: 'cn', base_url: server.url });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(statSync(env.MMX_CONFIG_DIR).mode & 0o777).toBe(0o700);

    const quota = await spawnMmx(['quota', '--output', 'json'], { env });
    expect(quota.code).toBe(0);
    expect(JSON.parse(quota.stdout).model_remains[0].model_name).toBe('general');

    const chat = await spawnMmx(['text', 'chat', '--message', '你好', '--output', 'json'], { env });
    expect(chat.code).toBe(0);
    const message = JSON.parse(chat.stdout);
    expect(message.content.map((b: { type: string }) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[1].text).toContain('你好');

    const streamed = await spawnMmx(['text', 'chat', '--message', '你好', '--stream', '--output', 'json'], { env });
    expect(streamed.code).toBe(0);
    const streamedMessage = JSON.parse(streamed.stdout);
    expect(streamedMessage.content).toBe(message.content[1].text);
    expect(streamedMessage.content_blocks).toEqual(message.content);
    expect(streamedMessage.usage.output_tokens).toBeGreaterThan(0);

    const text = await spawnMmx(['text', 'chat', '--message', '你好', '--stream', '--output', 'text'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`${message.content[1].text}\n`);

    expect(authHeaders()).toEqual([
      { path: '/v1/token_plan/remains', style: 'bearer' },
      { path: '/v1/token_plan/remains', style: 'bearer' },
      { path: '/anthropic/v1/messages', style: 'bearer' },
      { path: '/anthropic/v1/messages', style: 'bearer' },
      { path: '/anthropic/v1/messages', style: 'bearer' },
    ]);
  });

  it('told --region global, sends x-api-key, gets 1033, switches to Bearer, succeeds and remembers', async () => {
    const env = isolatedHome();
    const args = ['--region', 'global', '--base-url', server.url, '--api-key', KEY];
    const first = await spawnMmx(['text', 'chat', '--message', 'hi', '--output', 'json', ...args], { env });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).type).toBe('message');
    expect(first.stderr).toMatch(/rejected x-api-key .*switched to Authorization: Bearer/);
    expect(authHeaders()).toEqual([
      { path: '/anthropic/v1/messages', style: 'x-api-key' },
      { path: '/anthropic/v1/messages', style: 'bearer' },
    ]);
    const config = JSON.parse(readFileSync(join(env.MMX_CONFIG_DIR, 'config.json'), 'utf8'));
    expect(config).toEqual({ auth_styles: { [server.url]: { anthropic: 'bearer' } } });

    emulator.reset();
    const second = await spawnMmx(['text', 'chat', '--message', 'hi', '--output', 'json', ...args], { env });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(authHeaders()).toEqual([{ path: '/anthropic/v1/messages', style: 'bearer' }]);
  });

  it('reproduces the seed with --auth-style x-api-key: HTTP 500 system error (1033), exit 1', async () => {
    const r = await spawnMmx(
      ['text', 'chat', '--message', '你好', '--region', 'cn', '--base-url', server.url, '--auth-style', 'x-api-key', '--output', 'json'],
      { env: { ...isolatedHome(), MINIMAX_API_KEY: KEY } },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const error = JSON.parse(r.stderr).error;
    expect(error).toMatchObject({ code: 1, api_code: 1033, message: 'API error: system error (1033) (HTTP 500)' });
    expect(authHeaders()).toEqual([{ path: '/anthropic/v1/messages', style: 'x-api-key' }]);
  });

  it('a bad key exits 3 with a hint and saves nothing', async () => {
    const env = isolatedHome();
    const r = await spawnMmx(
      ['auth', 'login', '--api-key', 'sk-cp-not-a-real-key-000000000000', '--region', 'cn', '--base-url', server.url],
      {
        env: { ...env, MINIMAX_OUTPUT: 'text' },
      },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Error: API error: invalid api key/m);
    expect(r.stderr).toMatch(/--region global/);
    expect(() => readFileSync(join(env.MMX_CONFIG_DIR, 'config.json'))).toThrow();
  });

  it('a truncated stream exits 6 after printing what arrived', async () => {
    emulator.setFault({ kind: 'cut-stream', afterEvents: 11 }); // after the first text delta
    const r = await spawnMmx(
      ['text', 'chat', '--message', 'tell me a story', '--stream', '--output', 'text', '--region', 'cn', '--base-url', server.url],
      {
        env: { ...isolatedHome(), MINIMAX_API_KEY: KEY },
      },
    );
    emulator.clearFaults();
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('Echo: tell me a \n');
    const chars = /after (\d+) characters/.exec(r.stderr)?.[1];
    expect(Number(chars)).toBe(r.stdout.replace(/\n$/, '').length);
  });
});
