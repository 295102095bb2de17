/**
 * An OAuth login stored by mmx-cli (the `oauth` block of config.json) through the real entry and
 * the region emulators, whose account hosts issue the tokens: the access token is a credential
 * like a key (precedence, header by region, the auto-switch), `resource_url` and the block's
 * region fill in what nothing else sets, an expiring token is refreshed under the config lock
 * (once, also when two runs find it expiring at once), `auth status`/`auth refresh` show it,
 * `auth logout` and `auth login --api-key` remove it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, EMULATOR_OAUTH_CLIENT_ID, type Emulator } from '../../src/emulator/index.js';
import { ACCOUNT_CN, CN, CN_PREVIOUS, GLOBAL, useEmulators } from '../helpers/api.js';
import { expectNoKeyLeak, masked } from '../helpers/leak.js';
import { type RunOptions, type RunResult, fakeClock, fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const GATEWAY = 'https://gateway.test';
const api = useEmulators({ hosts: { [GATEWAY]: 'cn' } });

/** runCli's clock; each emulator gets the same one, so "expired" means the same on both sides. */
const NOW = Date.parse('2026-11-28T12:00:00Z');
const MINUTE = 60_000;
const QUOTA = '/v1/token_plan/remains';
const TOKEN = '/oauth2/token';

/** A token is masked like a key: nothing but its last four characters. */
const maskedToken = (token: string) => `…${token.slice(-4)}`;

function onClock(region: 'cn' | 'global', now: () => number = () => NOW): Emulator {
  return api.use(region, { region, now });
}

/** A config dir holding `config` (0600 in 0700), as mmx-cli leaves it after an OAuth login. */
function withConfig(config: Record<string, unknown>): string {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return dir;
}

/** mmx-cli's block for tokens the emulator issued, expiring `expiresInMs` from NOW. */
function oauthBlock(emulator: Emulator, expiresInMs = 60 * MINUTE, extra: Record<string, unknown> = {}) {
  const tokens = emulator.oauth.issue({ accessTokenTtlMs: expiresInMs });
  const region = emulator.region;
  return {
    tokens,
    block: {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: new Date(tokens.expired_in).toISOString(),
      region,
      resource_url: region === 'cn' ? CN : GLOBAL,
      ...extra,
    },
  };
}

function readConfig(dir: string): any {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
}

/** Every run: no token or key printed in full (the runCli canary checks the tokens of the config before and after). */
async function mmx(args: string[], options: RunOptions = {}, ...secrets: string[]): Promise<RunResult> {
  const result = await runCli(args, { now: NOW, ...options });
  expectNoKeyLeak(result, ...secrets, ...Object.values(EMULATOR_KEYS));
  return result;
}

function form(body: unknown): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(String(body)));
}

describe('the OAuth access token is a credential', () => {
  it('cn: quota and chat send it as Bearer (the region table), to resource_url, with no key in the file', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn);
    const dir = withConfig({ region: 'cn', oauth: block });
    const quota = await mmx(['quota', '--output', 'json'], { configDir: dir }, tokens.access_token, tokens.refresh_token);
    expect(quota.code, quota.stderr).toBe(0);
    const chat = await mmx(['text', 'chat', '--message', 'hi', '--output', 'json'], { configDir: dir }, tokens.access_token);
    expect(chat.code, chat.stderr).toBe(0);
    expect(cn.requests.map((r) => [r.path, r.headers.authorization, r.headers['x-api-key']])).toEqual([
      [QUOTA, `Bearer ${tokens.access_token}`, undefined],
      ['/anthropic/v1/messages', `Bearer ${tokens.access_token}`, undefined],
    ]);
    expect(api.global.requests).toEqual([]);
  });

  it('global: x-api-key on /anthropic, and a rejected header is switched once and remembered, as for a key', async () => {
    const global = api.use('global', { region: 'global', now: () => NOW, authPolicy: { anthropic: 'bearer-only' } });
    const { block, tokens } = oauthBlock(global);
    const dir = withConfig({ region: 'global', oauth: block });
    const r = await mmx(['text', 'chat', '--message', 'hi', '--output', 'json'], { configDir: dir }, tokens.access_token);
    expect(r.code, r.stderr).toBe(0);
    expect(global.requests.map((q) => q.authStyle)).toEqual(['x-api-key', 'bearer']);
    expect(global.requests.every((q) => q.key === tokens.access_token)).toBe(true);
    expect(readConfig(dir).auth_styles).toEqual({ [GLOBAL]: { anthropic: 'bearer' } });
    expect(readConfig(dir).oauth).toEqual(block);
  });

  it('precedence: --api-key > MINIMAX_API_KEY > the OAuth login > config api_key, with the shadowed sources', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn);
    const dir = withConfig({ region: 'cn', api_key: EMULATOR_KEYS.cnPayg, oauth: block });
    const status = (args: string[], env = {}) =>
      mmx(['auth', 'status', '--offline', '--output', 'json', ...args], { configDir: dir, env }, tokens.access_token);

    const fromLogin = (await status([])).json();
    expect(fromLogin).toMatchObject({
      method: 'oauth',
      source: 'config.json',
      key: maskedToken(tokens.access_token),
      key_source: 'oauth',
      shadowed_sources: ['config'],
      token_expires: block.expires_at,
    });
    const fromEnv = (await status([], { MINIMAX_API_KEY: EMULATOR_KEYS.cn })).json();
    expect(fromEnv).toMatchObject({ method: 'api-key', source: 'env', key_source: 'env', shadowed_sources: ['oauth', 'config'] });
    expect(fromEnv.token_expires).toBeUndefined();
    const fromFlag = (await status(['--api-key', EMULATOR_KEYS.cn], { MINIMAX_API_KEY: EMULATOR_KEYS.global })).json();
    expect(fromFlag).toMatchObject({ key: masked(EMULATOR_KEYS.cn), key_source: 'flag', shadowed_sources: ['env', 'oauth', 'config'] });

    // And what is sent: the login's token, not the stored key.
    const quota = await mmx(['quota', '--output', 'json'], { configDir: dir }, tokens.access_token);
    expect(quota.code).toBe(0);
    expect(cn.requests.map((q) => q.key)).toEqual([tokens.access_token]);
  });

  it("resource_url is the base URL and the block's region the region when the file names neither", async () => {
    const gateway = api.useHost(GATEWAY, { region: 'cn', now: () => NOW });
    const { block, tokens } = oauthBlock(gateway, 60 * MINUTE, { resource_url: GATEWAY });
    const dir = withConfig({ oauth: block });
    const status = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir }, tokens.access_token);
    expect(status.json()).toMatchObject({ region: 'cn', region_source: 'oauth', base_url: GATEWAY, base_url_source: 'oauth' });
    const quota = await mmx(['quota', '--output', 'json'], { configDir: dir }, tokens.access_token);
    expect(quota.code, quota.stderr).toBe(0);
    expect(gateway.requests.map((q) => `${q.path} ${q.authStyle}`)).toEqual([`${QUOTA} bearer`]);
    // A stored base_url, or a region given on the command line, wins over it.
    const given = await mmx(['auth', 'status', '--offline', '--output', 'json', '--region', 'global'], { configDir: dir });
    expect(given.json()).toMatchObject({ region: 'global', region_source: 'flag', base_url: GLOBAL, base_url_source: 'region' });
  });

  it('a block mmx-cli would ignore (no refresh_token) is no credential: exit 3, and the file is left alone', async () => {
    const dir = withConfig({ region: 'cn', oauth: { access_token: 'emu-oauth-at-incomplete-0000000000', expires_at: 'x' } });
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const r = await mmx(['quota'], { configDir: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('No API key found.');
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
    expect(api.cn.requests).toEqual([]);
  });
});

describe('auth status with an OAuth login', () => {
  it("JSON: mmx-cli's method, source, token_expires and account; checked online with the token", async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn, 42 * MINUTE, { account: 'ada@example.com' });
    const dir = withConfig({ region: 'cn', oauth: block });
    const r = await mmx(['auth', 'status', '--output', 'json'], { configDir: dir }, tokens.access_token);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      authenticated: true,
      checked: true,
      method: 'oauth',
      source: 'config.json',
      key: maskedToken(tokens.access_token),
      token_expires: block.expires_at,
      account: 'ada@example.com',
      key_source: 'oauth',
      region: 'cn',
      base_url: CN,
      base_url_source: 'oauth',
    });
    expect(cn.requests.map((q) => `${q.path} ${q.key === tokens.access_token}`)).toEqual([`${QUOTA} true`]);
  });

  it('text: the method, the account and when the token expires; an expired one says it is refreshed on next use', async () => {
    const cn = onClock('cn');
    const fresh = oauthBlock(cn, 42 * MINUTE, { account: 'ada@example.com' });
    const dir = withConfig({ region: 'cn', oauth: fresh.block });
    const r = await mmx(['auth', 'status', '--offline', '--output', 'text'], { configDir: dir }, fresh.tokens.access_token);
    expect(r.stdout).toContain(`Key        ${maskedToken(fresh.tokens.access_token)} from the OAuth login (config.json)\n`);
    expect(r.stdout).toContain('Method     OAuth, account ada@example.com\n');
    expect(r.stdout).toContain(`Expires    ${fresh.block.expires_at} (in 42 minutes; refreshed as needed)\n`);

    const stale = oauthBlock(cn, -3 * MINUTE);
    const old = withConfig({ region: 'cn', oauth: stale.block });
    const offline = await mmx(['auth', 'status', '--offline', '--output', 'text'], { configDir: old }, stale.tokens.access_token);
    expect(offline.stdout).toContain(`Expires    ${stale.block.expires_at} (expired 3 minutes ago; refreshed on next use)\n`);
    // --offline refreshes nothing: no request, the file as it was.
    expect(cn.requests).toEqual([]);
    expect(readConfig(old).oauth).toEqual(stale.block);
  });

  it('online, an expired token is refreshed first; a dead refresh token is "authenticated": false, exit 3 with --exit-status', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn, -MINUTE);
    const dir = withConfig({ region: 'cn', oauth: block });
    const ok = await mmx(['auth', 'status', '--output', 'json'], { configDir: dir }, tokens.access_token, tokens.refresh_token);
    expect(ok.code).toBe(0);
    const renewed = readConfig(dir).oauth;
    expect(renewed.access_token).not.toBe(tokens.access_token);
    expect(ok.json()).toMatchObject({ authenticated: true, key: maskedToken(renewed.access_token), token_expires: renewed.expires_at });

    // The old refresh token is spent: a block still holding it cannot be refreshed.
    const dead = withConfig({ region: 'cn', oauth: block });
    const failed = await mmx(['auth', 'status', '--exit-status', '--output', 'json'], { configDir: dead }, tokens.refresh_token);
    expect(failed.code).toBe(3);
    expect(failed.json()).toMatchObject({ authenticated: false, error_code: 3 });
    expect(failed.json().message).toMatch(/OAuth login has expired and could not be refreshed/);
  });
});

describe('refreshing an expiring token', () => {
  it('an expired token: one refresh at the account host (form, client id, no credential header), then the request with the new token', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn, -MINUTE, { account: 'ada@example.com', token_type: 'Bearer' });
    const dir = withConfig({ region: 'cn', default_text_model: 'MiniMax-M2.7', oauth: block });
    const r = await mmx(['quota', '--output', 'json', '--verbose'], { configDir: dir }, tokens.access_token, tokens.refresh_token);
    expect(r.code, r.stderr).toBe(0);
    const [refresh, quota, ...rest] = cn.requests;
    expect(rest).toEqual([]);
    expect(refresh).toMatchObject({ method: 'POST', path: TOKEN, authStyle: 'none' });
    expect(refresh?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(refresh?.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: EMULATOR_OAUTH_CLIENT_ID,
    });
    const config = readConfig(dir);
    expect(quota?.headers.authorization).toBe(`Bearer ${config.oauth.access_token}`);
    // The new tokens, written atomically at 0600; the rest of the block and of the file kept.
    expect(config).toEqual({
      region: 'cn',
      default_text_model: 'MiniMax-M2.7',
      oauth: {
        access_token: expect.stringMatching(/^emu-oauth-at-/),
        refresh_token: expect.stringMatching(/^emu-oauth-rt-/),
        expires_at: new Date(NOW + 60 * MINUTE).toISOString(),
        region: 'cn',
        // As the refresh answer names it (the emulator: its account host's API sibling).
        resource_url: CN_PREVIOUS,
        account: 'ada@example.com',
        token_type: 'Bearer',
      },
    });
    expect(config.oauth.refresh_token).not.toBe(tokens.refresh_token);
    expect(fileMode(join(dir, 'config.json'))).toBe(0o600);
    // --verbose says it, the refresh token masked.
    expect(r.stderr).toContain(`> POST ${ACCOUNT_CN}${TOKEN}`);
    expect(r.stderr).toContain(`refresh_token=${encodeURIComponent(maskedToken(tokens.refresh_token))}`);
    expect(r.stderr).toContain(`refreshed the OAuth token; it now expires at ${config.oauth.expires_at}`);
  });

  it('refreshed when less than 5 minutes are left, not before', async () => {
    const cn = onClock('cn');
    const later = oauthBlock(cn, 6 * MINUTE);
    const fresh = withConfig({ region: 'cn', oauth: later.block });
    expect((await mmx(['quota', '--output', 'json'], { configDir: fresh }, later.tokens.access_token)).code).toBe(0);
    expect(cn.requests.map((q) => q.path)).toEqual([QUOTA]);

    cn.reset();
    const soon = oauthBlock(cn, 4 * MINUTE);
    const expiring = withConfig({ region: 'cn', oauth: soon.block });
    expect((await mmx(['quota', '--output', 'json'], { configDir: expiring }, soon.tokens.refresh_token)).code).toBe(0);
    expect(cn.requests.map((q) => q.path)).toEqual([TOKEN, QUOTA]);
  });

  it("a global login refreshes at the global account host; a block without a region too (mmx-cli's default)", async () => {
    const global = onClock('global');
    const { block, tokens } = oauthBlock(global, -MINUTE);
    const { region: _region, ...noRegion } = block;
    const dir = withConfig({ oauth: noRegion });
    const r = await mmx(['quota', '--output', 'json'], { configDir: dir }, tokens.refresh_token);
    expect(r.code, r.stderr).toBe(0);
    expect(global.requests.map((q) => q.path)).toEqual([TOKEN, QUOTA]);
    expect(api.cn.requests).toEqual([]);
    expect(readConfig(dir).oauth.region).toBeUndefined();
  });

  it('a refresh token the server no longer takes: exit 3, log in again; the file is left as it was', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn, -MINUTE);
    const dir = withConfig({ region: 'cn', oauth: block });
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    cn.enqueueFault({
      kind: 'status',
      status: 400,
      path: TOKEN,
      body: { error: 'invalid_grant', error_description: 'refresh token revoked' },
    });
    const r = await mmx(['quota', '--output', 'text'], { configDir: dir }, tokens.refresh_token);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'Error: The OAuth login has expired and could not be refreshed (HTTP 400, invalid_grant: refresh token revoked).\n' +
        '  Log in again: mmx auth login\n',
    );
    expect(cn.requests.map((q) => q.path)).toEqual([TOKEN]);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('5xx and dropped connections are tried 3 times, 500 ms × attempt apart (as mmx-cli); then it works', async () => {
    const clock = fakeClock(NOW);
    const cn = onClock('cn', clock.now);
    const { block, tokens } = oauthBlock(cn, -MINUTE);
    const dir = withConfig({ region: 'cn', oauth: block });
    cn.enqueueFault({ kind: 'status', status: 503, path: TOKEN, body: 'busy', contentType: 'text/plain' });
    cn.enqueueFault({ kind: 'status', status: 502, path: TOKEN });
    const r = await mmx(['quota', '--output', 'json'], { configDir: dir, clock }, tokens.refresh_token);
    expect(r.code, r.stderr).toBe(0);
    expect(cn.requests.map((q) => q.path)).toEqual([TOKEN, TOKEN, TOKEN, QUOTA]);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('an account host that cannot be reached: 3 attempts, then exit 6 (the login is kept for later)', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn, -MINUTE);
    const dir = withConfig({ region: 'cn', oauth: block });
    api.down(ACCOUNT_CN);
    const r = await mmx(['quota', '--output', 'json'], { configDir: dir }, tokens.refresh_token);
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stderr).error.message).toMatch(
      new RegExp(`^The OAuth token could not be refreshed after 3 attempts: Cannot reach ${ACCOUNT_CN}`),
    );
    expect(cn.requests).toEqual([]);
    expect(readConfig(dir).oauth).toEqual(block);
  });

  it('MINIMAX_CN_ACCOUNT_URL replaces the account host (a gateway, or an emulator)', async () => {
    const gateway = api.useHost(GATEWAY, { region: 'cn', now: () => NOW });
    const { block, tokens } = oauthBlock(gateway, -MINUTE, { resource_url: GATEWAY });
    const dir = withConfig({ region: 'cn', oauth: block });
    const r = await mmx(
      ['quota', '--output', 'json'],
      { configDir: dir, env: { MINIMAX_CN_ACCOUNT_URL: `${GATEWAY}/` } },
      tokens.refresh_token,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(gateway.requests.map((q) => q.path)).toEqual([TOKEN, QUOTA]);
    expect(api.cn.requests).toEqual([]);
  });

  it('two runs finding the same token expired at once: one refresh, both use its tokens (single-use refresh tokens, mmx-cli #79)', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn, -MINUTE);
    const dir = withConfig({ region: 'cn', oauth: block });
    const runs = await Promise.all([
      mmx(['quota', '--output', 'json'], { configDir: dir }, tokens.refresh_token),
      mmx(['text', 'chat', '--message', 'hi', '--output', 'json'], { configDir: dir }, tokens.refresh_token),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(cn.oauth.refreshes).toBe(1);
    const stored = readConfig(dir).oauth;
    const apiCalls = cn.requests.filter((q) => q.path !== TOKEN);
    expect(apiCalls.map((q) => q.key)).toEqual([stored.access_token, stored.access_token]);
    expect(cn.oauth.refreshTokenLive(stored.refresh_token)).toBe(true);
  });
});

describe('mmx auth refresh', () => {
  it("refreshes now, even a fresh token; mmx-cli's {status, expires}, the expiry alone with --quiet", async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn, 50 * MINUTE);
    const dir = withConfig({ region: 'cn', oauth: block });
    const json = await mmx(['auth', 'refresh', '--output', 'json'], { configDir: dir }, tokens.refresh_token);
    expect(json.code, json.stderr).toBe(0);
    const first = readConfig(dir).oauth;
    expect(first.access_token).not.toBe(tokens.access_token);
    expect(json.json()).toEqual({ status: 'Token refreshed', expires: first.expires_at });

    const text = await mmx(['auth', 'refresh', '--output', 'text'], { configDir: dir }, first.refresh_token);
    const second = readConfig(dir).oauth;
    expect(text.stdout).toBe(`status: Token refreshed\nexpires: ${second.expires_at}\n`);
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const quiet = await mmx(['auth', 'refresh', '--quiet'], { configDir: dir }, second.refresh_token);
    expect(quiet.stdout).toBe(`${readConfig(dir).oauth.expires_at}\n`);
    expect(cn.oauth.refreshes).toBe(3);
  });

  it('--dry-run shows the request, refresh token masked, and sends nothing', async () => {
    const cn = onClock('cn');
    const { block, tokens } = oauthBlock(cn);
    const dir = withConfig({ region: 'cn', oauth: block });
    const r = await mmx(['auth', 'refresh', '--dry-run', '--output', 'json'], { configDir: dir }, tokens.refresh_token);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      dry_run: true,
      requests: [
        {
          method: 'POST',
          url: `${ACCOUNT_CN}${TOKEN}`,
          headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }),
          body: { grant_type: 'refresh_token', refresh_token: maskedToken(tokens.refresh_token), client_id: EMULATOR_OAUTH_CLIENT_ID },
        },
      ],
    });
    expect(cn.requests).toEqual([]);
  });

  it('without an OAuth login: exit 2, nothing sent', async () => {
    const dir = withConfig({ region: 'cn', api_key: EMULATOR_KEYS.cn });
    const r = await mmx(['auth', 'refresh', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('Not applicable: not logged in with OAuth.');
    expect(api.cn.requests).toEqual([]);
    expect(api.global.requests).toEqual([]);
  });
});

describe('logout and an API-key login remove the OAuth login', () => {
  it('auth logout removes the key and the OAuth login in one write, keeps the rest; twice is fine', async () => {
    const cn = onClock('cn');
    const { block } = oauthBlock(cn);
    const dir = withConfig({ region: 'cn', api_key: EMULATOR_KEYS.cn, oauth: block, timeout: 30 });
    const r = await mmx(['auth', 'logout', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ logged_out: true, removed: true, cleared: ['oauth', 'api_key'], config_file: join(dir, 'config.json') });
    expect(readConfig(dir)).toEqual({ region: 'cn', timeout: 30 });
    const text = await mmx(['auth', 'logout', '--output', 'text'], { configDir: withConfig({ oauth: block }) });
    expect(text.stdout).toMatch(/^Removed the OAuth login from .*config\.json\.\n$/);
    const again = await mmx(['auth', 'logout', '--output', 'json'], { configDir: dir });
    expect(again.json()).toMatchObject({ removed: false, cleared: [] });
    expect((await mmx(['quota'], { configDir: dir })).code).toBe(3);
    expect(cn.requests).toEqual([]);
  });

  it('auth login --api-key replaces the OAuth login, so both CLIs use the new key', async () => {
    const cn = onClock('cn');
    const { block } = oauthBlock(cn);
    const dir = withConfig({ region: 'cn', oauth: block, output: 'json' });
    const r = await mmx(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('The OAuth login stored before was removed: the key replaces it.');
    expect(readConfig(dir)).toEqual({ region: 'cn', api_key: EMULATOR_KEYS.cn, output: 'json' });
    const quota = await mmx(['quota'], { configDir: dir });
    expect(quota.code).toBe(0);
    expect(cn.requests.map((q) => q.key)).toEqual([EMULATOR_KEYS.cn, EMULATOR_KEYS.cn]);
  });
});
