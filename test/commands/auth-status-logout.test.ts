/**
 * `mmx auth status --offline` (the no-network view: where the key, region and
 * base URL come from, and the header each endpoint family gets and why; the
 * online check is in auth-status-online.test.ts) and `mmx auth logout` (removes
 * only the stored key, idempotent), through the real entry.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { CN, GLOBAL, useEmulators } from '../helpers/api.js';
import { expectNoKeyLeak, masked } from '../helpers/leak.js';
import { type RunOptions, type RunResult, fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

// msw with onUnhandledRequest: 'error' in front of both region hosts; every test below also checks the request logs.
const api = useEmulators();
afterEach(() => {
  // status and logout never touch the network
  expect(api.cn.requests).toEqual([]);
  expect(api.global.requests).toEqual([]);
});

const CN_KEY = EMULATOR_KEYS.cn;
const GLOBAL_KEY = EMULATOR_KEYS.global;
const ENV_KEY = EMULATOR_KEYS.globalPayg;
const FLAG_KEY = EMULATOR_KEYS.cnPayg;
const KEYS = [CN_KEY, GLOBAL_KEY, ENV_KEY, FLAG_KEY];

const GATEWAY = 'https://gateway.example';

async function mmx(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runCli(args, options);
  expectNoKeyLeak(result, ...KEYS);
  return result;
}

function configFile(dir: string): string {
  return join(dir, 'config.json');
}

function withConfig(value: unknown, mode = 0o600): string {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(configFile(dir), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`, { mode });
  return dir;
}

const BEARER = 'Authorization: Bearer';
const regionAuth = (region: 'cn' | 'global', family: 'anthropic' | 'v1' | 'account') => {
  const style = region === 'global' && family === 'anthropic' ? 'x-api-key' : 'bearer';
  return { header: style === 'bearer' ? BEARER : 'x-api-key', style, reason: 'region', why: `region ${region} table` };
};
const explicitAuth = (style: 'bearer' | 'x-api-key', from: string) => ({
  header: style === 'bearer' ? BEARER : 'x-api-key',
  style,
  reason: 'explicit',
  why: `explicit style from ${from}`,
});

describe('auth status --output json', () => {
  it('a stored cn key: masked, from config.json, region and base URL with sources, Bearer everywhere', async () => {
    const dir = withConfig({ api_key: CN_KEY, region: 'cn' });
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json()).toEqual({
      authenticated: true,
      method: 'api-key', // mmx-cli's fields
      source: 'config.json',
      key: masked(CN_KEY),
      key_source: 'config',
      shadowed_sources: [],
      checked: false,
      region: 'cn',
      region_source: 'config',
      base_url: CN,
      base_url_source: 'region',
      proxy: null,
      proxy_set_by: null,
      auth_style: 'auto',
      auth: { anthropic: regionAuth('cn', 'anthropic'), v1: regionAuth('cn', 'v1'), account: regionAuth('cn', 'account') },
      config_file: configFile(dir),
      // Added by profiles: config.json's credential is the active profile, "default" until a switch names it.
      profile: 'default',
      profiles: [{ name: 'default', region: 'cn', base_url: CN, method: 'api-key', key: masked(CN_KEY), active: true }],
    });
  });

  it('global: x-api-key on /anthropic/*, Bearer on /v1/* and /account/* (region table)', async () => {
    const dir = withConfig({ api_key: GLOBAL_KEY, region: 'global' });
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.json().auth).toEqual({
      anthropic: regionAuth('global', 'anthropic'),
      v1: regionAuth('global', 'v1'),
      account: regionAuth('global', 'account'),
    });
  });

  it('MINIMAX_API_KEY shadows the stored key', async () => {
    const dir = withConfig({ api_key: CN_KEY, region: 'cn' });
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir, env: { MINIMAX_API_KEY: ENV_KEY } });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ key: masked(ENV_KEY), key_source: 'env', shadowed_sources: ['config'] });
  });

  it('--api-key shadows MINIMAX_API_KEY and the stored key, in that order', async () => {
    const dir = withConfig({ api_key: CN_KEY });
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json', '--api-key', FLAG_KEY], {
      configDir: dir,
      env: { MINIMAX_API_KEY: ENV_KEY },
    });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      key: masked(FLAG_KEY),
      key_source: 'flag',
      shadowed_sources: ['env', 'config'],
    });
  });

  it('--api-key - reads the key from stdin and reports it as such', async () => {
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json', '--api-key', '-'], { stdin: `${CN_KEY}\n` });
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(1);
    expect(r.json()).toMatchObject({ key: masked(CN_KEY), key_source: 'stdin', shadowed_sources: [] });
  });

  it('a short key shows no characters of it at all', async () => {
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { env: { MINIMAX_API_KEY: 'sk-short1' } });
    expect(r.code).toBe(0);
    expect(r.json().key).toBe('sk-…');
    expect(r.stdout).not.toContain('short1');
  });

  it('region and base URL from flags, env and host inference, with their sources', async () => {
    const dir = withConfig({ api_key: CN_KEY, region: 'global', base_url: GATEWAY });
    const byFlag = await mmx(['auth', 'status', '--offline', '--output', 'json', '--region', 'cn'], { configDir: dir });
    expect(byFlag.json()).toMatchObject({ region: 'cn', region_source: 'flag', base_url: CN, base_url_source: 'region' });

    const byEnv = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir, env: { MINIMAX_BASE_URL: `${CN}/` } });
    expect(byEnv.json()).toMatchObject({ region: 'cn', region_source: 'host', base_url: CN, base_url_source: 'env' });

    const stored = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(stored.json()).toMatchObject({
      region: 'global',
      region_source: 'config',
      base_url: GATEWAY,
      base_url_source: 'config',
    });

    const defaults = await mmx(['auth', 'status', '--offline', '--output', 'json'], { env: { MINIMAX_API_KEY: CN_KEY } });
    expect(defaults.json()).toMatchObject({
      region: 'global',
      region_source: 'default',
      base_url: GLOBAL,
      base_url_source: 'region',
    });
  });

  it('a region contradicting the base URL host warns once on stderr; JSON stays clean', async () => {
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json', '--region', 'global', '--base-url', CN], {
      env: { MINIMAX_API_KEY: CN_KEY },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: region global does not match ${CN}, a cn host; a key works only in its own region.\n`);
    expect(r.json()).toMatchObject({ region: 'global', region_source: 'flag', base_url: CN, base_url_source: 'flag' });
  });

  describe('the header per family, and why', () => {
    it('--auth-style makes every family explicit', async () => {
      const dir = withConfig({ api_key: CN_KEY, region: 'cn', auth_style: 'bearer' });
      const r = await mmx(['auth', 'status', '--offline', '--output', 'json', '--auth-style', 'x-api-key'], { configDir: dir });
      expect(r.json()).toMatchObject({ auth_style: 'x-api-key' });
      expect(r.json().auth).toEqual({
        anthropic: explicitAuth('x-api-key', '--auth-style'),
        v1: explicitAuth('x-api-key', '--auth-style'),
        account: explicitAuth('x-api-key', '--auth-style'),
      });
    });

    it('MINIMAX_AUTH_STYLE beats the config auth_style', async () => {
      const dir = withConfig({ api_key: GLOBAL_KEY, auth_style: 'x-api-key' });
      const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir, env: { MINIMAX_AUTH_STYLE: 'bearer' } });
      expect(r.json().auth).toEqual({
        anthropic: explicitAuth('bearer', 'MINIMAX_AUTH_STYLE'),
        v1: explicitAuth('bearer', 'MINIMAX_AUTH_STYLE'),
        account: explicitAuth('bearer', 'MINIMAX_AUTH_STYLE'),
      });
    });

    it('config auth_style is explicit too', async () => {
      const dir = withConfig({ api_key: GLOBAL_KEY, region: 'global', auth_style: 'bearer' });
      const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
      expect(r.json()).toMatchObject({ auth_style: 'bearer' });
      expect(r.json().auth.anthropic).toEqual(explicitAuth('bearer', 'config auth_style'));
    });

    it('a style remembered after a switch applies to its origin and family only', async () => {
      const dir = withConfig({
        api_key: GLOBAL_KEY,
        region: 'global',
        auth_styles: { [GLOBAL]: { anthropic: 'bearer' }, [CN]: { v1: 'x-api-key' } },
      });
      const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
      expect(r.code).toBe(0);
      expect(r.json().auth).toEqual({
        anthropic: { header: BEARER, style: 'bearer', reason: 'remembered', why: `remembered after a switch on ${GLOBAL}` },
        v1: regionAuth('global', 'v1'),
        account: regionAuth('global', 'account'),
      });
    });

    it('the remembered style is keyed by the origin of a base URL with a path', async () => {
      const dir = withConfig({
        api_key: CN_KEY,
        region: 'cn',
        base_url: `${GATEWAY}/minimax`,
        auth_styles: { [GATEWAY]: { v1: 'x-api-key' } },
      });
      const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
      expect(r.json()).toMatchObject({ base_url: `${GATEWAY}/minimax`, base_url_source: 'config' });
      expect(r.json().auth.v1).toEqual({
        header: 'x-api-key',
        style: 'x-api-key',
        reason: 'remembered',
        why: `remembered after a switch on ${GATEWAY}`,
      });
      expect(r.json().auth.anthropic).toEqual(regionAuth('cn', 'anthropic'));
    });

    it('an explicit style wins over a remembered one; --auth-style auto keeps it', async () => {
      const dir = withConfig({ api_key: GLOBAL_KEY, region: 'global', auth_styles: { [GLOBAL]: { anthropic: 'bearer' } } });
      const explicit = await mmx(['auth', 'status', '--offline', '--output', 'json', '--auth-style', 'x-api-key'], { configDir: dir });
      expect(explicit.json().auth.anthropic).toEqual(explicitAuth('x-api-key', '--auth-style'));
      const auto = await mmx(['auth', 'status', '--offline', '--output', 'json', '--auth-style', 'auto'], { configDir: dir });
      expect(auto.json().auth.anthropic).toMatchObject({ style: 'bearer', reason: 'remembered' });
    });
  });

  it('no key anywhere: exit 3, the status object still on stdout, an error object on stderr', async () => {
    const dir = withConfig({ region: 'cn' });
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(3);
    expect(r.json()).toEqual({
      authenticated: false,
      method: null,
      source: null,
      key: null,
      key_source: null,
      shadowed_sources: [],
      checked: false,
      message: 'Not authenticated.', // mmx-cli's failure fields
      hint: 'Run: mmx auth login\nOr set $MINIMAX_API_KEY',
      region: 'cn',
      region_source: 'config',
      base_url: CN,
      base_url_source: 'region',
      proxy: null,
      proxy_set_by: null,
      auth_style: 'auto',
      auth: { anthropic: regionAuth('cn', 'anthropic'), v1: regionAuth('cn', 'v1'), account: regionAuth('cn', 'account') },
      config_file: configFile(dir),
      profile: null,
      profiles: [],
    });
    expect(r.stderr).toBe(
      `${JSON.stringify({
        error: {
          code: 3,
          message: 'Not logged in: no API key in --api-key, MINIMAX_API_KEY or the config file, and no OAuth login.',
          hint: 'Log in with "mmx auth login", or set MINIMAX_API_KEY.',
        },
      })}\n`,
    );
  });

  it('JSON is the default when stdout is not a terminal', async () => {
    const r = await mmx(['auth', 'status', '--offline'], { env: { MINIMAX_API_KEY: CN_KEY, MINIMAX_REGION: 'cn' } });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ key_source: 'env', region: 'cn', region_source: 'env' });
  });

  it('a corrupt config file is an error naming it (exit 1)', async () => {
    const dir = withConfig('{ "api_key": ');
    const r = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error).toEqual({
      code: 1,
      message: `${configFile(dir)} is not valid JSON at line 1, column 14.`,
      hint: 'Fix or remove the file; mmx will not overwrite it while it is broken.',
    });
  });
});

describe('auth status in text', () => {
  it('shows key, shadows, region, base URL, the header per family and the config file', async () => {
    const dir = withConfig({ api_key: CN_KEY, region: 'global', auth_styles: { [GLOBAL]: { anthropic: 'bearer' } } });
    const r = await mmx(['auth', 'status', '--offline', '--output', 'text'], { configDir: dir, env: { MINIMAX_API_KEY: GLOBAL_KEY } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `Key        ${masked(GLOBAL_KEY)} from MINIMAX_API_KEY`,
        '           (shadows the key in config.json)',
        'Check      not checked (--offline)',
        'Region     global (config file)',
        `Base URL   ${GLOBAL} (the region host)`,
        'Auth',
        `  /anthropic/*       Authorization: Bearer  remembered after a switch on ${GLOBAL}`,
        '  native (/v1, /v2)  Authorization: Bearer  region global table',
        '  /account/*         Authorization: Bearer  region global table',
        `Config     ${configFile(dir)}`,
        '',
      ].join('\n'),
    );
  });

  it('names explicit styles and inferred regions', async () => {
    const r = await mmx(['auth', 'status', '--offline', '--output', 'text', '--base-url', CN, '--auth-style', 'x-api-key'], {
      env: { MINIMAX_API_KEY: CN_KEY },
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      `Key        ${masked(CN_KEY)} from MINIMAX_API_KEY`,
      'Check      not checked (--offline)',
      'Region     cn (inferred from the base URL host)',
      `Base URL   ${CN} (flag)`,
      'Auth',
      '  /anthropic/*       x-api-key              explicit style from --auth-style',
      '  native (/v1, /v2)  x-api-key              explicit style from --auth-style',
      '  /account/*         x-api-key              explicit style from --auth-style',
    ]);
  });

  it('no key: "none" on stdout, exit 3, error and hint on stderr', async () => {
    const r = await mmx(['auth', 'status', '--offline', '--output', 'text']);
    expect(r.code).toBe(3);
    expect(r.stdout.split('\n')[0]).toBe('Key        none');
    expect(r.stderr).toBe(
      'Error: Not logged in: no API key in --api-key, MINIMAX_API_KEY or the config file, and no OAuth login.\n' +
        '  Log in with "mmx auth login", or set MINIMAX_API_KEY.\n',
    );
  });

  it('colours only when asked (FORCE_COLOR), never with --no-color', async () => {
    const env = { MINIMAX_API_KEY: CN_KEY, FORCE_COLOR: '1' };
    const coloured = await mmx(['auth', 'status', '--offline', '--output', 'text'], { env });
    expect(coloured.stdout).toContain('\u001b[1mKey\u001b[22m');
    const plain = await mmx(['auth', 'status', '--offline', '--output', 'text', '--no-color'], { env });
    expect(plain.stdout).not.toContain('\u001b[');
  });
});

describe('auth logout', () => {
  const stored = {
    api_key: CN_KEY,
    region: 'cn',
    base_url: GATEWAY,
    default_text_model: 'MiniMax-M2.5',
    auth_styles: { [GATEWAY]: { anthropic: 'bearer' } },
    proxy: 'http://proxy.example:3128',
    unknown_future_key: { keep: ['me', 1, true] },
  };
  const { api_key: _removed, ...rest } = stored;

  it('removes only api_key, keeps every other setting, and leaves the file 0600', async () => {
    const dir = withConfig(stored);
    const r = await mmx(['auth', 'logout', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json()).toEqual({ logged_out: true, removed: true, cleared: ['api_key'], config_file: configFile(dir) });
    expect(JSON.parse(readFileSync(configFile(dir), 'utf8'))).toEqual(rest);
    expect(fileMode(configFile(dir))).toBe(0o600);
    expect(fileMode(dir)).toBe(0o700);
  });

  it('tightens a config file that was 0644 to 0600', async () => {
    const dir = withConfig(stored, 0o644);
    const r = await mmx(['auth', 'logout', '--output', 'text'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Removed the stored key from ${configFile(dir)}.\n`);
    expect(r.stderr).toBe(`warning: ${configFile(dir)} is accessible to other users (mode 644); fix: chmod 600 ${configFile(dir)}\n`);
    expect(fileMode(configFile(dir))).toBe(0o600);
    const again = await mmx(['auth', 'logout', '--output', 'text'], { configDir: dir });
    expect(again.stderr).toBe('');
  });

  it('is idempotent: a second logout exits 0, writes nothing and changes nothing', async () => {
    const dir = withConfig(stored);
    expect((await mmx(['auth', 'logout'], { configDir: dir })).code).toBe(0);
    const after = readFileSync(configFile(dir), 'utf8');
    const write = vi.spyOn(Conf.prototype as unknown as { _write: (value: unknown) => void }, '_write');
    const again = await mmx(['auth', 'logout', '--output', 'text'], { configDir: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('No stored key or OAuth login; nothing to remove.\n');
    expect(again.stderr).toBe('');
    expect(write).not.toHaveBeenCalled();
    expect(readFileSync(configFile(dir), 'utf8')).toBe(after);
    expect(fileMode(configFile(dir))).toBe(0o600);
    const json = await mmx(['auth', 'logout', '--output', 'json'], { configDir: dir });
    expect(json.json()).toEqual({ logged_out: true, removed: false, cleared: [], config_file: configFile(dir) });
  });

  it('with no config at all, exits 0 and creates nothing', async () => {
    const r = await mmx(['auth', 'logout', '--output', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No stored key or OAuth login; nothing to remove.\n');
    expect(existsSync(r.configDir)).toBe(false);
  });

  it('warns when MINIMAX_API_KEY is still set (and still removes the stored key)', async () => {
    const dir = withConfig(stored);
    const r = await mmx(['auth', 'logout', '--output', 'text'], { configDir: dir, env: { MINIMAX_API_KEY: ENV_KEY } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: MINIMAX_API_KEY is still set in the environment and will be used.\n');
    expect(JSON.parse(readFileSync(configFile(dir), 'utf8'))).toEqual(rest);

    const second = await mmx(['auth', 'logout', '--output', 'text'], { configDir: dir, env: { MINIMAX_API_KEY: ENV_KEY } });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('warning: MINIMAX_API_KEY is still set in the environment and will be used.\n');
  });

  it('status afterwards exits 3 and keeps the rest of the settings', async () => {
    const dir = withConfig(stored);
    expect((await mmx(['auth', 'logout'], { configDir: dir })).code).toBe(0);
    const status = await mmx(['auth', 'status', '--offline', '--output', 'json'], { configDir: dir });
    expect(status.code).toBe(3);
    expect(status.json()).toMatchObject({
      authenticated: false,
      key: null,
      region: 'cn',
      region_source: 'config',
      base_url: GATEWAY,
      base_url_source: 'config',
    });
    expect(status.json().auth.anthropic).toMatchObject({ style: 'bearer', reason: 'remembered' });
  });

  it('a corrupt config file is an error naming it, and is not touched', async () => {
    const text = '{"api_key": "sk-cp-x" "region": "cn"}';
    const dir = withConfig(text, 0o600);
    const r = await mmx(['auth', 'logout', '--output', 'text'], { configDir: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(
      new RegExp(`^Error: ${configFile(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON at line 1, column \\d+\\.$`),
    );
    expect(readFileSync(configFile(dir), 'utf8')).toBe(text);
  });
});
