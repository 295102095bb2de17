/**
 * `mmx config show|get|set|unset|path|export-schema|schema` through the real CLI:
 * mmx-cli 1.0.27's fields and outputs (what its scripts read), the sources we
 * add, validation against the settings registry, and writes that go through the
 * same atomic 0600 path as login.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/registry.js';
import { SETTINGS } from '../../src/config/settings.js';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { masked } from '../helpers/leak.js';
import { fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const KEY = EMULATOR_KEYS.cn;

function configWith(content: Record<string, unknown>): string {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(content), { mode: 0o600 });
  return dir;
}

const readConfig = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));

describe('config show', () => {
  it("prints mmx-cli's fields (key masked) with where each came from", async () => {
    const configDir = configWith({
      api_key: KEY,
      region: 'cn',
      timeout: 120,
      default_text_model: 'MiniMax-M3',
      proxy: 'http://127.0.0.1:7890',
    });
    const r = await runCli(['config', 'show', '--output', 'json'], { configDir, env: { MINIMAX_IDLE_TIMEOUT: '30' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const show = r.json();
    expect(show).toMatchObject({
      region: 'cn',
      region_source: 'config',
      base_url: 'https://api.minimax.cn',
      base_url_source: 'region',
      output: 'json',
      output_source: 'flag',
      timeout: 120,
      timeout_source: 'config',
      config_file: join(configDir, 'config.json'),
      api_key: masked(KEY),
      api_key_source: 'config',
      default_text_model: 'MiniMax-M3',
      default_text_model_source: 'config',
      default_speech_model: 'speech-2.8-hd',
      default_speech_model_source: 'default',
      proxy: 'http://127.0.0.1:7890',
      proxy_source: 'config',
      idle_timeout: 30,
      idle_timeout_source: 'env',
      max_retries: 2,
      auth_style: 'auto',
      auth_styles: {},
    });
  });

  it('follows flags and the environment like every command, and masks proxy credentials', async () => {
    const r = await runCli(['config', 'show', '--region', 'global', '--timeout', '9'], {
      env: { MINIMAX_API_KEY: KEY, HTTPS_PROXY: 'http://user:secret@proxy.example:3128' },
    });
    const show = r.json();
    expect(show).toMatchObject({ region: 'global', region_source: 'flag', timeout: 9, timeout_source: 'flag', api_key_source: 'env' });
    expect(show.proxy).toBe('http://…@proxy.example:3128');
    expect(show.proxy_source).toBe('env');
    expect(r.stdout).not.toContain('secret');
  });

  it('set and its dry run echo a proxy without its user and password, and store it whole', async () => {
    const configDir = configWith({});
    const dry = await runCli(['config', 'set', '--key', 'proxy', '--value', 'http://user:secret@proxy.example:3128', '--dry-run'], {
      configDir,
    });
    expect(dry.json()).toEqual({ would_set: { proxy: 'http://…@proxy.example:3128' } });
    const set = await runCli(['config', 'set', '--key', 'proxy', '--value', 'http://user:secret@proxy.example:3128', '--output', 'text'], {
      configDir,
    });
    expect(set.stdout).toBe(`Set proxy to http://…@proxy.example:3128 in ${configDir}/config.json.\n`);
    expect(dry.stdout + set.stdout + set.stderr).not.toContain('secret');
    expect(set.config().proxy).toBe('http://user:secret@proxy.example:3128');
  });

  it('text: one aligned line per setting, and the remembered auth styles', async () => {
    const configDir = configWith({ region: 'cn', auth_styles: { 'https://gw.example': { anthropic: 'bearer' } } });
    const r = await runCli(['config', 'show', '--output', 'text'], { configDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^region {16}cn {22}\(config file\)$/m);
    expect(r.stdout).toMatch(/^base_url {14}https:\/\/api\.minimax\.cn {2}\(the region's host\)$/m);
    expect(r.stdout).toContain(`\nconfig_file           ${join(configDir, 'config.json')}\n`);
    expect(r.stdout).toContain('  https://gw.example anthropic: bearer\n');
  });
});

describe('config set', () => {
  it('prints {key: value}, stores the parsed value at 0600, and keeps the other keys', async () => {
    const configDir = configWith({ api_key: KEY, region: 'cn', something_else: 1 });
    const r = await runCli(['config', 'set', '--key', 'timeout', '--value', '600', '--output', 'json'], { configDir });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ timeout: 600 });
    expect(readConfig(configDir)).toEqual({ api_key: KEY, region: 'cn', something_else: 1, timeout: 600 });
    expect(fileMode(join(configDir, 'config.json'))).toBe(0o600);
    expect(fileMode(configDir)).toBe(0o700);
  });

  it('takes positionals and the hyphenated default-*-model spellings', async () => {
    const configDir = tempConfigDir();
    expect((await runCli(['config', 'set', 'default-text-model', 'MiniMax-M3'], { configDir })).json()).toEqual({
      default_text_model: 'MiniMax-M3',
    });
    expect((await runCli(['config', 'set', 'region', 'cn'], { configDir })).json()).toEqual({ region: 'cn' });
    expect(readConfig(configDir)).toEqual({ default_text_model: 'MiniMax-M3', region: 'cn' });
  });

  it('--dry-run prints {would_set: …} and writes nothing', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['config', 'set', 'timeout', '60', '--dry-run'], { configDir });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ would_set: { timeout: 60 } });
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it('api_key: masked in the output, read from stdin with "-", and it drops the oauth block and the region (as mmx-cli)', async () => {
    const configDir = configWith({ region: 'cn', oauth: { access_token: 'x', refresh_token: 'y', expires_at: '2026' }, timeout: 5 });
    const r = await runCli(['config', 'set', 'api_key', '-'], { configDir, stdin: `${EMULATOR_KEYS.global}\n` });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ api_key: masked(EMULATOR_KEYS.global) });
    expect(readConfig(configDir)).toEqual({ api_key: EMULATOR_KEYS.global, timeout: 5 });
    expect(r.stderr).toContain('the stored region (cn) was removed');
  });

  it('--quiet prints nothing and still writes', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['config', 'set', 'output', 'json', '--quiet'], { configDir });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readConfig(configDir)).toEqual({ output: 'json' });
  });

  it('an unknown key is exit 2 listing the keys; nothing is written', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['config', 'set', 'nope', '1'], { configDir });
    expect(r.code).toBe(2);
    const stored = SETTINGS.filter((s) => s.stored).map((s) => s.key);
    expect(JSON.parse(r.stderr).error.message).toBe(`Invalid config key "nope". Valid keys: ${stored.join(', ')}`);
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it.each([
    ['timeout', 'ten', 'a positive number of seconds, at most 2147483 (24 days)'],
    ['region', 'eu', '"global" or "cn"'],
    ['output', 'yaml', '"text" or "json"'],
    ['base_url', 'api.minimax.io', 'an http:// or https:// URL'],
    ['max_retries', '11', 'a whole number from 0 to 10'],
    ['auth_style', 'basic', 'auto, bearer or x-api-key'],
  ])('%s=%s is exit 2 naming the value and what is allowed; the file is untouched', async (key, value, allowed) => {
    const configDir = configWith({ timeout: 7 });
    const r = await runCli(['config', 'set', key, value], { configDir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe(`Invalid value for ${key}: "${value}" (must be ${allowed}).`);
    expect(readConfig(configDir)).toEqual({ timeout: 7 });
  });

  it('without a key or a value: exit 2', async () => {
    expect((await runCli(['config', 'set', 'timeout'])).code).toBe(2);
    expect((await runCli(['config', 'set'])).code).toBe(2);
  });

  it('never rewrites a config file it cannot parse', async () => {
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), '{"api_key": ', { mode: 0o600 });
    const r = await runCli(['config', 'set', 'timeout', '5'], { configDir });
    expect(r.code).toBe(1);
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).toBe('{"api_key": ');
  });
});

describe('config get', () => {
  it('prints the plain value for scripts, also when piped; JSON when asked, with the source', async () => {
    const configDir = configWith({ region: 'cn', api_key: KEY });
    expect((await runCli(['config', 'get', 'region'], { configDir })).stdout).toBe('cn\n');
    expect((await runCli(['config', 'get', 'base-url'], { configDir })).stdout).toBe('https://api.minimax.cn\n');
    expect((await runCli(['config', 'get', 'api_key'], { configDir })).stdout).toBe(`${masked(KEY)}\n`);
    expect((await runCli(['config', 'get', 'timeout', '--output', 'json'], { configDir, env: { MINIMAX_TIMEOUT: '12' } })).json()).toEqual({
      key: 'timeout',
      value: 12,
      source: 'env',
    });
  });

  it('an unset value prints nothing and exits 1; an unknown key is exit 2', async () => {
    expect(await runCli(['config', 'get', 'proxy'])).toMatchObject({ code: 1, stdout: '' });
    expect((await runCli(['config', 'get', 'colour'])).code).toBe(2);
  });
});

describe('config unset', () => {
  it('removes one key and keeps the rest', async () => {
    const configDir = configWith({ timeout: 5, region: 'cn' });
    const r = await runCli(['config', 'unset', 'timeout'], { configDir });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ unset: 'timeout', removed: true });
    expect(readConfig(configDir)).toEqual({ region: 'cn' });
    expect((await runCli(['config', 'unset', 'timeout'], { configDir })).json()).toEqual({ unset: 'timeout', removed: false });
  });

  it('forgets remembered auth styles, all of them or one origin', async () => {
    const styles = { 'https://a.example': { anthropic: 'bearer' }, 'https://b.example': { v1: 'x-api-key' } };
    const configDir = configWith({ auth_styles: styles });
    const one = await runCli(['config', 'unset', 'auth_styles', '--origin', 'https://a.example/anthropic'], { configDir });
    expect(one.json()).toEqual({ unset: 'auth_styles', origin: 'https://a.example', removed: true });
    expect(readConfig(configDir)).toEqual({ auth_styles: { 'https://b.example': { v1: 'x-api-key' } } });
    await runCli(['config', 'unset', 'auth_styles'], { configDir });
    expect(readConfig(configDir)).toEqual({});
  });

  it('--origin with another key is exit 2; --dry-run writes nothing', async () => {
    expect((await runCli(['config', 'unset', 'timeout', '--origin', 'https://a.example'])).code).toBe(2);
    const configDir = configWith({ timeout: 5 });
    expect((await runCli(['config', 'unset', 'timeout', '--dry-run'], { configDir })).json()).toEqual({
      would_unset: 'timeout',
      present: true,
    });
    expect(readConfig(configDir)).toEqual({ timeout: 5 });
  });
});

describe('config path', () => {
  it('prints the path plainly, or as JSON when asked', async () => {
    const configDir = tempConfigDir();
    expect((await runCli(['config', 'path'], { configDir })).stdout).toBe(`${join(configDir, 'config.json')}\n`);
    expect((await runCli(['config', 'path', '--output', 'json'], { configDir })).json()).toEqual({
      config_file: join(configDir, 'config.json'),
    });
  });
});

describe('config export-schema', () => {
  it('one tool per command that uses the API with a key, named mmx_<path>, generated from the registry', async () => {
    const r = await runCli(['config', 'export-schema']);
    expect(r.code).toBe(0);
    const tools = r.json() as Array<{ name: string }>;
    const expected = COMMANDS.filter((c) => c.needs.key && !c.hidden).map((c) => `mmx_${c.path.join('_')}`);
    expect(tools.map((t) => t.name)).toEqual(expected);
    expect(tools.map((t) => t.name)).toContain('mmx_text_chat');
    expect(tools.map((t) => t.name)).not.toContain('mmx_config_show');
  });

  it('--command "text chat": the tool schema in mmx-cli\'s shape, camelCase properties, hidden aliases left out', async () => {
    const r = await runCli(['config', 'export-schema', '--command', 'text chat']);
    const tool = r.json();
    expect(Object.keys(tool)).toEqual(['name', 'description', 'input_schema']);
    expect(tool.name).toBe('mmx_text_chat');
    expect(tool.input_schema.type).toBe('object');
    expect(Object.keys(tool.input_schema.properties)).toEqual([
      'message',
      'messagesFile',
      'system',
      'model',
      'maxTokens',
      'temperature',
      'topP',
      'stream',
      'thinking',
      'stdin',
      'continue',
      'conversation',
      'save',
      'tool',
    ]);
    expect(tool.input_schema.properties.message).toEqual({
      description: 'a message; repeatable; prefix "user:", "assistant:" or "system:" to set the role',
      type: 'array',
      items: { type: 'string' },
    });
    expect(tool.input_schema.properties.maxTokens).toEqual({ description: 'maximum tokens to generate (default: 4096)', type: 'number' });
    expect(tool.input_schema.properties.stream.type).toBe('boolean');
    expect(tool.input_schema.required).toEqual([]);
  });

  it('an unknown command is exit 2', async () => {
    const r = await runCli(['config', 'export-schema', '--command', 'text shout']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('Command "text shout" not found.');
  });
});

describe('config schema', () => {
  it('is a JSON Schema of config.json with every stored setting, and accepts unknown keys', async () => {
    const schema = (await runCli(['config', 'schema'])).json();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties)).toEqual([...SETTINGS.filter((s) => s.stored).map((s) => s.key), 'auth_styles']);
    expect(schema.properties.region).toMatchObject({ enum: ['global', 'cn'], default: 'global' });
    expect(schema.properties.timeout).toMatchObject({ type: 'number', default: 300 });
    expect(schema.additionalProperties).toBe(true);
  });
});
