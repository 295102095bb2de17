/**
 * Profiles with the built bin/mmx over real sockets, one emulator server per region: logins into
 * different profiles at the same moment all survive (every write of config.json and profiles.json
 * is a read-decide-write under one cross-process lock), `--profile` sends each profile's key to its
 * own region's host, and `auth token` prints the key to a pipe.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

let cn: { emulator: Emulator; server: EmulatorServer };
let global: { emulator: Emulator; server: EmulatorServer };

async function serve(region: 'cn' | 'global') {
  const emulator = createEmulator({ region, strictAuth: true });
  return { emulator, server: await startEmulatorServer(emulator) };
}

beforeAll(async () => {
  [cn, global] = await Promise.all([serve('cn'), serve('global')]);
});
afterEach(() => {
  cn.emulator.reset();
  global.emulator.reset();
});
afterAll(async () => {
  await Promise.all([cn.server.close(), global.server.close()]);
});

function home() {
  const h = isolatedHome();
  return { ...h, MINIMAX_CN_BASE_URL: cn.server.url, MINIMAX_GLOBAL_BASE_URL: global.server.url };
}

const readJson = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe('profiles with the built binary', () => {
  it.each([1, 2, 3])(
    'round %i: three logins into three profiles at once, beside an active key: all three stored, the active key untouched',
    async () => {
      const env = home();
      mkdirSync(env.MMX_CONFIG_DIR, { recursive: true, mode: 0o700 });
      writeFileSync(join(env.MMX_CONFIG_DIR, 'config.json'), JSON.stringify({ api_key: EMULATOR_KEYS.cn, region: 'cn', other: 'kept' }), {
        mode: 0o600,
      });
      const logins: Array<[string, 'cn' | 'global', string]> = [
        ['a', 'cn', EMULATOR_KEYS.cnPayg],
        ['b', 'global', EMULATOR_KEYS.global],
        ['c', 'global', EMULATOR_KEYS.globalPayg],
      ];
      const results = await Promise.all(
        logins.map(([name, region, key]) =>
          spawnMmx(['auth', 'login', '--profile', name, '--region', region, '--api-key', key, '--output', 'json'], { env }),
        ),
      );
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect(readJson(env.MMX_CONFIG_DIR, 'config.json')).toEqual({ api_key: EMULATOR_KEYS.cn, region: 'cn', other: 'kept' });
      expect(readJson(env.MMX_CONFIG_DIR, 'profiles.json').profiles).toEqual({
        a: { api_key: EMULATOR_KEYS.cnPayg, region: 'cn' },
        b: { api_key: EMULATOR_KEYS.global, region: 'global' },
        c: { api_key: EMULATOR_KEYS.globalPayg, region: 'global' },
      });
      expect(statSync(join(env.MMX_CONFIG_DIR, 'profiles.json')).mode & 0o777).toBe(0o600);
    },
    60_000,
  );

  it('--profile sends each key to its own region host, with its header; switch; auth token to a pipe', async () => {
    const env = home();
    const login = (args: string[]) => spawnMmx(['auth', 'login', ...args, '--output', 'json'], { env });
    expect((await login(['--profile', 'work', '--region', 'cn', '--api-key', EMULATOR_KEYS.cn])).code).toBe(0);
    expect((await login(['--profile', 'personal', '--api-key', EMULATOR_KEYS.global])).code).toBe(0);
    cn.emulator.reset();
    global.emulator.reset();

    const g = await spawnMmx(['text', 'chat', '--message', 'hi', '--profile', 'personal', '--output', 'json'], { env });
    expect(g.code, g.stderr).toBe(0);
    expect(global.emulator.requests.map((r) => [r.path, r.authStyle, r.key])).toEqual([
      ['/anthropic/v1/messages', 'x-api-key', EMULATOR_KEYS.global],
    ]);
    const c = await spawnMmx(['text', 'chat', '--message', 'hi', '--output', 'json'], { env });
    expect(c.code, c.stderr).toBe(0);
    expect(cn.emulator.requests.map((r) => [r.path, r.authStyle, r.key])).toEqual([['/anthropic/v1/messages', 'bearer', EMULATOR_KEYS.cn]]);

    const token = await spawnMmx(['auth', 'token', '--profile', 'personal'], { env, printsKey: EMULATOR_KEYS.global });
    expect(token).toEqual({ code: 0, stdout: `${EMULATOR_KEYS.global}\n`, stderr: '' });

    const sw = await spawnMmx(['auth', 'switch', 'personal'], { env });
    expect(sw.code, sw.stderr).toBe(0);
    expect(readJson(env.MMX_CONFIG_DIR, 'config.json')).toEqual({ api_key: EMULATOR_KEYS.global, region: 'global' });
    const after = await spawnMmx(['auth', 'token'], { env, printsKey: EMULATOR_KEYS.global });
    expect(after.stdout).toBe(`${EMULATOR_KEYS.global}\n`);
    const unknown = await spawnMmx(['quota', '--profile', 'nope'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--profile nope: no such profile; profiles: personal, work.');
  }, 60_000);
});
