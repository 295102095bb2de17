/**
 * `resolveSettings` (flag > env > config > default, region and base URL as a
 * pair) and `colorLevel`, as pure functions of flags, env and the config file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/config/file.js';
import { type Env, type GlobalFlags, type Settings, resolveSettings } from '../../src/config/settings.js';
import { regionHost, regionHosts } from '../../src/config/regions.js';
import { colorLevel } from '../../src/output/theme.js';
import { ExitCode, UsageError } from '../../src/errors.js';

const GLOBAL = 'https://api.minimax.io';
const CN = 'https://api.minimax.cn';
/** cn's host before 2026-09, still answering. */
const CN_PREVIOUS = 'https://api.minimaxi.com';
const GATEWAY = 'https://gateway.example';

function resolve(input: { flags?: GlobalFlags; env?: Env; file?: ConfigFile; tty?: boolean } = {}): Settings {
  return resolveSettings({ flags: input.flags ?? {}, env: input.env ?? {}, file: input.file ?? {}, stdoutIsTTY: input.tty ?? false });
}

/** The pair and its provenance, in one comparable object. */
function pair(s: Settings) {
  return {
    region: s.region,
    regionSource: s.regionSource,
    baseUrl: s.baseUrl,
    baseUrlSource: s.baseUrlSource,
    regionGiven: s.regionGiven,
    baseUrlGiven: s.baseUrlGiven,
    warnings: s.warnings,
  };
}

/** Runs `fn`, expecting a UsageError (exit 2); returns its message. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.USAGE);
    return (error as Error).message;
  }
  return expect.fail('expected a UsageError');
}

describe('resolveSettings: the key', () => {
  it('is undefined when no source has one', () => {
    expect(resolve().key).toBeUndefined();
  });

  it('comes from the config file when that is all there is', () => {
    expect(resolve({ file: { api_key: 'sk-config' } }).key).toEqual({ value: 'sk-config', source: 'config', shadows: [] });
  });

  it('MINIMAX_API_KEY beats the config file and shadows it', () => {
    expect(resolve({ env: { MINIMAX_API_KEY: 'sk-env' }, file: { api_key: 'sk-config' } }).key).toEqual({
      value: 'sk-env',
      source: 'env',
      shadows: ['config'],
    });
  });

  it('--api-key beats both and shadows both, in precedence order', () => {
    expect(resolve({ flags: { apiKey: 'sk-flag' }, env: { MINIMAX_API_KEY: 'sk-env' }, file: { api_key: 'sk-config' } }).key).toEqual({
      value: 'sk-flag',
      source: 'flag',
      shadows: ['env', 'config'],
    });
    expect(resolve({ flags: { apiKey: 'sk-flag' }, file: { api_key: 'sk-config' } }).key).toEqual({
      value: 'sk-flag',
      source: 'flag',
      shadows: ['config'],
    });
  });

  it('ignores blank values and trims the rest', () => {
    expect(resolve({ flags: { apiKey: '  ' }, env: { MINIMAX_API_KEY: ' sk-env \n' }, file: { api_key: '' } }).key).toEqual({
      value: 'sk-env',
      source: 'env',
      shadows: [],
    });
  });

  it('keeps "-" (read from stdin later) as the flag value', () => {
    expect(resolve({ flags: { apiKey: '-' }, env: { MINIMAX_API_KEY: 'sk-env' } }).key).toEqual({
      value: '-',
      source: 'flag',
      shadows: ['env'],
    });
  });
});

describe('resolveSettings: the OAuth login (the oauth block of config.json)', () => {
  const oauth = { access_token: 'at-login', refresh_token: 'rt', expires_at: '2026-11-28T13:00:00Z', region: 'cn', resource_url: GATEWAY };

  it('is the key after the flag and MINIMAX_API_KEY, before config api_key (mmx-cli: flag > oauth > api_key)', () => {
    expect(resolve({ file: { api_key: 'sk-config', oauth } }).key).toEqual({ value: 'at-login', source: 'oauth', shadows: ['config'] });
    expect(resolve({ env: { MINIMAX_API_KEY: 'sk-env' }, file: { oauth } }).key).toEqual({
      value: 'sk-env',
      source: 'env',
      shadows: ['oauth'],
    });
    expect(
      resolve({ flags: { apiKey: 'sk-flag' }, env: { MINIMAX_API_KEY: 'sk-env' }, file: { api_key: 'sk-config', oauth } }).key?.shadows,
    ).toEqual(['env', 'oauth', 'config']);
  });

  it('a block mmx-cli would ignore is no key', () => {
    expect(resolve({ file: { oauth: { access_token: 'at', expires_at: 'x' } } }).key).toBeUndefined();
  });

  it('its region and resource_url fill in what the file does not name', () => {
    expect(pair(resolve({ file: { oauth } }))).toMatchObject({
      region: 'cn',
      regionSource: 'oauth',
      baseUrl: GATEWAY,
      baseUrlSource: 'oauth',
    });
    expect(pair(resolve({ file: { region: 'cn', base_url: CN, oauth } }))).toMatchObject({ baseUrl: CN, baseUrlSource: 'config' });
    expect(pair(resolve({ file: { region: 'cn', oauth: { ...oauth, resource_url: undefined } } }))).toMatchObject({
      baseUrl: CN,
      baseUrlSource: 'region',
    });
  });

  it("a region set apart from the login's (config or flag) gets its own host, not the login's resource_url", () => {
    expect(pair(resolve({ file: { region: 'global', oauth } }))).toMatchObject({
      region: 'global',
      baseUrl: GLOBAL,
      baseUrlSource: 'region',
    });
    expect(pair(resolve({ flags: { region: 'cn' }, file: { oauth } }))).toMatchObject({
      region: 'cn',
      baseUrl: CN,
      baseUrlSource: 'region',
    });
  });

  it('a given base URL with an unknown host takes the login region when the file has none', () => {
    expect(pair(resolve({ flags: { baseUrl: 'https://other.example' }, file: { oauth } }))).toMatchObject({
      region: 'cn',
      regionSource: 'oauth',
      baseUrl: 'https://other.example',
    });
  });
});

describe('resolveSettings: region and base URL as a pair', () => {
  it('defaults to global and its host', () => {
    expect(pair(resolve())).toEqual({
      region: 'global',
      regionSource: 'default',
      baseUrl: GLOBAL,
      baseUrlSource: 'region',
      regionGiven: false,
      baseUrlGiven: false,
      warnings: [],
    });
  });

  describe('neither given: the config pair', () => {
    it('uses both stored values', () => {
      expect(pair(resolve({ file: { region: 'cn', base_url: `${GATEWAY}/` } }))).toMatchObject({
        region: 'cn',
        regionSource: 'config',
        baseUrl: GATEWAY,
        baseUrlSource: 'config',
        warnings: [],
      });
    });

    it("defaults the base URL to the stored region's host", () => {
      expect(pair(resolve({ file: { region: 'cn' } }))).toMatchObject({
        region: 'cn',
        regionSource: 'config',
        baseUrl: CN,
        baseUrlSource: 'region',
      });
    });

    it("uses MINIMAX_CN_BASE_URL as the stored region's host", () => {
      const s = resolve({ file: { region: 'cn' }, env: { MINIMAX_CN_BASE_URL: ' https://gw-cn.test/ ' } });
      expect(pair(s)).toMatchObject({ region: 'cn', baseUrl: 'https://gw-cn.test', baseUrlSource: 'region', warnings: [] });
    });

    it('uses MINIMAX_GLOBAL_BASE_URL as the default host, and ignores a blank override', () => {
      expect(resolve({ env: { MINIMAX_GLOBAL_BASE_URL: 'https://gw-global.test' } }).baseUrl).toBe('https://gw-global.test');
      expect(resolve({ env: { MINIMAX_GLOBAL_BASE_URL: '  ' } }).baseUrl).toBe(GLOBAL);
    });

    it('infers a missing stored region from a recognised stored base URL', () => {
      // The spec leaves the region of a stored base_url without region open; inference is the consistent choice.
      expect(pair(resolve({ file: { base_url: CN } }))).toMatchObject({
        region: 'cn',
        regionSource: 'host',
        baseUrl: CN,
        baseUrlSource: 'config',
        warnings: [],
      });
      expect(pair(resolve({ file: { base_url: GATEWAY } }))).toMatchObject({ region: 'global', regionSource: 'default' });
    });

    it("a stored base_url on cn's previous host keeps working: used as stored, with its region, no warning", () => {
      expect(pair(resolve({ file: { region: 'cn', base_url: CN_PREVIOUS } }))).toMatchObject({
        region: 'cn',
        regionSource: 'config',
        baseUrl: CN_PREVIOUS,
        baseUrlSource: 'config',
        warnings: [],
      });
      expect(pair(resolve({ file: { base_url: CN_PREVIOUS } }))).toMatchObject({
        region: 'cn',
        regionSource: 'host',
        baseUrl: CN_PREVIOUS,
      });
    });
  });

  describe('region given, base URL not', () => {
    it("--region uses the region's host; a stored base_url is ignored", () => {
      expect(pair(resolve({ flags: { region: 'cn' }, file: { region: 'global', base_url: GATEWAY } }))).toEqual({
        region: 'cn',
        regionSource: 'flag',
        baseUrl: CN,
        baseUrlSource: 'region',
        regionGiven: true,
        baseUrlGiven: false,
        warnings: [],
      });
    });

    it('MINIMAX_REGION does the same, and a stored base_url of the other region raises no warning', () => {
      expect(pair(resolve({ env: { MINIMAX_REGION: 'global' }, file: { region: 'cn', base_url: CN } }))).toMatchObject({
        region: 'global',
        regionSource: 'env',
        baseUrl: GLOBAL,
        baseUrlSource: 'region',
        regionGiven: true,
        warnings: [],
      });
    });

    it('--region beats MINIMAX_REGION', () => {
      expect(resolve({ flags: { region: 'cn' }, env: { MINIMAX_REGION: 'global' } })).toMatchObject({
        region: 'cn',
        regionSource: 'flag',
      });
    });

    it('uses the region-host override of the given region only', () => {
      const env = { MINIMAX_CN_BASE_URL: 'https://gw-cn.test', MINIMAX_GLOBAL_BASE_URL: 'https://gw-global.test' };
      expect(resolve({ flags: { region: 'cn' }, env }).baseUrl).toBe('https://gw-cn.test');
      expect(resolve({ flags: { region: 'global' }, env }).baseUrl).toBe('https://gw-global.test');
    });
  });

  describe('base URL given, region not', () => {
    it.each([
      ['https://api.minimaxi.com', 'cn'],
      ['https://api.minimaxi.com/', 'cn'],
      ['https://API.MINIMAXI.COM', 'cn'],
      ['https://gw.api.minimaxi.com', 'cn'],
      ['https://api.minimax.chat', 'cn'],
      ['https://api.minimax.cn', 'cn'],
      ['https://API.MINIMAX.CN/anthropic', 'cn'],
      ['https://api.minimax.io', 'global'],
      ['http://minimax.io:8080', 'global'],
      ['https://api.minimaxi.chat', 'global'],
      ['https://api.minimaxi.chat/v1', 'global'],
    ] as const)('infers the region of %s from its host', (base, region) => {
      expect(resolve({ flags: { baseUrl: base }, file: { region: region === 'cn' ? 'global' : 'cn' } })).toMatchObject({
        region,
        regionSource: 'host',
        baseUrlSource: 'flag',
        baseUrlGiven: true,
        regionGiven: false,
        warnings: [],
      });
    });

    it.each([
      'https://notminimaxi.com',
      'https://minimaxi.com.evil.test',
      'https://minimax.io.example',
      'https://api.minimax.cn.evil.test',
      'https://notminimax.cn',
      'https://minimaxi.chat.example',
      'https://api.minimaxichat.com',
      GATEWAY,
    ])('does not recognise %s: takes the config region, else global', (base) => {
      expect(resolve({ flags: { baseUrl: base }, file: { region: 'cn' } })).toMatchObject({ region: 'cn', regionSource: 'config' });
      expect(resolve({ flags: { baseUrl: base } })).toMatchObject({ region: 'global', regionSource: 'default' });
    });

    it('strips trailing slashes, replaces a stored base_url, and ignores region-host overrides', () => {
      const s = resolve({
        flags: { baseUrl: `${GATEWAY}/v2//` },
        env: { MINIMAX_CN_BASE_URL: 'https://gw-cn.test' },
        file: { region: 'cn', base_url: 'https://other.example' },
      });
      expect(pair(s)).toEqual({
        region: 'cn',
        regionSource: 'config',
        baseUrl: `${GATEWAY}/v2`,
        baseUrlSource: 'flag',
        regionGiven: false,
        baseUrlGiven: true,
        warnings: [],
      });
    });

    it('MINIMAX_BASE_URL counts as given; --base-url beats it', () => {
      expect(resolve({ env: { MINIMAX_BASE_URL: CN } })).toMatchObject({
        baseUrl: CN,
        baseUrlSource: 'env',
        baseUrlGiven: true,
        region: 'cn',
        regionSource: 'host',
      });
      expect(resolve({ flags: { baseUrl: GLOBAL }, env: { MINIMAX_BASE_URL: CN } })).toMatchObject({
        baseUrl: GLOBAL,
        baseUrlSource: 'flag',
        region: 'global',
      });
    });
  });

  describe('both given', () => {
    it('takes both as given', () => {
      expect(pair(resolve({ flags: { baseUrl: GATEWAY }, env: { MINIMAX_REGION: 'cn' } }))).toEqual({
        region: 'cn',
        regionSource: 'env',
        baseUrl: GATEWAY,
        baseUrlSource: 'flag',
        regionGiven: true,
        baseUrlGiven: true,
        warnings: [],
      });
    });

    it('a region contradicting a recognised host gets exactly one warning', () => {
      const s = resolve({ flags: { region: 'global', baseUrl: CN } });
      expect(s.region).toBe('global');
      expect(s.baseUrl).toBe(CN);
      expect(s.warnings).toEqual([`region global does not match ${CN}, a cn host; a key works only in its own region.`]);
    });

    it('so does a contradicting stored pair', () => {
      expect(resolve({ file: { region: 'cn', base_url: GLOBAL } }).warnings).toEqual([
        `region cn does not match ${GLOBAL}, a global host; a key works only in its own region.`,
      ]);
    });

    it('a matching or unrecognised host gets none', () => {
      expect(resolve({ flags: { region: 'cn', baseUrl: CN } }).warnings).toEqual([]);
      expect(resolve({ flags: { region: 'global', baseUrl: GATEWAY } }).warnings).toEqual([]);
    });
  });
});

describe('resolveSettings: output, timeout, auth style and switches', () => {
  it('output defaults to text on a terminal and json otherwise', () => {
    expect(resolve({ tty: true })).toMatchObject({ output: 'text', origins: { output: { source: 'default' } } });
    expect(resolve({ tty: false })).toMatchObject({ output: 'json', origins: { output: { source: 'default' } } });
  });

  it('output: flag > MINIMAX_OUTPUT > config > default', () => {
    expect(resolve({ tty: true, file: { output: 'json' } })).toMatchObject({ output: 'json', origins: { output: { source: 'config' } } });
    expect(resolve({ tty: true, env: { MINIMAX_OUTPUT: 'json' }, file: { output: 'text' } })).toMatchObject({
      output: 'json',
      origins: { output: { source: 'env' } },
    });
    expect(resolve({ tty: false, flags: { output: 'text' }, env: { MINIMAX_OUTPUT: 'json' }, file: { output: 'json' } })).toMatchObject({
      output: 'text',
      origins: { output: { source: 'flag' } },
    });
  });

  it('timeout: 300 s by default; flag > MINIMAX_TIMEOUT > config; seconds may be fractional', () => {
    expect(resolve().timeoutMs).toBe(300_000);
    expect(resolve({ file: { timeout: 10 } }).timeoutMs).toBe(10_000);
    expect(resolve({ env: { MINIMAX_TIMEOUT: '2.5' }, file: { timeout: 10 } }).timeoutMs).toBe(2_500);
    expect(resolve({ flags: { timeout: '1' }, env: { MINIMAX_TIMEOUT: '2.5' }, file: { timeout: 10 } }).timeoutMs).toBe(1_000);
  });

  it('auth style: auto by default; flag > MINIMAX_AUTH_STYLE > config', () => {
    expect(resolve()).toMatchObject({ authStyle: 'auto', authStyleSource: 'default' });
    expect(resolve({ file: { auth_style: 'bearer' } })).toMatchObject({ authStyle: 'bearer', authStyleSource: 'config' });
    expect(resolve({ env: { MINIMAX_AUTH_STYLE: 'x-api-key' }, file: { auth_style: 'bearer' } })).toMatchObject({
      authStyle: 'x-api-key',
      authStyleSource: 'env',
    });
    // An explicit "auto" on the command line switches a stored explicit style off again.
    expect(resolve({ flags: { authStyle: 'auto' }, env: { MINIMAX_AUTH_STYLE: 'x-api-key' } })).toMatchObject({
      authStyle: 'auto',
      authStyleSource: 'flag',
    });
  });

  it('MINIMAX_VERBOSE and CI switch verbose and non-interactive on; flags do too', () => {
    expect(resolve()).toMatchObject({ verbose: false, nonInteractive: false, quiet: false, dryRun: false });
    expect(resolve({ env: { MINIMAX_VERBOSE: '1', CI: 'true' } })).toMatchObject({ verbose: true, nonInteractive: true });
    expect(resolve({ env: { MINIMAX_VERBOSE: '0', CI: 'false' } })).toMatchObject({ verbose: false, nonInteractive: false });
    expect(resolve({ flags: { verbose: true, nonInteractive: true, quiet: true, dryRun: true } })).toMatchObject({
      verbose: true,
      nonInteractive: true,
      quiet: true,
      dryRun: true,
    });
  });
});

describe('resolveSettings: invalid values are usage errors naming their source', () => {
  it.each<[string, { flags?: GlobalFlags; env?: Env }, string]>([
    ['--region', { flags: { region: 'eu' } }, '--region must be "global" or "cn" (got "eu").'],
    ['MINIMAX_REGION', { env: { MINIMAX_REGION: 'china' } }, 'MINIMAX_REGION must be "global" or "cn" (got "china").'],
    ['--base-url', { flags: { baseUrl: 'api.minimaxi.com' } }, '--base-url must be an http:// or https:// URL (got "api.minimaxi.com").'],
    [
      '--base-url',
      { flags: { baseUrl: 'ftp://api.minimaxi.com' } },
      '--base-url must be an http:// or https:// URL (got "ftp://api.minimaxi.com").',
    ],
    [
      'MINIMAX_BASE_URL',
      { env: { MINIMAX_BASE_URL: 'not a url' } },
      'MINIMAX_BASE_URL must be an http:// or https:// URL (got "not a url").',
    ],
    ['--output', { flags: { output: 'yaml' } }, '--output must be "text" or "json" (got "yaml").'],
    ['MINIMAX_OUTPUT', { env: { MINIMAX_OUTPUT: 'xml' } }, 'MINIMAX_OUTPUT must be "text" or "json" (got "xml").'],
    ['--timeout', { flags: { timeout: '0' } }, '--timeout must be a positive number of seconds, at most 2147483 (24 days) (got "0").'],
    ['--timeout', { flags: { timeout: 'ten' } }, '--timeout must be a positive number of seconds, at most 2147483 (24 days) (got "ten").'],
    ['--timeout', { flags: { timeout: '-5' } }, '--timeout must be a positive number of seconds, at most 2147483 (24 days) (got "-5").'],
    ['--timeout', { flags: { timeout: '' } }, '--timeout must be a positive number of seconds, at most 2147483 (24 days) (got "").'],
    [
      'MINIMAX_TIMEOUT',
      { env: { MINIMAX_TIMEOUT: 'Infinity' } },
      'MINIMAX_TIMEOUT must be a positive number of seconds, at most 2147483 (24 days) (got "Infinity").',
    ],
    ['--auth-style', { flags: { authStyle: 'basic' } }, '--auth-style must be auto, bearer or x-api-key (got "basic").'],
    [
      'MINIMAX_AUTH_STYLE',
      { env: { MINIMAX_AUTH_STYLE: 'Bearer ' } },
      'MINIMAX_AUTH_STYLE must be auto, bearer or x-api-key (got "Bearer").',
    ],
  ])('%s: %j', (_name, input, message) => {
    expect(usageMessage(() => resolve(input))).toBe(message);
  });

  const HAS_USER = 'it carries a user name or password, which would be sent and shown; a base URL takes none';
  const HAS_QUERY = 'it has a query (?…), which would land inside every request path';
  const HAS_FRAGMENT = 'it has a fragment (#…), which would land inside every request path';
  it.each<[string, { flags?: GlobalFlags; env?: Env; file?: ConfigFile }, string]>([
    [
      'a password in --base-url (never quoted back)',
      { flags: { baseUrl: 'http://user:hunter22@gw.example' } },
      `--base-url must be an http:// or https:// URL; ${HAS_USER} (got "http://…@gw.example").`,
    ],
    [
      'a user name alone in MINIMAX_BASE_URL',
      { env: { MINIMAX_BASE_URL: 'https://me@gw.example/minimax' } },
      `MINIMAX_BASE_URL must be an http:// or https:// URL; ${HAS_USER} (got "https://…@gw.example/minimax").`,
    ],
    [
      'user info in config base_url',
      { file: { base_url: 'https://u:p@gw.example' } },
      `config base_url must be an http:// or https:// URL; ${HAS_USER} (got "https://…@gw.example").`,
    ],
    [
      'a query in --base-url (its values not quoted back)',
      { flags: { baseUrl: 'https://gw.example/v?token=abc' } },
      `--base-url must be an http:// or https:// URL; ${HAS_QUERY} (got "https://gw.example/v?…").`,
    ],
    [
      'an empty query',
      { flags: { baseUrl: 'https://gw.example?' } },
      `--base-url must be an http:// or https:// URL; ${HAS_QUERY} (got "https://gw.example?…").`,
    ],
    [
      'a fragment in config base_url',
      { file: { base_url: 'https://gw.example/#x' } },
      `config base_url must be an http:// or https:// URL; ${HAS_FRAGMENT} (got "https://gw.example/#…").`,
    ],
    [
      'config base_url without a host',
      { file: { base_url: 'http://' } },
      'config base_url must be an http:// or https:// URL (got "http://").',
    ],
    [
      'a garbage MINIMAX_CN_BASE_URL',
      { env: { MINIMAX_CN_BASE_URL: 'garbage' } },
      'MINIMAX_CN_BASE_URL must be an http:// or https:// URL (got "garbage").',
    ],
    [
      'a password in MINIMAX_GLOBAL_BASE_URL, even when the cn host is the one in use',
      { env: { MINIMAX_GLOBAL_BASE_URL: 'https://a:b@g.example', MINIMAX_REGION: 'cn' } },
      `MINIMAX_GLOBAL_BASE_URL must be an http:// or https:// URL; ${HAS_USER} (got "https://…@g.example").`,
    ],
  ])('%s', (_name, input, message) => {
    expect(usageMessage(() => resolve(input))).toBe(message);
  });

  it('a bad stored base_url names the file to fix', () => {
    try {
      resolveSettings({ flags: {}, env: {}, file: { base_url: 'http://' }, stdoutIsTTY: false, configPath: '/home/u/.mmx/config.json' });
      expect.fail('expected a UsageError');
    } catch (error) {
      expect((error as UsageError).hint).toBe('Fix or remove "base_url" in /home/u/.mmx/config.json.');
    }
  });

  it('base URLs with a path, a port or a trailing slash are still fine', () => {
    expect(resolve({ flags: { baseUrl: 'https://gw.example:8443/minimax/' } }).baseUrl).toBe('https://gw.example:8443/minimax');
    expect(resolve({ env: { MINIMAX_CN_BASE_URL: 'http://127.0.0.1:9/' }, flags: { region: 'cn' } }).baseUrl).toBe('http://127.0.0.1:9');
  });

  it('an invalid lower-precedence value is not consulted when a higher one is valid', () => {
    expect(resolve({ flags: { region: 'cn' }, env: { MINIMAX_REGION: 'eu' } }).region).toBe('cn');
    expect(resolve({ flags: { output: 'json' }, env: { MINIMAX_OUTPUT: 'xml' } }).output).toBe('json');
  });
});

describe('colorLevel', () => {
  it.each<[string, Env, boolean | undefined, boolean, number]>([
    ['a plain terminal', {}, undefined, true, 1],
    ['no terminal', {}, undefined, false, 0],
    ['--color left at its default (true)', {}, true, true, 1],
    ['--no-color on a terminal', {}, false, true, 0],
    ['--no-color beats FORCE_COLOR', { FORCE_COLOR: '3' }, false, true, 0],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, undefined, true, 0],
    ['NO_COLOR beats FORCE_COLOR', { NO_COLOR: 'yes', FORCE_COLOR: '1' }, undefined, false, 0],
    ['an empty NO_COLOR is ignored', { NO_COLOR: '' }, undefined, true, 1],
    ['FORCE_COLOR without a terminal', { FORCE_COLOR: '1' }, undefined, false, 1],
    ['FORCE_COLOR=2', { FORCE_COLOR: '2' }, undefined, false, 2],
    ['FORCE_COLOR=3', { FORCE_COLOR: '3' }, undefined, false, 3],
    ['FORCE_COLOR=true', { FORCE_COLOR: 'true' }, undefined, false, 1],
    ['FORCE_COLOR empty', { FORCE_COLOR: '' }, undefined, false, 1],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, undefined, true, 0],
    ['FORCE_COLOR=false on a terminal', { FORCE_COLOR: 'false' }, undefined, true, 0],
    ['FORCE_COLOR beats TERM=dumb', { FORCE_COLOR: '1', TERM: 'dumb' }, undefined, true, 1],
    ['TERM=dumb on a terminal', { TERM: 'dumb' }, undefined, true, 0],
    ['TERM=dumb with truecolor claims', { TERM: 'dumb', COLORTERM: 'truecolor' }, undefined, true, 0],
    ['a 256-colour terminal', { TERM: 'xterm-256color' }, undefined, true, 2],
    ['a truecolor terminal', { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, undefined, true, 3],
    ['COLORTERM=24bit', { COLORTERM: '24bit' }, undefined, true, 3],
    ['COLORTERM without a terminal', { COLORTERM: 'truecolor' }, undefined, false, 0],
  ])('%s', (_name, env, flag, tty, level) => {
    expect(colorLevel(env, flag, tty)).toBe(level);
  });
});

describe('precedence, as a property', () => {
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const key = fc.stringMatching(/^sk-[A-Za-z0-9]{4,12}$/);
  const region = fc.constantFrom('global' as const, 'cn' as const);
  const output = fc.constantFrom('text' as const, 'json' as const);
  const seconds = fc.integer({ min: 1, max: 10_000 });
  const style = fc.constantFrom('auto' as const, 'bearer' as const, 'x-api-key' as const);
  /** Unrecognised hosts, so the region never comes from the base URL here. */
  const base = fc.integer({ min: 0, max: 999 }).map((n) => `https://h${n}.example`);
  const layer = <T>(arb: fc.Arbitrary<T>) => fc.record({ flag: opt(arb), env: opt(arb), config: opt(arb) });

  type Layer<T> = { flag: T | undefined; env: T | undefined; config: T | undefined };
  function winner<T>(l: Layer<T>): [T, 'flag' | 'env' | 'config'] | undefined {
    if (l.flag !== undefined) return [l.flag, 'flag'];
    if (l.env !== undefined) return [l.env, 'env'];
    if (l.config !== undefined) return [l.config, 'config'];
    return undefined;
  }

  it('the highest-precedence present source always wins (key, output, timeout, auth style, region)', () => {
    fc.assert(
      fc.property(
        fc.record({
          key: layer(key),
          output: layer(output),
          timeout: layer(seconds),
          style: layer(style),
          region: layer(region),
          tty: fc.boolean(),
        }),
        (v) => {
          const s = resolveSettings({
            flags: {
              apiKey: v.key.flag,
              output: v.output.flag,
              timeout: v.timeout.flag === undefined ? undefined : String(v.timeout.flag),
              authStyle: v.style.flag,
              region: v.region.flag,
            },
            env: {
              MINIMAX_API_KEY: v.key.env,
              MINIMAX_OUTPUT: v.output.env,
              MINIMAX_TIMEOUT: v.timeout.env === undefined ? undefined : String(v.timeout.env),
              MINIMAX_AUTH_STYLE: v.style.env,
              MINIMAX_REGION: v.region.env,
            },
            file: {
              api_key: v.key.config,
              output: v.output.config,
              timeout: v.timeout.config,
              auth_style: v.style.config,
              region: v.region.config,
            },
            stdoutIsTTY: v.tty,
          });

          const k = winner(v.key);
          if (k) {
            const sources = (['flag', 'env', 'config'] as const).filter((source) => v.key[source] !== undefined);
            expect(s.key).toEqual({ value: k[0], source: k[1], shadows: sources.slice(1) });
          } else {
            expect(s.key).toBeUndefined();
          }

          const o = winner(v.output);
          expect([s.output, s.origins.output?.source]).toEqual(o ?? [v.tty ? 'text' : 'json', 'default']);

          const t = winner(v.timeout);
          expect(s.timeoutMs).toBe(t ? t[0] * 1000 : 300_000);

          const a = winner(v.style);
          expect([s.authStyle, s.authStyleSource]).toEqual(a ?? ['auto', 'default']);

          const r = winner(v.region);
          expect([s.region, s.regionSource]).toEqual(r ?? ['global', 'default']);
          expect(s.regionGiven).toBe(v.region.flag !== undefined || v.region.env !== undefined);
          // No base URL anywhere: it is always the winning region's host.
          expect([s.baseUrl, s.baseUrlSource]).toEqual([(r?.[0] ?? 'global') === 'cn' ? CN : GLOBAL, 'region']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the base URL follows flag > env > config > region host, and a given region always discards the stored one', () => {
    fc.assert(
      fc.property(layer(base), layer(region), (b, r) => {
        const s = resolveSettings({
          flags: { baseUrl: b.flag, region: r.flag },
          env: { MINIMAX_BASE_URL: b.env, MINIMAX_REGION: r.env },
          file: { base_url: b.config, region: r.config },
          stdoutIsTTY: false,
        });
        const givenBase = b.flag !== undefined ? ([b.flag, 'flag'] as const) : b.env !== undefined ? ([b.env, 'env'] as const) : undefined;
        const givenRegion = r.flag !== undefined || r.env !== undefined;
        const regionWinner = winner(r);
        const expectedRegion = regionWinner?.[0] ?? 'global';
        expect(s.region).toBe(expectedRegion);
        expect(s.regionSource).toBe(regionWinner?.[1] ?? 'default');
        if (givenBase) {
          expect([s.baseUrl, s.baseUrlSource]).toEqual(givenBase);
        } else if (!givenRegion && b.config !== undefined) {
          expect([s.baseUrl, s.baseUrlSource]).toEqual([b.config, 'config']);
        } else {
          expect([s.baseUrl, s.baseUrlSource]).toEqual([expectedRegion === 'cn' ? CN : GLOBAL, 'region']);
        }
        expect(s.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('region hosts', () => {
  it('cn is served on api.minimax.cn, and its key may also be checked on api.minimaxi.com, in that order', () => {
    expect(regionHost('cn', {})).toBe(CN);
    expect(regionHosts('cn', {})).toEqual([CN, CN_PREVIOUS]);
    expect(regionHost('global', {})).toBe(GLOBAL);
    expect(regionHosts('global', {})).toEqual([GLOBAL]);
  });

  it('an override is the only host of its region, trimmed and without trailing slashes; a blank one is ignored', () => {
    const env = { MINIMAX_CN_BASE_URL: ' https://gw-cn.test/ ', MINIMAX_GLOBAL_BASE_URL: '  ' };
    expect(regionHosts('cn', env)).toEqual(['https://gw-cn.test']);
    expect(regionHost('cn', env)).toBe('https://gw-cn.test');
    expect(regionHosts('global', env)).toEqual([GLOBAL]);
  });
});
