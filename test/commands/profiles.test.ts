/**
 * Profiles through the real entry against both region emulators: `auth login --profile`, the
 * `--profile` flag and MMX_PROFILE routing each command to its profile's region host with its
 * header (asserted at the emulators), `auth switch` (config.json keeps mmx-cli's shape, and the
 * previous credential is kept as a profile), `auth status` listing, `auth logout --profile`, an
 * unknown name (exit 2, the names listed), the precedence of --api-key and MINIMAX_API_KEY, an
 * OAuth profile refreshed into the profile it came from, and completion of the names.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, type Emulator } from '../../src/emulator/index.js';
import { CN, GLOBAL, useEmulators } from '../helpers/api.js';
import { expectNoKeyLeak, masked } from '../helpers/leak.js';
import { type RunOptions, type RunResult, fakeClock, fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();

const CN_KEY = EMULATOR_KEYS.cn;
const GLOBAL_KEY = EMULATOR_KEYS.global;
const ENV_KEY = EMULATOR_KEYS.globalPayg;
const KEYS = Object.values(EMULATOR_KEYS);
const NOW = Date.parse('2026-11-28T12:00:00Z');
const QUOTA = '/v1/token_plan/remains';
/** The keys mmx-cli 1.0.27 keeps when it rewrites config.json (its config reader, `Ba` in the bundle). */
const MMX_CLI_KEYS = [
  'api_key',
  'region',
  'base_url',
  'output',
  'timeout',
  'proxy',
  'oauth',
  'default_text_model',
  'default_speech_model',
  'default_video_model',
];

async function mmx(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runCli(args, { now: NOW, ...options });
  const printed = typeof options.printsKey === 'function' ? options.printsKey() : options.printsKey;
  expectNoKeyLeak(result, ...KEYS.filter((k) => k !== printed));
  return result;
}

function readJson(dir: string, name: string): any {
  return JSON.parse(readFileSync(join(dir, name), 'utf8'));
}

function withFiles(config: Record<string, unknown>, profiles?: Record<string, unknown>): string {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  if (profiles) writeFileSync(join(dir, 'profiles.json'), `${JSON.stringify(profiles, null, 2)}\n`, { mode: 0o600 });
  return dir;
}

/** The state after logging in a cn key as `work` (the first login: it became the active one) and a global key as `personal`. */
async function twoProfiles(): Promise<string> {
  const work = await mmx(['auth', 'login', '--profile', 'work', '--region', 'cn', '--api-key', CN_KEY, '--output', 'json']);
  expect(work.code, work.stderr).toBe(0);
  const dir = work.configDir;
  const personal = await mmx(['auth', 'login', '--profile', 'personal', '--api-key', GLOBAL_KEY, '--output', 'json'], { configDir: dir });
  expect(personal.code, personal.stderr).toBe(0);
  api.cn.reset();
  api.global.reset();
  return dir;
}

/** The requests an emulator got, as method, path, auth style and key. */
function seen(emulator: Emulator) {
  return emulator.requests.map((r) => ({ method: r.method, path: r.path, style: r.authStyle, key: r.key }));
}

describe('auth login --profile', () => {
  it('the first login into a named profile becomes the active one (config.json); the second goes to profiles.json, 0600', async () => {
    const work = await mmx(['auth', 'login', '--profile', 'work', '--region', 'cn', '--api-key', CN_KEY, '--output', 'json']);
    expect(work.code, work.stderr).toBe(0);
    expect(work.json()).toMatchObject({ logged_in: true, key: masked(CN_KEY), region: 'cn', profile: 'work', active: true });
    const dir = work.configDir;
    // config.json keeps mmx-cli's shape: the key and its region, nothing mmx-cli would drop.
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn' });
    expect(readJson(dir, 'profiles.json')).toEqual({ version: 1, current: 'work', profiles: {} });

    const personal = await mmx(['auth', 'login', '--profile', 'personal', '--api-key', GLOBAL_KEY], { configDir: dir, stdoutTTY: true });
    expect(personal.code, personal.stderr).toBe(0);
    expect(personal.stdout).toContain('Profile personal; make it the active one with: mmx auth switch personal');
    // Both regions were asked (detection), the global one accepted it.
    expect(seen(api.global).at(-1)).toMatchObject({ path: QUOTA, style: 'bearer', key: GLOBAL_KEY });
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn' });
    expect(readJson(dir, 'profiles.json')).toEqual({
      version: 1,
      current: 'work',
      profiles: { personal: { api_key: GLOBAL_KEY, region: 'global' } },
    });
    expect(fileMode(join(dir, 'profiles.json'))).toBe(0o600);
    expect(fileMode(dir)).toBe(0o700);
  });

  it('a login without --profile still replaces the active credential only; the other profiles stay', async () => {
    const dir = await twoProfiles();
    const r = await mmx(['auth', 'login', '--api-key', EMULATOR_KEYS.cnPayg, '--region', 'cn', '--output', 'json'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).not.toHaveProperty('profile');
    expect(readJson(dir, 'config.json')).toEqual({ api_key: EMULATOR_KEYS.cnPayg, region: 'cn' });
    expect(readJson(dir, 'profiles.json').profiles).toEqual({ personal: { api_key: GLOBAL_KEY, region: 'global' } });
  });

  it('a rejected key stores nothing in the profile', async () => {
    const dir = await twoProfiles();
    const before = readFileSync(join(dir, 'profiles.json'), 'utf8');
    const r = await mmx(['auth', 'login', '--profile', 'other', '--region', 'global', '--api-key', CN_KEY], { configDir: dir });
    expect(r.code).toBe(3);
    expect(readFileSync(join(dir, 'profiles.json'), 'utf8')).toBe(before);
  });
});

describe('--profile and MMX_PROFILE route a command to the profile region, with its key and header', () => {
  it('quota: the active cn profile goes to the cn host; --profile personal to the global host; nothing crosses', async () => {
    const dir = await twoProfiles();
    const active = await mmx(['quota', '--output', 'json'], { configDir: dir });
    expect(active.code, active.stderr).toBe(0);
    expect(seen(api.cn)).toEqual([{ method: 'GET', path: QUOTA, style: 'bearer', key: CN_KEY }]);
    expect(api.global.requests).toEqual([]);
    api.cn.reset();

    const personal = await mmx(['quota', '--output', 'json', '--profile', 'personal'], { configDir: dir });
    expect(personal.code, personal.stderr).toBe(0);
    expect(seen(api.global)).toEqual([{ method: 'GET', path: QUOTA, style: 'bearer', key: GLOBAL_KEY }]);
    expect(api.cn.requests).toEqual([]);
  });

  it('text chat with MMX_PROFILE=personal: /anthropic on the global host with x-api-key; --profile work: Bearer on cn', async () => {
    const dir = await twoProfiles();
    const g = await mmx(['text', 'chat', '--message', 'hi', '--output', 'json'], { configDir: dir, env: { MMX_PROFILE: 'personal' } });
    expect(g.code, g.stderr).toBe(0);
    expect(seen(api.global)).toEqual([{ method: 'POST', path: '/anthropic/v1/messages', style: 'x-api-key', key: GLOBAL_KEY }]);
    expect(api.cn.requests).toEqual([]);
    api.global.reset();
    // The flag beats the variable.
    const c = await mmx(['text', 'chat', '--message', 'hi', '--output', 'json', '--profile', 'work'], {
      configDir: dir,
      env: { MMX_PROFILE: 'personal' },
    });
    expect(c.code, c.stderr).toBe(0);
    expect(seen(api.cn)).toEqual([{ method: 'POST', path: '/anthropic/v1/messages', style: 'bearer', key: CN_KEY }]);
    expect(api.global.requests).toEqual([]);
  });

  it("a profile's base_url goes with its key; config.json's settings that are not the credential still apply", async () => {
    const dir = withFiles(
      { api_key: CN_KEY, region: 'cn', base_url: 'https://api.minimaxi.com', timeout: 42, output: 'json' },
      { profiles: { personal: { api_key: GLOBAL_KEY, region: 'global' } } },
    );
    const r = await mmx(['config', 'show', '--profile', 'personal'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ region: 'global', base_url: GLOBAL, timeout: 42, output: 'json', api_key: masked(GLOBAL_KEY) });
  });

  it('--api-key and MINIMAX_API_KEY beat --profile (said on stderr for the variable); the profile region stays', async () => {
    const dir = await twoProfiles();
    const env = await mmx(['quota', '--output', 'json', '--profile', 'personal'], { configDir: dir, env: { MINIMAX_API_KEY: ENV_KEY } });
    expect(env.code, env.stderr).toBe(0);
    expect(env.stderr).toContain('MINIMAX_API_KEY is set; it is used instead of the key of --profile personal.');
    // The variable's key, to the profile's region host.
    expect(api.global.requests.every((q) => q.key === ENV_KEY)).toBe(true);
    expect(api.global.requests.length).toBeGreaterThan(0);
    expect(api.cn.requests).toEqual([]);
    api.global.reset();

    const flag = await mmx(
      ['auth', 'status', '--output', 'json', '--offline', '--profile', 'personal', '--api-key', EMULATOR_KEYS.global],
      {
        configDir: dir,
      },
    );
    expect(flag.json()).toMatchObject({ key_source: 'flag', region: 'global', profile: null });
  });

  it('MINIMAX_REGION replacing a profile region is said, since the key works only in its own region', async () => {
    const dir = await twoProfiles();
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json', '--profile', 'personal'], {
      configDir: dir,
      env: { MINIMAX_REGION: 'cn' },
    });
    expect(r.stderr).toContain('MINIMAX_REGION=cn replaces region global of --profile personal');
    expect(r.json()).toMatchObject({ region: 'cn', key: masked(GLOBAL_KEY) });
  });
});

describe('mmx config with a profile that is not the active one', () => {
  it("refuses to set or unset a credential field (config.json's are the active profile's); shared settings are fine", async () => {
    const dir = await twoProfiles();
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const set = await mmx(['config', 'set', 'region', 'global', '--profile', 'personal'], { configDir: dir });
    expect(set.code).toBe(2);
    expect(set.stderr).toContain(
      "mmx config changes region in config.json, which is the active profile's, not that of --profile personal.",
    );
    const unset = await mmx(['config', 'unset', 'base_url'], { configDir: dir, env: { MMX_PROFILE: 'personal' } });
    expect(unset.code).toBe(2);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
    const shared = await mmx(['config', 'set', 'timeout', '42', '--profile', 'personal'], { configDir: dir });
    expect(shared.code, shared.stderr).toBe(0);
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn', timeout: 42 });
    // The active profile by name is config.json itself.
    expect((await mmx(['config', 'set', 'region', 'cn', '--profile', 'work'], { configDir: dir })).code).toBe(0);
  });
});

describe('an unknown or malformed profile name', () => {
  it('exit 2 naming what was typed (flag or variable) and the profiles there are; nothing sent', async () => {
    const dir = await twoProfiles();
    const flag = await mmx(['quota', '--profile', 'wrok'], { configDir: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--profile wrok: no such profile; profiles: work, personal.');
    expect(flag.stderr).toContain('mmx auth login --profile wrok');
    const env = await mmx(['text', 'chat', '--message', 'hi', '--output', 'json'], { configDir: dir, env: { MMX_PROFILE: 'wrok' } });
    expect(env.code).toBe(2);
    expect(JSON.parse(env.stderr).error.message).toBe('MMX_PROFILE=wrok: no such profile; profiles: work, personal.');
    const none = await mmx(['quota', '--profile', 'x'], { configDir: withFiles({}) });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--profile x: no such profile; there are no profiles yet.');
    expect(api.cn.requests).toEqual([]);
    expect(api.global.requests).toEqual([]);
  });

  it('a name that is not a name (a path, white space) is a usage error naming the flag', async () => {
    const r = await mmx(['quota', '--profile', '../x'], { configDir: withFiles({ api_key: CN_KEY, region: 'cn' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--profile must be a profile name');
    const e = await mmx(['quota'], { configDir: withFiles({ api_key: CN_KEY, region: 'cn' }), env: { MMX_PROFILE: 'a b' } });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('MMX_PROFILE must be a profile name');
  });

  it('a broken profiles.json is an error naming the file, and is never overwritten', async () => {
    const dir = withFiles({ api_key: CN_KEY, region: 'cn' });
    writeFileSync(join(dir, 'profiles.json'), '{"profiles": {', { mode: 0o600 });
    const r = await mmx(['auth', 'login', '--profile', 'x', '--region', 'global', '--api-key', GLOBAL_KEY], { configDir: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'profiles.json')} is not valid JSON`);
    expect(readFileSync(join(dir, 'profiles.json'), 'utf8')).toBe('{"profiles": {');
    // Commands that name no profile do not read it.
    expect((await mmx(['quota', '--output', 'json'], { configDir: dir })).code).toBe(0);
  });

  it('profiles.json is read as config.json is: a byte order mark (Notepad) is fine', async () => {
    const dir = withFiles({ api_key: CN_KEY, region: 'cn' });
    const profile = { profiles: { personal: { api_key: GLOBAL_KEY, region: 'global' } } };
    writeFileSync(join(dir, 'profiles.json'), `\ufeff${JSON.stringify(profile)}`, { mode: 0o600 });
    const r = await mmx(['quota', '--profile', 'personal', '--output', 'json'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(api.global.requests.map((q) => q.headers.authorization)).toEqual([`Bearer ${GLOBAL_KEY}`]);
  });
});

describe('auth switch', () => {
  it('copies the profile into config.json (mmx-cli follows) and keeps the previous credential as a profile', async () => {
    const dir = await twoProfiles();
    const r = await mmx(['auth', 'switch', 'personal', '--output', 'json'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({
      switched: true,
      profile: 'personal',
      previous: 'work',
      method: 'api-key',
      key: masked(GLOBAL_KEY),
      region: 'global',
      base_url: GLOBAL,
      config_file: join(dir, 'config.json'),
    });
    const config = readJson(dir, 'config.json');
    expect(config).toEqual({ api_key: GLOBAL_KEY, region: 'global' });
    for (const key of Object.keys(config)) expect(MMX_CLI_KEYS).toContain(key);
    expect(readJson(dir, 'profiles.json')).toEqual({
      version: 1,
      current: 'personal',
      profiles: { work: { api_key: CN_KEY, region: 'cn' } },
    });
    // The next command without --profile uses it, on its region's host.
    expect((await mmx(['quota', '--output', 'json'], { configDir: dir })).code).toBe(0);
    expect(seen(api.global)).toEqual([{ method: 'GET', path: QUOTA, style: 'bearer', key: GLOBAL_KEY }]);
    expect(api.cn.requests).toEqual([]);
    // And back.
    const back = await mmx(['auth', 'switch', 'work'], { configDir: dir, stdoutTTY: true });
    expect(back.stdout).toContain('Switched to profile work: key sk-…YaXe, region cn (https://api.minimax.cn).');
    expect(back.stdout).toContain('kept as profile personal');
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn' });
  });

  it('settings other than the credential stay in config.json through a switch; a base_url travels with its key', async () => {
    const dir = withFiles(
      {
        api_key: CN_KEY,
        region: 'cn',
        base_url: 'https://api.minimaxi.com',
        timeout: 42,
        auth_styles: { [GLOBAL]: { anthropic: 'bearer' } },
      },
      { profiles: { personal: { api_key: GLOBAL_KEY, region: 'global' } } },
    );
    expect((await mmx(['auth', 'switch', 'personal'], { configDir: dir })).code).toBe(0);
    expect(readJson(dir, 'config.json')).toEqual({
      api_key: GLOBAL_KEY,
      region: 'global',
      timeout: 42,
      auth_styles: { [GLOBAL]: { anthropic: 'bearer' } },
    });
    expect(readJson(dir, 'profiles.json').profiles).toEqual({
      default: { api_key: CN_KEY, region: 'cn', base_url: 'https://api.minimaxi.com' },
    });
  });

  it('the active one: says so and writes nothing; an unknown one: exit 2 with the names', async () => {
    const dir = await twoProfiles();
    const before = [readFileSync(join(dir, 'config.json'), 'utf8'), readFileSync(join(dir, 'profiles.json'), 'utf8')];
    const same = await mmx(['auth', 'switch', 'work', '--output', 'json'], { configDir: dir });
    expect(same.code).toBe(0);
    expect(same.json()).toMatchObject({ switched: false, profile: 'work' });
    const unknown = await mmx(['auth', 'switch', 'nope'], { configDir: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No such profile: nope; profiles: work, personal.');
    expect([readFileSync(join(dir, 'config.json'), 'utf8'), readFileSync(join(dir, 'profiles.json'), 'utf8')]).toEqual(before);
  });

  it('no name: a script gets exit 2 and the names; a terminal gets a list to pick from', async () => {
    const dir = await twoProfiles();
    const script = await mmx(['auth', 'switch'], { configDir: dir, stdin: '' });
    expect(script.code).toBe(2);
    expect(script.stderr).toContain('Name the profile to switch to: mmx auth switch NAME; profiles: work, personal.');
    const terminal = await mmx(['auth', 'switch'], { configDir: dir, stderrTTY: true, answer: '1' });
    expect(terminal.code, terminal.stderr).toBe(0);
    expect(terminal.stderr).toContain('Which profile?\n  1. personal  (global, sk-…');
    expect(readJson(dir, 'config.json')).toEqual({ api_key: GLOBAL_KEY, region: 'global' });
  });

  it('a key mmx-cli wrote to config.json is the active profile, and mmx-cli rewriting config.json loses no profile', async () => {
    const dir = await twoProfiles();
    // mmx-cli's `config set api_key` / login: it reads the keys it knows and writes only those back.
    const config = readJson(dir, 'config.json');
    const rewritten = Object.fromEntries(
      Object.entries({ ...config, api_key: EMULATOR_KEYS.cnPayg }).filter(([k]) => MMX_CLI_KEYS.includes(k)),
    );
    writeFileSync(join(dir, 'config.json'), JSON.stringify(rewritten));
    const status = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(status.json()).toMatchObject({ key: masked(EMULATOR_KEYS.cnPayg), profile: 'work' });
    expect(status.json().profiles.map((p: { name: string }) => p.name)).toEqual(['work', 'personal']);
    expect((await mmx(['quota', '--output', 'json'], { configDir: dir })).code).toBe(0);
    expect(api.cn.requests.at(-1)?.key).toBe(EMULATOR_KEYS.cnPayg);
  });

  it('a switch cut between its writes (config.json already holds the new key) is read by the key, and finished by the next switch', async () => {
    // profiles.json as the switch's first write left it: the old credential saved, the current name not yet moved.
    const dir = withFiles(
      { api_key: GLOBAL_KEY, region: 'global' },
      { current: 'work', profiles: { work: { api_key: CN_KEY, region: 'cn' }, personal: { api_key: GLOBAL_KEY, region: 'global' } } },
    );
    const status = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(status.json().profiles).toEqual([
      { name: 'personal', region: 'global', base_url: GLOBAL, method: 'api-key', key: masked(GLOBAL_KEY), active: true },
      { name: 'work', region: 'cn', base_url: CN, method: 'api-key', key: masked(CN_KEY), active: false },
    ]);
    expect((await mmx(['auth', 'switch', 'work'], { configDir: dir })).code).toBe(0);
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn' });
    expect(readJson(dir, 'profiles.json')).toEqual({
      version: 1,
      current: 'work',
      profiles: { personal: { api_key: GLOBAL_KEY, region: 'global' } },
    });
  });
});

describe('auth status lists the profiles', () => {
  it('JSON: every profile masked with its region and base URL, the active one marked; text: a marked list', async () => {
    const dir = await twoProfiles();
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ key: masked(CN_KEY), region: 'cn', profile: 'work' });
    expect(r.json().profiles).toEqual([
      { name: 'work', region: 'cn', base_url: CN, method: 'api-key', key: masked(CN_KEY), active: true },
      { name: 'personal', region: 'global', base_url: GLOBAL, method: 'api-key', key: masked(GLOBAL_KEY), active: false },
    ]);
    const named = await mmx(['auth', 'status', '--offline', '--output', 'json', '--profile', 'personal'], { configDir: dir });
    expect(named.json()).toMatchObject({ key: masked(GLOBAL_KEY), region: 'global', base_url: GLOBAL, profile: 'personal' });

    const text = await mmx(['auth', 'status', '--offline', '--profile', 'personal'], {
      configDir: dir,
      stdoutTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(text.stdout).toContain(`Key        ${masked(GLOBAL_KEY)} from profile personal (profiles.json)`);
    expect(text.stdout).toContain('Region     global (profile personal)');
    expect(text.stdout).toMatch(
      /Profiles {3}\(\* active; mmx auth switch NAME\)\n {2}\* work {6}cn {6}sk-…YaXe {2}https:\/\/api\.minimax\.cn\n {4}personal {2}global {2}sk-…/,
    );
  });

  it('only config.json (no profiles): the one "default" profile in JSON, no profile lines in text', async () => {
    const dir = withFiles({ api_key: CN_KEY, region: 'cn' });
    const text = await mmx(['auth', 'status', '--offline'], { configDir: dir, stdoutTTY: true });
    expect(text.stdout).not.toContain('Profiles');
  });
});

describe('auth logout --profile', () => {
  it('removes that profile and leaves the others and config.json as they are', async () => {
    const dir = await twoProfiles();
    const config = readFileSync(join(dir, 'config.json'), 'utf8');
    const r = await mmx(['auth', 'logout', '--profile', 'personal', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      logged_out: true,
      removed: true,
      cleared: ['api_key'],
      config_file: join(dir, 'profiles.json'),
      profile: 'personal',
    });
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(config);
    expect(readJson(dir, 'profiles.json')).toEqual({ version: 1, current: 'work', profiles: {} });
    const again = await mmx(['auth', 'logout', '--profile', 'personal'], { configDir: dir });
    expect(again.code).toBe(2);
  });

  it('the active one: its credential leaves config.json (other settings stay); the other profiles stay', async () => {
    const dir = await twoProfiles();
    const r = await mmx(['auth', 'logout', '--profile', 'work'], { configDir: dir, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Other profiles stay: personal');
    expect(readJson(dir, 'config.json')).toEqual({ region: 'cn' });
    expect(readJson(dir, 'profiles.json').profiles).toEqual({ personal: { api_key: GLOBAL_KEY, region: 'global' } });
  });
});

describe('auth token', () => {
  it('to a pipe: the active key, one line; --profile: that profile key; JSON: where it came from', async () => {
    const dir = await twoProfiles();
    const active = await mmx(['auth', 'token'], { configDir: dir, printsKey: CN_KEY });
    expect(active).toMatchObject({ code: 0, stdout: `${CN_KEY}\n`, stderr: '' });
    const personal = await mmx(['auth', 'token', '--profile', 'personal'], { configDir: dir, printsKey: GLOBAL_KEY });
    expect(personal).toMatchObject({ code: 0, stdout: `${GLOBAL_KEY}\n`, stderr: '' });
    // The token alone even when config.json asks for JSON output: only this run's --output or MINIMAX_OUTPUT does.
    const configJson = withFiles({ api_key: CN_KEY, region: 'cn', output: 'json' });
    expect((await mmx(['auth', 'token'], { configDir: configJson, printsKey: CN_KEY })).stdout).toBe(`${CN_KEY}\n`);
    const envJson = await mmx(['auth', 'token'], { configDir: configJson, printsKey: CN_KEY, env: { MINIMAX_OUTPUT: 'json' } });
    expect(envJson.json()).toMatchObject({ token: CN_KEY, profile: 'default' });
    const json = await mmx(['auth', 'token', '--output', 'json', '--profile', 'personal'], { configDir: dir, printsKey: GLOBAL_KEY });
    expect(json.json()).toEqual({ token: GLOBAL_KEY, source: 'config', profile: 'personal', region: 'global', base_url: GLOBAL });
    const env = await mmx(['auth', 'token', '--output', 'json'], { configDir: dir, env: { MINIMAX_API_KEY: ENV_KEY }, printsKey: ENV_KEY });
    expect(env.json()).toMatchObject({ token: ENV_KEY, source: 'env', profile: null });
    // Nothing was sent for any of these: the key is printed as stored.
    expect(api.cn.requests).toEqual([]);
    expect(api.global.requests).toEqual([]);
  });

  it('to a terminal: nothing printed, exit 2 with a hint, unless --show asks plainly', async () => {
    const dir = await twoProfiles();
    const refused = await mmx(['auth', 'token'], { configDir: dir, stdoutTTY: true });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('stdout is a terminal: nothing printed');
    expect(refused.stderr).toContain('--show');
    const jsonRefused = await mmx(['auth', 'token', '--output', 'json'], { configDir: dir, stdoutTTY: true });
    expect(jsonRefused.code).toBe(2);
    expect(jsonRefused.stdout).toBe('');
    const shown = await mmx(['auth', 'token', '--show'], { configDir: dir, stdoutTTY: true, printsKey: CN_KEY });
    expect(shown).toMatchObject({ code: 0, stdout: `${CN_KEY}\n` });
  });

  it('no credential: exit 3; an unknown profile: exit 2', async () => {
    expect((await mmx(['auth', 'token'], { configDir: withFiles({}) })).code).toBe(3);
    expect((await mmx(['auth', 'token', '--profile', 'nope'], { configDir: withFiles({ api_key: CN_KEY }) })).code).toBe(2);
  });
});

describe('an OAuth profile', () => {
  function oauthProfile(expiresInMs: number) {
    const global = api.use('global', { region: 'global', now: () => NOW });
    const tokens = global.oauth.issue({ accessTokenTtlMs: expiresInMs });
    const block = {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: new Date(tokens.expired_in).toISOString(),
      region: 'global',
      resource_url: GLOBAL,
    };
    const dir = withFiles({ api_key: CN_KEY, region: 'cn' }, { profiles: { sso: { oauth: block, region: 'global' } } });
    return { global, tokens, dir };
  }

  it('auth token refreshes an expiring token first, prints the new one, and writes it back into profiles.json, not config.json', async () => {
    const { global, tokens, dir } = oauthProfile(60_000);
    const config = readFileSync(join(dir, 'config.json'), 'utf8');
    const stored = () => readJson(dir, 'profiles.json').profiles.sso.oauth;
    const r = await mmx(['auth', 'token', '--profile', 'sso', '--output', 'json'], {
      configDir: dir,
      printsKey: () => stored().access_token,
    });
    expect(r.code, r.stderr).toBe(0);
    // One refresh at the account host, then nothing else: the token is printed, not used.
    expect(global.requests.map((q) => q.path)).toEqual(['/oauth2/token']);
    expect(global.oauth.refreshTokenLive(tokens.refresh_token)).toBe(false);
    expect(stored().access_token).not.toBe(tokens.access_token);
    expect(r.json()).toEqual({
      token: stored().access_token,
      source: 'oauth',
      profile: 'sso',
      region: 'global',
      base_url: GLOBAL,
      expires: stored().expires_at,
    });
    expect(Date.parse(stored().expires_at)).toBeGreaterThan(NOW + 5 * 60_000);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(config);
  });

  it('a fresh token is printed as stored, nothing sent', async () => {
    const { global, tokens, dir } = oauthProfile(60 * 60_000);
    const r = await mmx(['auth', 'token', '--profile', 'sso'], { configDir: dir, printsKey: tokens.access_token });
    expect(r).toMatchObject({ code: 0, stdout: `${tokens.access_token}\n` });
    expect(global.requests).toEqual([]);
  });

  it('an OAuth login into a profile goes to profiles.json, the active key stays; auth refresh --profile refreshes it there', async () => {
    const clock = fakeClock(NOW);
    const global = api.use('global', { region: 'global', now: clock.now });
    const dir = withFiles({ api_key: CN_KEY, region: 'cn' });
    const r = await mmx(['auth', 'login', '--profile', 'sso', '--recommend', '--region', 'global', '--output', 'json'], {
      configDir: dir,
      clock,
      stderrTTY: true,
      onOpenUrl: () => expect(global.oauth.approve()).toBe(true),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ logged_in: true, method: 'oauth', region: 'global', profile: 'sso', active: false });
    const login = readJson(dir, 'profiles.json').profiles.sso;
    expect(login).toEqual({ oauth: expect.objectContaining({ region: 'global' }), region: 'global' });
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn' });

    global.reset();
    const refresh = await mmx(['auth', 'refresh', '--profile', 'sso', '--output', 'json'], { configDir: dir, clock });
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(global.requests.map((q) => q.path)).toEqual(['/oauth2/token']);
    const after = readJson(dir, 'profiles.json').profiles.sso.oauth;
    expect(after.refresh_token).not.toBe(login.oauth.refresh_token);
    expect(refresh.json()).toEqual({ status: 'Token refreshed', expires: after.expires_at });
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn' });
  });

  it('a command with --profile refreshes into the profile and sends the new token to its region', async () => {
    const { global, tokens, dir } = oauthProfile(60_000);
    const r = await mmx(['quota', '--output', 'json', '--profile', 'sso'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    const stored = readJson(dir, 'profiles.json').profiles.sso.oauth;
    expect(stored.access_token).not.toBe(tokens.access_token);
    expect(global.requests.map((q) => [q.path, q.key])).toEqual([
      ['/oauth2/token', undefined],
      [QUOTA, stored.access_token],
    ]);
    expect(readJson(dir, 'config.json')).toEqual({ api_key: CN_KEY, region: 'cn' });
    expect(api.cn.requests).toEqual([]);
  });
});

describe('completion of profile names', () => {
  it('--profile and auth switch complete the names there are', async () => {
    const dir = await twoProfiles();
    const flag = await mmx(['__complete', 'quota', '--profile', ''], { configDir: dir });
    expect(flag.stdout).toBe('work\npersonal\n:plain\n');
    const arg = await mmx(['__complete', 'auth', 'switch', 'p'], { configDir: dir });
    expect(arg.stdout).toBe('personal\n:plain\n');
  });
});
