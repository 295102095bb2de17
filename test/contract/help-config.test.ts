/**
 * The mmx-cli script contract for help and `mmx config`, pinned through the built
 * bin/mmx: help on stdout with exit 0, unknown commands as one-line usage errors,
 * and the JSON that `config show | set | export-schema` prints.
 */
import { describe, expect, it } from 'vitest';
import { masked } from '../helpers/leak.js';
import { KEY, jsonError, useContractApi } from './harness.js';

const api = useContractApi();

describe('help', () => {
  it.each([
    ['mmx help', 'Usage: mmx [options] [command]'],
    ['mmx help auth', 'Usage: mmx auth [options] [command]'],
    ['mmx help text chat', 'Usage: mmx text chat [options]'],
    ['mmx text chat --help', 'Usage: mmx text chat [options]'],
    ['mmx --help', 'Usage: mmx [options] [command]'],
  ])('%s: exit 0, the help on stdout, no key needed', async (command, usage) => {
    const r = await api.sh(command, { config: null });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(usage);
    expect(r.stderr).toBe('');
    expect(api.requests).toHaveLength(0);
  });

  it('mmx help text chat is what mmx text chat --help prints', async () => {
    const viaHelp = await api.sh('mmx help text chat', { config: null });
    const viaFlag = await api.sh('mmx text chat --help', { config: null });
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toContain('--message');
  });

  it('an unknown command with --help: exit 2, no help', async () => {
    const r = await api.sh('mmx qouta --help', { config: null });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr).message).toBe('Unknown command "qouta". Did you mean "quota"?');
  });

  it('mmx qouta: one line with a did-you-mean (JSON when piped; a line and its hint in text)', async () => {
    const piped = await api.sh('mmx qouta');
    expect(piped.code).toBe(2);
    expect(piped.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(jsonError(piped.stderr)).toMatchObject({ code: 2, message: 'Unknown command "qouta". Did you mean "quota"?' });
    const text = await api.sh('mmx qouta --output text');
    expect(text.code).toBe(2);
    expect(text.stderr.split('\n')[0]).toBe('Error: Unknown command "qouta". Did you mean "quota"?');
    expect(text.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
    expect(api.requests).toHaveLength(0);
  });
});

describe('mmx config', () => {
  it("show --output json: mmx-cli's fields (region, base_url, output, timeout, config_file, api_key, default_*_model, proxy) and ours", async () => {
    const config = { api_key: KEY, region: 'global', proxy: 'http://127.0.0.1:7890', default_text_model: 'MiniMax-M2.5' };
    const r = await api.sh('mmx config show --output json', { config, env: { MINIMAX_GLOBAL_BASE_URL: undefined } });
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      region: 'global',
      base_url: 'https://api.minimax.io',
      output: 'json',
      timeout: 300,
      config_file: r.configFile,
      api_key: masked(KEY),
      default_text_model: 'MiniMax-M2.5',
      proxy: 'http://127.0.0.1:7890',
      region_source: 'config',
      idle_timeout: 60,
      max_retries: 2,
      auth_style: 'auto',
    });
    expect(api.requests).toHaveLength(0);
  });

  it('set --key K --value V prints {K: V} and stores it; the positional form too', async () => {
    const r = await api.sh('mmx config set --key timeout --value 60 && mmx config set default_text_model MiniMax-M2.5');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{\n  "timeout": 60\n}\n{\n  "default_text_model": "MiniMax-M2.5"\n}\n');
    expect(r.config).toEqual({ api_key: KEY, region: 'global', timeout: 60, default_text_model: 'MiniMax-M2.5' });
  });

  it('set --dry-run prints {would_set: {…}} and writes nothing', async () => {
    const r = await api.sh('mmx config set --key region --value cn --dry-run');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ would_set: { region: 'cn' } });
    expect(r.config).toEqual({ api_key: KEY, region: 'global' });
  });

  it('set api_key prints the key masked and removes the stored region (as mmx-cli)', async () => {
    const newKey = 'sk-cp-contract-new-key-000000000000000000wxyz';
    const r = await api.sh(`mmx config set --key api_key --value ${newKey}`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ api_key: masked(newKey) });
    expect(r.stdout).not.toContain(newKey);
    expect(r.config).toEqual({ api_key: newKey });
  });

  it('set of an unknown key: exit 2 listing the keys, nothing written', async () => {
    const r = await api.sh('mmx config set --key colour --value blue');
    expect(r.code).toBe(2);
    const error = jsonError(r.stderr);
    for (const key of ['region', 'base_url', 'output', 'timeout', 'api_key', 'proxy', 'default_text_model']) {
      expect(error.message).toContain(key);
    }
    expect(r.config).toEqual({ api_key: KEY, region: 'global' });
  });

  it('set of a bad value: exit 2, nothing written', async () => {
    const r = await api.sh('mmx config set --key region --value mars');
    expect(r.code).toBe(2);
    expect(r.config).toEqual({ api_key: KEY, region: 'global' });
  });

  it('export-schema: an array of {name: "mmx_…", description, input_schema: {type: "object", properties, required}}', async () => {
    const r = await api.sh('mmx config export-schema', { config: null });
    expect(r.code).toBe(0);
    const tools = JSON.parse(r.stdout) as { name: string; description: string; input_schema: Record<string, unknown> }[];
    expect(tools.map((t) => t.name)).toContain('mmx_text_chat');
    for (const tool of tools) {
      expect(tool).toEqual({
        name: expect.stringMatching(/^mmx_[a-z_]+$/),
        description: expect.any(String),
        input_schema: { type: 'object', properties: expect.any(Object), required: expect.any(Array) },
      });
    }
    const one = await api.sh('mmx config export-schema --command "text chat"', { config: null });
    const chat = JSON.parse(one.stdout) as { name: string; input_schema: { properties: Record<string, { type: string }> } };
    expect(chat.name).toBe('mmx_text_chat');
    expect(chat.input_schema.properties).toMatchObject({
      message: { type: 'array' },
      model: { type: 'string' },
      maxTokens: { type: 'number' },
      stream: { type: 'boolean' },
    });
  });
});
