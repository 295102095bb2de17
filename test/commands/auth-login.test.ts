/**
 * `mmx auth login` through the real entry and the two region emulators (plus a
 * few gateway hosts of our own): exit code, stdout, stderr, the config file
 * written (contents and modes) and exactly what each server received.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { describe, expect, it, vi } from 'vitest';
import { EMULATOR_KEYS, EMULATOR_KEY_REGISTRY, type Emulator } from '../../src/emulator/index.js';
import { STORED_REGION_GRACE_MS } from '../../src/commands/auth/login.js';
import { USER_AGENT } from '../../src/version.js';
import { CN, CN_PREVIOUS, GLOBAL, useEmulators } from '../helpers/api.js';
import { expectNoKeyLeak, masked } from '../helpers/leak.js';
import { type RunOptions, type RunResult, fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

/** A gateway in front of cn, and two region-host overrides for detection tests. */
const GATEWAY = 'https://gateway.test';
const GW_CN = 'https://gw-cn.test';
const GW_GLOBAL = 'https://gw-global.test';
const api = useEmulators({ hosts: { [CN_PREVIOUS]: 'cn', [GATEWAY]: 'cn', [GW_CN]: 'cn', [GW_GLOBAL]: 'global' } });

const CN_KEY = EMULATOR_KEYS.cn;
const GLOBAL_KEY = EMULATOR_KEYS.global;
/** Shaped like a real key, registered nowhere. */
const BAD_KEY = 'sk-cp-unknown-key-9Zx8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0Gf';
const ALL_KEYS = [CN_KEY, GLOBAL_KEY, EMULATOR_KEYS.cnPayg, EMULATOR_KEYS.globalPayg, BAD_KEY];

const OVERRIDES = { MINIMAX_CN_BASE_URL: GW_CN, MINIMAX_GLOBAL_BASE_URL: GW_GLOBAL };
const QUOTA_PATH = '/v1/token_plan/remains';

/** Every test runs through this: whatever happened, no key may be printed in full. */
async function login(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runCli(['auth', 'login', ...args], options);
  expectNoKeyLeak(result, ...ALL_KEYS, ...Object.values(options.env ?? {}).filter((v): v is string => v?.startsWith('sk-') === true));
  return result;
}

function configFile(dir: string): string {
  return join(dir, 'config.json');
}

/** What a server received, reduced to what the auth strategy decides. */
function seen(emulator: Emulator) {
  return emulator.requests.map((r) => ({
    method: r.method,
    path: r.path,
    authorization: r.headers.authorization,
    'x-api-key': r.headers['x-api-key'],
  }));
}

const bearer = (key: string, path = QUOTA_PATH) => ({ method: 'GET', path, authorization: `Bearer ${key}`, 'x-api-key': undefined });

function expectSavedSecurely(dir: string, expected: Record<string, unknown>): void {
  const path = configFile(dir);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(expected);
  expect(fileMode(path)).toBe(0o600);
  expect(fileMode(dir)).toBe(0o700);
}

function expectNothingSaved(dir: string): void {
  expect(existsSync(configFile(dir))).toBe(false);
}

/** A config dir holding `config.json` with the given text (and mode). */
function existingConfig(text: string, mode = 0o600): string {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(configFile(dir), text, { mode });
  return dir;
}

function expectNoRequests(...emulators: Emulator[]): void {
  for (const emulator of emulators) expect(emulator.requests).toEqual([]);
}

describe('auth login with a given region', () => {
  it('--region cn validates only against cn, with Bearer on /v1/token_plan/remains, and stores key + region (no base_url)', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      logged_in: true,
      verified: true,
      key: masked(CN_KEY),
      region: 'cn',
      base_url: CN,
      config_file: configFile(r.configDir),
    });
    expect(r.stderr).toBe(`Checking the key with ${CN}…\n`);
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expect(api.cn.requests[0]?.headers['user-agent']).toBe(USER_AGENT);
    expectNoRequests(api.global, api.host(GATEWAY), api.host(GW_CN), api.host(GW_GLOBAL));
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
  });

  it('says where it saved the key in text output', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--output', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Logged in to region cn (${CN}) with key ${masked(CN_KEY)}.\nSaved to ${configFile(r.configDir)}.\n`);
    expect(r.stderr).toBe(`Checking the key with ${CN}…\n`);
  });

  it('--quiet drops the progress line', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().region).toBe('cn');
  });

  it('--region global validates only against global (Bearer on the native API)', async () => {
    const r = await login(['--api-key', GLOBAL_KEY, '--region', 'global']);
    expect(r.code).toBe(0);
    expect(seen(api.global)).toEqual([bearer(GLOBAL_KEY)]);
    expectNoRequests(api.cn);
    expectSavedSecurely(r.configDir, { api_key: GLOBAL_KEY, region: 'global' });
  });

  it('MINIMAX_REGION counts as a given region', async () => {
    const r = await login(['--api-key', CN_KEY], { env: { MINIMAX_REGION: 'cn' } });
    expect(r.code).toBe(0);
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.global);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
  });

  it('a given region uses its MINIMAX_CN_BASE_URL override, and does not store it', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn'], { env: OVERRIDES });
    expect(r.code).toBe(0);
    expect(seen(api.host(GW_CN))).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.cn, api.global, api.host(GW_GLOBAL));
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
  });

  it('a bad key exits 3, saves nothing, and the hint names the region', async () => {
    const r = await login(['--api-key', BAD_KEY, '--region', 'cn']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`Checking the key with ${CN}…`);
    const error = JSON.parse(lines[1] ?? '').error;
    expect(error).toEqual({
      code: 3,
      message: 'API error: invalid api key (2049) (HTTP 401)',
      hint: 'The key was not accepted in region cn. Keys work only in their own region: try --region global, or check it with "mmx auth status".',
      api_code: 2049,
      request_id: expect.any(String),
    });
    expect(lines).toHaveLength(2);
    expect(seen(api.cn)).toEqual([bearer(BAD_KEY)]);
    expectNoRequests(api.global);
    expectNothingSaved(r.configDir);
  });

  it("the other region's key with --region exits 3 with a hint to try the other region (2049)", async () => {
    const r = await login(['--api-key', GLOBAL_KEY, '--region', 'cn', '--output', 'text']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `Checking the key with ${CN}…`,
      'Error: API error: invalid api key (2049)',
      '  The key was not accepted in region cn. Keys work only in their own region: try --region global, or check it with "mmx auth status".',
    ]);
    expect(lines.slice(3)).toEqual([expect.stringMatching(/^ {2}request id: \S+$/), '']);
    expect(seen(api.cn)).toEqual([bearer(GLOBAL_KEY)]);
    expectNoRequests(api.global);
    expectNothingSaved(r.configDir);

    const back = await login(['--api-key', CN_KEY, '--region', 'global', '--output', 'text']);
    expect(back.code).toBe(3);
    expect(back.stderr).toContain('try --region cn');
    expectNothingSaved(back.configDir);
  });

  it("the given region's hosts unreachable (an offline CI image): saved unverified with a warning, exit 0, as mmx-cli", async () => {
    api.down(CN);
    api.down(CN_PREVIOUS);
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--max-retries', '0']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ logged_in: true, verified: false, region: 'cn', base_url: CN });
    expect(r.stderr).toContain(
      `warning: the key was not verified: Cannot reach ${CN}: Network error. Cannot reach ${CN_PREVIOUS}: Network error. Check it later`,
    );
    expect(r.config()).toEqual({ api_key: CN_KEY, region: 'cn' });
  });

  it('--region cn with api.minimax.cn unreachable: checks the key on api.minimaxi.com, stores that as base_url, and says so', async () => {
    api.down(CN);
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--output', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Logged in to region cn (${CN_PREVIOUS}) with key ${masked(CN_KEY)}.\nSaved to ${configFile(r.configDir)}.\n`);
    expect(r.stderr).toBe(
      `Checking the key with ${CN}…\n` +
        `${CN} could not be reached, so the key was checked on ${CN_PREVIOUS}, which is stored as base_url (mmx config unset base_url goes back to ${CN}).\n`,
    );
    expect(seen(api.host(CN_PREVIOUS))).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.cn, api.global);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn', base_url: CN_PREVIOUS });

    // And the stored pair is what the next command uses.
    const quota = await runCli(['quota', '--output', 'json'], { configDir: r.configDir });
    expect(quota.code).toBe(0);
    expect(seen(api.host(CN_PREVIOUS))).toEqual([bearer(CN_KEY), bearer(CN_KEY)]);
  });

  it('api.minimaxi.com is asked only when api.minimax.cn cannot be reached: a rejection there is final (exit 3)', async () => {
    const r = await login(['--api-key', BAD_KEY, '--region', 'cn']);
    expect(r.code).toBe(3);
    expect(seen(api.cn)).toEqual([bearer(BAD_KEY)]);
    expectNoRequests(api.host(CN_PREVIOUS));
    expectNothingSaved(r.configDir);
  });

  it('a key the given region rejects is never saved: exit 3', async () => {
    const r = await login(['--api-key', EMULATOR_KEYS.global, '--region', 'cn']);
    expect(r.code).toBe(3);
    expectNothingSaved(r.configDir);
  });
});

describe('auth login with a given base URL', () => {
  it('--base-url validates there alone, takes --region, and stores base_url', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--base-url', GATEWAY]);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      logged_in: true,
      verified: true,
      key: masked(CN_KEY),
      region: 'cn',
      base_url: GATEWAY,
      config_file: configFile(r.configDir),
    });
    expect(r.stderr).toBe(`Checking the key with ${GATEWAY}…\n`);
    expect(seen(api.host(GATEWAY))).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.cn, api.global);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn', base_url: GATEWAY });
  });

  it('--base-url wins over the region-host overrides (which are only for region hosts)', async () => {
    const r = await login(['--api-key', CN_KEY, '--base-url', `${GATEWAY}/`, '--region', 'cn'], { env: OVERRIDES });
    expect(r.code).toBe(0);
    expect(seen(api.host(GATEWAY))).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.host(GW_CN), api.host(GW_GLOBAL), api.cn, api.global);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn', base_url: GATEWAY });
  });

  it('infers the region from a recognised host when no region is given', async () => {
    const r = await login(['--api-key', CN_KEY, '--base-url', CN]);
    expect(r.code).toBe(0);
    expect(r.json().region).toBe('cn');
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.global);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn', base_url: CN });
  });

  it('an unrecognised host with no region anywhere means global', async () => {
    const r = await login(['--api-key', GLOBAL_KEY, '--base-url', GW_GLOBAL]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ region: 'global', base_url: GW_GLOBAL });
    expect(seen(api.host(GW_GLOBAL))).toEqual([bearer(GLOBAL_KEY)]);
    expectNoRequests(api.cn, api.global);
    expectSavedSecurely(r.configDir, { api_key: GLOBAL_KEY, region: 'global', base_url: GW_GLOBAL });
  });

  // Issue §2 (settings): "inferred from its host, else the config region, else global"; §1 (login) omits the
  // config step ("else global"). The code follows §2 for login too; this test pins that (see the report).
  it('an unrecognised host with no given region takes the config region', async () => {
    const dir = existingConfig(JSON.stringify({ region: 'cn' }));
    const r = await login(['--api-key', CN_KEY, '--base-url', GATEWAY], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.json().region).toBe('cn');
    expect(seen(api.host(GATEWAY))).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(dir, { api_key: CN_KEY, region: 'cn', base_url: GATEWAY });
  });

  it('MINIMAX_BASE_URL validates there alone but is not stored', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn'], { env: { MINIMAX_BASE_URL: GATEWAY } });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ region: 'cn', base_url: GATEWAY });
    expect(r.stderr).toBe(
      `Checking the key with ${GATEWAY}…\nMINIMAX_BASE_URL was used for the check but is not stored; pass --base-url to store a base URL.\n`,
    );
    expect(seen(api.host(GATEWAY))).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.cn, api.global);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
  });

  it('a gateway that wants x-api-key on /v1: switches once, remembers it for that origin, then stores the key', async () => {
    api.useHost(GATEWAY, { authPolicy: { v1: 'x-api-key-only' } });
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--base-url', GATEWAY, '--output', 'text']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `Checking the key with ${GATEWAY}…\n` +
        `mmx: ${GATEWAY} rejected Authorization: Bearer on native (/v1, /v2); switched to x-api-key, which will be used there from now on.\n`,
    );
    expect(seen(api.host(GATEWAY))).toEqual([
      bearer(CN_KEY),
      { method: 'GET', path: QUOTA_PATH, authorization: undefined, 'x-api-key': CN_KEY },
    ]);
    expectSavedSecurely(r.configDir, {
      api_key: CN_KEY,
      region: 'cn',
      base_url: GATEWAY,
      auth_styles: { [GATEWAY]: { v1: 'x-api-key' } },
    });

    const status = await runCli(['auth', 'status', '--output', 'json'], { configDir: r.configDir });
    expect(status.code).toBe(0);
    expect(status.json().auth.v1).toEqual({
      header: 'x-api-key',
      style: 'x-api-key',
      reason: 'remembered',
      why: `remembered after a switch on ${GATEWAY}`,
    });
    expectNoKeyLeak(status, CN_KEY);
  });

  it('a key the given base URL rejects exits 3 and saves nothing', async () => {
    const r = await login(['--api-key', BAD_KEY, '--base-url', GATEWAY, '--region', 'cn']);
    expect(r.code).toBe(3);
    expect(seen(api.host(GATEWAY))).toEqual([bearer(BAD_KEY)]);
    expectNoRequests(api.cn, api.global);
    expectNothingSaved(r.configDir);
  });

  it('a region contradicting a recognised host gets exactly one warning line', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'global', '--base-url', CN, '--output', 'text']);
    const warnings = r.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toEqual([`warning: region global does not match ${CN}, a cn host; a key works only in its own region.`]);
  });
});

describe('auth login region detection (no region, no base URL)', () => {
  it('probes both region hosts and stores a cn key with cn', async () => {
    const r = await login(['--api-key', CN_KEY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Checking the key with ${GLOBAL} and ${CN} to find its region…\n`);
    expect(r.json()).toEqual({
      logged_in: true,
      verified: true,
      key: masked(CN_KEY),
      region: 'cn',
      base_url: CN,
      config_file: configFile(r.configDir),
    });
    expect(seen(api.global)).toEqual([bearer(CN_KEY)]);
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
  });

  it('stores a global key with global', async () => {
    const r = await login(['--api-key', GLOBAL_KEY]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ region: 'global', base_url: GLOBAL });
    expect(seen(api.global)).toEqual([bearer(GLOBAL_KEY)]);
    expect(seen(api.cn)).toEqual([bearer(GLOBAL_KEY)]);
    expectSavedSecurely(r.configDir, { api_key: GLOBAL_KEY, region: 'global' });
  });

  it('a stored region is not "given": login still detects', async () => {
    const dir = existingConfig(JSON.stringify({ region: 'global' }));
    const r = await login(['--api-key', CN_KEY], { configDir: dir });
    expect(r.code).toBe(0);
    expect(seen(api.global)).toEqual([bearer(CN_KEY)]);
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(dir, { api_key: CN_KEY, region: 'cn' });
  });

  it('a cn key with both cn hosts down exits 6, saves nothing, and the hint names --region', async () => {
    api.down(CN);
    api.down(CN_PREVIOUS);
    const r = await login(['--api-key', CN_KEY, '--output', 'text']);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `Checking the key with ${GLOBAL} and ${CN} to find its region…`,
      `Error: Could not confirm the key's region: global (${GLOBAL}): API error: invalid api key (2049); cn (${CN} and ${CN_PREVIOUS}): Cannot reach ${CN}: Network error. Cannot reach ${CN_PREVIOUS}: Network error.`,
      '  Pass the region to check only its host: mmx auth login --region cn',
    ]);
    expect(seen(api.global)).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.cn, api.host(CN_PREVIOUS));
    expectNothingSaved(r.configDir);
  });

  it('a cn key with api.minimax.cn down: found on api.minimaxi.com, stored with it as base_url', async () => {
    api.down(CN);
    const r = await login(['--api-key', CN_KEY]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ verified: true, region: 'cn', base_url: CN_PREVIOUS });
    expect(r.stderr).toContain(`${CN} could not be reached, so the key was checked on ${CN_PREVIOUS}, which is stored as base_url`);
    expect(seen(api.global)).toEqual([bearer(CN_KEY)]);
    expect(seen(api.host(CN_PREVIOUS))).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn', base_url: CN_PREVIOUS });
  });

  it('a global key with cn down still succeeds', async () => {
    api.down(CN);
    const r = await login(['--api-key', GLOBAL_KEY]);
    expect(r.code).toBe(0);
    expect(r.json().region).toBe('global');
    expectSavedSecurely(r.configDir, { api_key: GLOBAL_KEY, region: 'global' });
  });

  it('every host down exits 6 and saves nothing', async () => {
    api.down(CN);
    api.down(CN_PREVIOUS);
    api.down(GLOBAL);
    const r = await login(['--api-key', CN_KEY]);
    expect(r.code).toBe(6);
    const error = JSON.parse(r.stderr.trimEnd().split('\n').at(-1) ?? '').error;
    expect(error.code).toBe(6);
    expect(error.hint).toMatch(/--region (cn|global)$/);
    expectNothingSaved(r.configDir);
  });

  describe('through MINIMAX_GLOBAL_BASE_URL / MINIMAX_CN_BASE_URL', () => {
    it('a cn key lands on cn; the real region hosts are never asked', async () => {
      const r = await login(['--api-key', CN_KEY], { env: OVERRIDES });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`Checking the key with ${GW_GLOBAL} and ${GW_CN} to find its region…\n`);
      expect(r.json()).toMatchObject({ region: 'cn', base_url: GW_CN });
      expect(seen(api.host(GW_GLOBAL))).toEqual([bearer(CN_KEY)]);
      expect(seen(api.host(GW_CN))).toEqual([bearer(CN_KEY)]);
      expectNoRequests(api.cn, api.global, api.host(GATEWAY));
      expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
    });

    it('a global key lands on global', async () => {
      const r = await login(['--api-key', GLOBAL_KEY], { env: OVERRIDES });
      expect(r.code).toBe(0);
      expect(r.json()).toMatchObject({ region: 'global', base_url: GW_GLOBAL });
      expect(seen(api.host(GW_GLOBAL))).toEqual([bearer(GLOBAL_KEY)]);
      expect(seen(api.host(GW_CN))).toEqual([bearer(GLOBAL_KEY)]);
      expectNoRequests(api.cn, api.global);
      expectSavedSecurely(r.configDir, { api_key: GLOBAL_KEY, region: 'global' });
    });

    it('a bad key is rejected everywhere: exit 3, both regions named, nothing saved', async () => {
      const r = await login(['--api-key', BAD_KEY, '--output', 'text'], { env: OVERRIDES });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toEqual([
        `Checking the key with ${GW_GLOBAL} and ${GW_CN} to find its region…`,
        `Error: The key was rejected in every region: global (${GW_GLOBAL}): API error: invalid api key (2049) (HTTP 401); cn (${GW_CN}): API error: invalid api key (2049) (HTTP 401)`,
        '  Check the key on the MiniMax platform it was created on (platform.minimax.io or platform.minimaxi.com).',
      ]);
      expect(seen(api.host(GW_GLOBAL))).toEqual([bearer(BAD_KEY)]);
      expect(seen(api.host(GW_CN))).toEqual([bearer(BAD_KEY)]);
      expectNothingSaved(r.configDir);
    });

    it('a cn key with the cn host down exits 6 with a --region hint, nothing saved', async () => {
      api.down(GW_CN);
      const r = await login(['--api-key', CN_KEY], { env: OVERRIDES });
      expect(r.code).toBe(6);
      expect(r.stdout).toBe('');
      const error = JSON.parse(r.stderr.trimEnd().split('\n').at(-1) ?? '').error;
      expect(error.code).toBe(6);
      expect(error.message).toMatch(/^Could not confirm the key's region: /);
      expect(error.hint).toBe('Pass the region to check only its host: mmx auth login --region cn');
      expect(seen(api.host(GW_GLOBAL))).toEqual([bearer(CN_KEY)]);
      expectNothingSaved(r.configDir);
    });

    it('a global key with the cn host down succeeds', async () => {
      api.down(GW_CN);
      const r = await login(['--api-key', GLOBAL_KEY], { env: OVERRIDES });
      expect(r.code).toBe(0);
      expect(r.json()).toMatchObject({ region: 'global', base_url: GW_GLOBAL });
      expectSavedSecurely(r.configDir, { api_key: GLOBAL_KEY, region: 'global' });
    });

    /** A gateway answering both regions: its global side accepts the cn key too. */
    const acceptBoth = () => api.useHost(GW_GLOBAL, { keys: { ...EMULATOR_KEY_REGISTRY, [CN_KEY]: { region: 'global' } } });
    /** A sleep that records its wait and ends only when cancelled, so a grace period lasts as long as the test needs. */
    const waitUntilCancelled = (waits: number[]) => ({
      now: () => Date.parse('2026-11-28T12:00:00Z'),
      sleep: (ms: number, signal?: AbortSignal) => {
        waits.push(ms);
        return new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      },
    });

    it.each(['global', 'cn'] as const)(
      'both hosts accept the key (a gateway): the stored region %s is kept, even when the other one answers first',
      async (stored) => {
        acceptBoth();
        // The stored region's host answers last: the login waits for it rather than take the first acceptance.
        api.host(stored === 'cn' ? GW_CN : GW_GLOBAL).enqueueFault({ kind: 'slow-first-byte', ms: 150 });
        const dir = existingConfig(JSON.stringify({ region: stored }));
        const waits: number[] = [];
        const r = await login(['--api-key', CN_KEY], { env: OVERRIDES, configDir: dir, clock: waitUntilCancelled(waits) });
        expect(r.code).toBe(0);
        expect(r.json()).toMatchObject({ verified: true, region: stored, base_url: stored === 'cn' ? GW_CN : GW_GLOBAL });
        expect(seen(api.host(GW_GLOBAL))).toEqual([bearer(CN_KEY)]);
        expect(seen(api.host(GW_CN))).toEqual([bearer(CN_KEY)]);
        expect(waits).toEqual([STORED_REGION_GRACE_MS]);
        expectSavedSecurely(dir, { api_key: CN_KEY, region: stored });
      },
    );

    it('both accept and the stored region answers first: taken at once, no grace waited', async () => {
      acceptBoth();
      api.host(GW_GLOBAL).enqueueFault({ kind: 'slow-first-byte', ms: 150 });
      const dir = existingConfig(JSON.stringify({ region: 'cn' }));
      const waits: number[] = [];
      const r = await login(['--api-key', CN_KEY], { env: OVERRIDES, configDir: dir, clock: waitUntilCancelled(waits) });
      expect(r.code).toBe(0);
      expect(r.json().region).toBe('cn');
      expect(waits).toEqual([]);
    });

    it('a host that takes the request and never answers does not hold the login: the other region is taken at once', async () => {
      // No timer behind the silence: the request simply never gets an answer (until it is cancelled).
      api.useHost(GW_CN, { sleep: () => new Promise<void>(() => undefined) });
      api.host(GW_CN).enqueueFault({ kind: 'slow-first-byte', ms: 1 });
      const r = await login(['--api-key', GLOBAL_KEY, '--output', 'text'], { env: OVERRIDES });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Logged in to region global (${GW_GLOBAL})`);
      expect(seen(api.host(GW_CN))).toEqual([bearer(GLOBAL_KEY)]);
      expectSavedSecurely(r.configDir, { api_key: GLOBAL_KEY, region: 'global' });
    });

    it("the stored region's host never answers: the other region's acceptance is taken after the grace period", async () => {
      api.useHost(GW_CN, { sleep: () => new Promise<void>(() => undefined) });
      api.host(GW_CN).enqueueFault({ kind: 'slow-first-byte', ms: 1 });
      const dir = existingConfig(JSON.stringify({ region: 'cn' }));
      const waits: number[] = [];
      // The grace period passes at once on this clock.
      const clock = { now: () => Date.parse('2026-11-28T12:00:00Z'), sleep: async (ms: number) => void waits.push(ms) };
      const r = await login(['--api-key', GLOBAL_KEY], { env: OVERRIDES, configDir: dir, clock });
      expect(r.code).toBe(0);
      expect(r.json()).toMatchObject({ region: 'global', base_url: GW_GLOBAL });
      expect(waits).toEqual([STORED_REGION_GRACE_MS]);
      expectSavedSecurely(dir, { api_key: GLOBAL_KEY, region: 'global' });
    });

    it('Ctrl-C while a host is silent ends the login with exit 130 and saves nothing', async () => {
      api.useHost(GW_CN, { sleep: () => new Promise<void>(() => undefined) });
      api.host(GW_CN).enqueueFault({ kind: 'slow-first-byte', ms: 1 });
      const controller = new AbortController();
      // global rejects the cn key at once; cn never answers: the login waits until Ctrl-C.
      setTimeout(() => controller.abort(new Error('SIGINT')), 50);
      const r = await login(['--api-key', CN_KEY, '--output', 'text'], { env: OVERRIDES, signal: controller.signal });
      expect(r.code).toBe(130);
      expect(r.stderr).toContain('Interrupted.');
      expectNothingSaved(r.configDir);
    });

    it('on a terminal, a progress line says which hosts it waits for, and is erased', async () => {
      const r = await login(['--api-key', CN_KEY, '--output', 'text'], { env: OVERRIDES, stderrTTY: true });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Checking the key with ${GW_GLOBAL} and ${GW_CN} to find its region…\n\r⠋ Checking the key`);
      expect(r.stderr).toContain(`Checking the key: waiting for ${GW_GLOBAL} and ${GW_CN} · 0 s\u001b[K`);
      expect(r.stderr.endsWith('\r\u001b[K')).toBe(true);
      const piped = await login(['--api-key', CN_KEY, '--output', 'text'], { env: OVERRIDES });
      expect(piped.stderr).toBe(`Checking the key with ${GW_GLOBAL} and ${GW_CN} to find its region…\n`);
    });
  });
});

describe('auth login key kinds', () => {
  it('a pay-as-you-go key (sk-api-) is validated with /account/query_balance', async () => {
    const key = EMULATOR_KEYS.cnPayg;
    const r = await login(['--api-key', key, '--region', 'cn']);
    expect(r.code).toBe(0);
    expect(seen(api.cn)).toEqual([bearer(key, '/account/query_balance')]);
    expectNoRequests(api.global);
    expectSavedSecurely(r.configDir, { api_key: key, region: 'cn' });
  });

  it('detection of a pay-as-you-go key probes /account/query_balance on both hosts', async () => {
    const key = EMULATOR_KEYS.globalPayg;
    const r = await login(['--api-key', key]);
    expect(r.code).toBe(0);
    expect(seen(api.global)).toEqual([bearer(key, '/account/query_balance')]);
    expect(seen(api.cn)).toEqual([bearer(key, '/account/query_balance')]);
    expectSavedSecurely(r.configDir, { api_key: key, region: 'global' });
  });
});

describe('where auth login gets the key', () => {
  it('--api-key - reads the key from stdin and never prints it', async () => {
    const r = await login(['--api-key', '-', '--region', 'cn', '--output', 'text'], { stdin: `${CN_KEY}\n` });
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(1);
    expect(r.prompts).toEqual([]);
    expect(r.stdout).toContain(`with key ${masked(CN_KEY)}.`);
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
  });

  it('--api-key - with an empty stdin is a usage error', async () => {
    const r = await login(['--api-key', '-', '--region', 'cn'], { stdin: '' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.code).toBe(2);
    expectNoRequests(api.cn, api.global);
    expectNothingSaved(r.configDir);
  });

  it('no key and stdin not a terminal: exit 2, no prompt, no stdin read, nothing sent', async () => {
    const r = await login(['--region', 'cn', '--output', 'text'], { stdin: '', stderrTTY: true });
    expect(r.code).toBe(2);
    expect(r.prompts).toEqual([]);
    expect(r.stdinReads).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('No API key given: pass --api-key KEY, or --api-key - to read it from stdin.');
    expectNoRequests(api.cn, api.global);
    expectNothingSaved(r.configDir);
  });

  it('no key and --non-interactive on a terminal: exit 2, no prompt', async () => {
    const r = await login(['--region', 'cn', '--non-interactive'], { stderrTTY: true, secret: CN_KEY });
    expect(r.code).toBe(2);
    expect(r.prompts).toEqual([]);
    expect(JSON.parse(r.stderr).error).toEqual({
      code: 2,
      message: 'No API key given: pass --api-key KEY, or --api-key - to read it from stdin.',
      hint: 'Example: mmx auth login --api-key sk-cp-… --region cn',
    });
    expectNoRequests(api.cn, api.global);
    expectNothingSaved(r.configDir);
  });

  it('CI=true counts as non-interactive', async () => {
    const r = await login(['--region', 'cn'], { stderrTTY: true, secret: CN_KEY, env: { CI: 'true' } });
    expect(r.code).toBe(2);
    expect(r.prompts).toEqual([]);
    expectNothingSaved(r.configDir);
  });

  it('stdin a terminal but stderr not (the prompt would be invisible): exit 2, no prompt (as the README says)', async () => {
    const r = await login(['--region', 'cn'], { stderrTTY: false, secret: CN_KEY });
    expect(r.code).toBe(2);
    expect(r.prompts).toEqual([]);
    expectNothingSaved(r.configDir);
  });

  it("on a terminal, the menu's API key choice, then the hidden prompt supplies the key", async () => {
    const r = await login(['--region', 'cn', '--output', 'json'], { stderrTTY: true, answer: '2', secret: `${CN_KEY}\n` });
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(['Choose 1-2 [1]: ', 'MiniMax API key (input hidden): ']);
    expect(r.stdinReads).toBe(0);
    expect(r.json().key).toBe(masked(CN_KEY));
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
  });

  it('an empty answer to the prompt is a usage error', async () => {
    const r = await login(['--region', 'cn'], { stderrTTY: true, answer: '2', secret: '' });
    expect(r.code).toBe(2);
    expect(r.prompts).toHaveLength(2);
    expect(JSON.parse(r.stderr.split('\n').filter((line) => line.startsWith('{'))[0] as string).error.message).toBe('No API key entered.');
    expectNothingSaved(r.configDir);
  });

  it('MINIMAX_API_KEY alone, non-interactive: exit 2 with a hint on storing it; the env key never reaches disk', async () => {
    const r = await login(['--region', 'cn', '--output', 'text'], { stdin: '', env: { MINIMAX_API_KEY: CN_KEY } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'Error: No API key given: pass --api-key KEY, or --api-key - to read it from stdin.',
        '  MINIMAX_API_KEY is set and is used without logging in; to store it: printenv MINIMAX_API_KEY | mmx auth login --api-key -',
        '',
      ].join('\n'),
    );
    expectNoRequests(api.cn, api.global);
    expectNothingSaved(r.configDir);
  });

  it('a flag key is stored, MINIMAX_API_KEY is not, and a warning says the env key still wins', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--output', 'text'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `Checking the key with ${CN}…\nwarning: MINIMAX_API_KEY is set; it takes precedence over the stored key until you unset it.\n`,
    );
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(r.configDir, { api_key: CN_KEY, region: 'cn' });
    expect(readFileSync(configFile(r.configDir), 'utf8')).not.toContain(EMULATOR_KEYS.cnPayg);
  });
});

describe('auth login --verbose', () => {
  it('logs each probe with the header chosen and why, the key masked', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        `Checking the key with ${CN}…`,
        `> GET ${CN}${QUOTA_PATH}`,
        '> auth: Authorization: Bearer (region cn table)',
        `> user-agent: ${USER_AGENT}`,
        '> accept: application/json',
        '> accept-encoding: identity',
        `> authorization: Bearer ${masked(CN_KEY)}`,
        '< 200 application/json; charset=utf-8 after 0 ms',
        '',
      ].join('\n'),
    );
  });
});

describe('auth login --dry-run', () => {
  it('sends nothing, saves nothing, and prints the request with the key masked', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--dry-run', '--output', 'json']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      dry_run: true,
      requests: [
        {
          method: 'GET',
          url: `${CN}${QUOTA_PATH}`,
          headers: {
            'user-agent': USER_AGENT,
            accept: 'application/json',
            'accept-encoding': 'identity',
            authorization: `Bearer ${masked(CN_KEY)}`,
          },
          auth: { style: 'bearer', header: 'Authorization: Bearer', reason: 'region', why: 'region cn table' },
        },
      ],
    });
    expectNoRequests(api.cn, api.global);
    expectNothingSaved(r.configDir);
  });

  it('in text, shows both probes of a detection', async () => {
    const r = await login(['--api-key', GLOBAL_KEY, '--dry-run', '--output', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `GET ${GLOBAL}${QUOTA_PATH}`,
        `user-agent: ${USER_AGENT}`,
        'accept: application/json',
        'accept-encoding: identity',
        `authorization: Bearer ${masked(GLOBAL_KEY)}`,
        '(auth: Authorization: Bearer, region global table; dry run, nothing sent)',
        '',
        `GET ${CN}${QUOTA_PATH}`,
        `user-agent: ${USER_AGENT}`,
        'accept: application/json',
        'accept-encoding: identity',
        `authorization: Bearer ${masked(GLOBAL_KEY)}`,
        '(auth: Authorization: Bearer, region cn table; dry run, nothing sent)',
        '',
        '',
      ].join('\n'),
    );
    expectNoRequests(api.cn, api.global);
    expectNothingSaved(r.configDir);
  });
});

describe('auth login refusals and the config file', () => {
  it('keeps unknown and other keys of an existing config, in one write, and tightens its mode to 0600', async () => {
    const before = {
      api_key: 'sk-cp-old-key-0000000000000000',
      region: 'global',
      default_text_model: 'MiniMax-M2.5',
      auth_styles: { [GLOBAL]: { anthropic: 'bearer' } },
      future_setting: { nested: [1, 2, 3] },
      theme: 'dark',
    };
    const dir = existingConfig(JSON.stringify(before), 0o644);
    const write = vi.spyOn(Conf.prototype as unknown as { _write: (value: unknown) => void }, '_write');
    const r = await login(['--api-key', CN_KEY, '--region', 'cn'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(write).toHaveBeenCalledTimes(1);
    expectSavedSecurely(dir, { ...before, api_key: CN_KEY, region: 'cn' });
  });

  it('a login without --base-url drops a stored base_url (README: stored region and URL always match)', async () => {
    const dir = existingConfig(JSON.stringify({ api_key: 'sk-cp-old', region: 'global', base_url: GATEWAY, output: 'text' }));
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectNoRequests(api.host(GATEWAY));
    expectSavedSecurely(dir, { api_key: CN_KEY, region: 'cn', output: 'text' });
  });

  // Commander echoes a mistyped option with its value: `--apikey=KEY` puts the whole key on stderr
  // (and so into CI logs). The brief says a key is never printed in full; src does not mask it yet.
  it('a mistyped --apikey=KEY is a usage error that does not echo the key', async () => {
    const r = await runCli(['auth', 'login', `--apikey=${CN_KEY}`, '--region', 'cn']);
    expect(r.code).toBe(2);
    expectNoRequests(api.cn, api.global);
    expectNoKeyLeak(r, CN_KEY);
  });

  it('creates the config directory 0700 and the file 0600', async () => {
    const r = await login(['--api-key', CN_KEY, '--region', 'cn']);
    expect(r.code).toBe(0);
    expect(fileMode(r.configDir)).toBe(0o700);
    expect(fileMode(configFile(r.configDir))).toBe(0o600);
  });

  // The brief asked that login "does not overwrite" a corrupt file. The project has since chosen (commit
  // "Config safety") to let login replace it after keeping it aside as config.json.broken-<time>, with a
  // warning naming the file and the place; read commands and logout still stop on it (see status/logout tests).
  it('a corrupt config file is named (file, line, column) and kept aside byte for byte; login then writes a fresh one', async () => {
    const text = '{"api_key": "x",, }';
    const dir = existingConfig(text);
    const path = configFile(dir);
    const backup = 'config.json.broken-2026-11-28T12-00-00-000Z';
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--output', 'text'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        `warning: ${path} is not valid JSON at line 1, column 17. Settings in it are ignored for this run.`,
        `Checking the key with ${CN}…`,
        `warning: kept the unreadable config as ${backup} in ${dir}; config.json was written anew.`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, backup), 'utf8')).toBe(text);
    expect(seen(api.cn)).toEqual([bearer(CN_KEY)]);
    expectSavedSecurely(dir, { api_key: CN_KEY, region: 'cn' });
  });

  it('a config file with a bad value is named with the key, and kept aside too', async () => {
    const text = JSON.stringify({ region: 'eu', api_key: 'sk-cp-old' });
    const dir = existingConfig(text);
    const path = configFile(dir);
    const r = await login(['--api-key', CN_KEY, '--region', 'cn', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^warning: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: region: .+ Settings in it are ignored for this run\\.$`),
    );
    expect(readFileSync(join(dir, 'config.json.broken-2026-11-28T12-00-00-000Z'), 'utf8')).toBe(text);
    expectSavedSecurely(dir, { api_key: CN_KEY, region: 'cn' });
  });
});
