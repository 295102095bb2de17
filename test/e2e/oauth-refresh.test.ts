/**
 * The built bin/mmx over real sockets with an OAuth login: the emulator serves the API and the
 * account host (MINIMAX_CN_BASE_URL, MINIMAX_CN_ACCOUNT_URL), its refresh tokens single-use.
 * Processes that find the same token expired at the same time refresh it once, under the
 * config lock, and all go on with the new tokens: none is logged out (mmx-cli #79).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, startEmulatorServer, type Emulator, type EmulatorServer } from '../../src/emulator/index.js';
import { assertNoKeyLeak } from '../helpers/run-cli.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

let server: EmulatorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<{ emulator: Emulator; url: string }> {
  const emulator = createEmulator({ region: 'cn' });
  server = await startEmulatorServer(emulator);
  return { emulator, url: server.url };
}

/** A home whose config.json holds an OAuth login (as mmx-cli writes it) expiring `inMs` from now. */
function loggedIn(emulator: Emulator, url: string, inMs: number) {
  const home = isolatedHome();
  const tokens = emulator.oauth.issue({ accessTokenTtlMs: inMs });
  mkdirSync(home.MMX_CONFIG_DIR, { recursive: true, mode: 0o700 });
  const oauth = {
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    expires_at: new Date(tokens.expired_in).toISOString(),
    region: 'cn',
    resource_url: url,
  };
  writeFileSync(join(home.MMX_CONFIG_DIR, 'config.json'), JSON.stringify({ region: 'cn', oauth }), { mode: 0o600 });
  const env = { ...home, MINIMAX_CN_BASE_URL: url, MINIMAX_CN_ACCOUNT_URL: url };
  const config = () => JSON.parse(readFileSync(join(home.MMX_CONFIG_DIR, 'config.json'), 'utf8'));
  return { env, tokens, config };
}

describe('OAuth over real sockets', () => {
  it('an expired token: quota refreshes it at the account host, then sends the new one', async () => {
    const { emulator, url } = await start();
    const { env, tokens, config } = loggedIn(emulator, url, -60_000);
    const r = await spawnMmx(['quota', '--output', 'json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const stored = config().oauth;
    expect(emulator.requests.map((q) => q.path)).toEqual(['/oauth2/token', '/v1/token_plan/remains']);
    expect(emulator.requests[1]?.key).toBe(stored.access_token);
    assertNoKeyLeak([tokens.access_token, tokens.refresh_token, stored.access_token, stored.refresh_token], r.stdout, r.stderr);
  });

  it.each([1, 2, 3])(
    'round %i: four processes find the token expired at once; one refresh, all succeed with its tokens',
    async () => {
      const { emulator, url } = await start();
      const { env, tokens, config } = loggedIn(emulator, url, -60_000);
      const runs = await Promise.all([
        spawnMmx(['quota', '--output', 'json'], { env }),
        spawnMmx(['text', 'chat', '--message', 'hi', '--output', 'json'], { env }),
        spawnMmx(['quota', '--output', 'json'], { env }),
        spawnMmx(['auth', 'status', '--output', 'json', '--exit-status'], { env }),
      ]);
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      expect(emulator.oauth.refreshes).toBe(1);
      const stored = config().oauth;
      const apiCalls = emulator.requests.filter((q) => q.path !== '/oauth2/token');
      expect(apiCalls).toHaveLength(4);
      for (const call of apiCalls) expect(call.key).toBe(stored.access_token);
      expect(emulator.oauth.refreshTokenLive(stored.refresh_token)).toBe(true);
      for (const r of runs) assertNoKeyLeak([tokens.refresh_token, stored.access_token, stored.refresh_token], r.stdout, r.stderr);
    },
    60_000,
  );

  it('two `mmx auth refresh` at once: both succeed, and the stored refresh token still works', async () => {
    const { emulator, url } = await start();
    const { env, config } = loggedIn(emulator, url, 30 * 60_000);
    const runs = await Promise.all([
      spawnMmx(['auth', 'refresh', '--output', 'json'], { env }),
      spawnMmx(['auth', 'refresh', '--output', 'json'], { env }),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const stored = config().oauth;
    for (const r of runs) expect(JSON.parse(r.stdout)).toEqual({ status: 'Token refreshed', expires: stored.expires_at });
    expect(emulator.oauth.refreshTokenLive(stored.refresh_token)).toBe(true);
    // The first refreshed; the second found new tokens under the lock and took them (or refreshed with them).
    expect(emulator.oauth.refreshes).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
