/**
 * `mmx agent setup`: for every agent, the files and fields written in both regions (the stored
 * pair's base URL, the key where the agent sends Bearer), merging into existing files without
 * losing anything, backups and --undo, --dry-run (a diff, the key masked, nothing written or
 * sent), refusals (an unparsable file, a rejected key, bad flags), and what the server received.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { CN, CN_PREVIOUS, GLOBAL, useEmulators } from '../helpers/api.js';
import { fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators({ hosts: { [CN_PREVIOUS]: 'cn' } });

const HOSTS = { cn: CN, global: GLOBAL } as const;
const KEYS = { cn: EMULATOR_KEYS.cn, global: EMULATOR_KEYS.global } as const;

function newHome(): string {
  return mkdtempSync(join(tmpdir(), 'mmx-agent-home-'));
}

/** The env of a run: the key and region, HOME, and no PATH (so no agent is "installed"). */
function envOf(home: string, region: 'cn' | 'global', extra: Record<string, string | undefined> = {}) {
  return { HOME: home, MINIMAX_API_KEY: KEYS[region], MINIMAX_REGION: region, ...extra };
}

const read = (path: string) => readFileSync(path, 'utf8');
const readJson = (path: string) => JSON.parse(read(path));

function put(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** Every file of each agent, under a home with the default locations. */
function paths(home: string) {
  return {
    claude: join(home, '.claude', 'settings.json'),
    codexConfig: join(home, '.codex', 'config.toml'),
    codexCatalog: join(home, '.codex', 'mmx-model-catalog.json'),
    grok: join(home, '.grok', 'config.toml'),
    opencode: join(home, '.config', 'opencode', 'opencode.json'),
    opencodeJsonc: join(home, '.config', 'opencode', 'opencode.jsonc'),
    hermesConfig: join(home, '.hermes', 'config.yaml'),
    hermesEnv: join(home, '.hermes', '.env'),
    piModels: join(home, '.pi', 'agent', 'models.json'),
    piSettings: join(home, '.pi', 'agent', 'settings.json'),
  };
}

describe.each(['cn', 'global'] as const)('mmx agent setup --all, region %s', (region) => {
  it('checks the key with one Bearer request, then writes every agent on the region host with the key where it yields Bearer', async () => {
    const home = newHome();
    const r = await runCli(['agent', 'setup', '--all', '--output', 'json'], { env: envOf(home, region) });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    const key = KEYS[region];
    const host = HOSTS[region];
    const emulator = api[region];
    expect(emulator.requests.map((q) => [q.method, q.path, q.authStyle])).toEqual([['GET', '/v1/token_plan/remains', 'bearer']]);

    const out = r.json();
    expect(out.verification).toEqual({
      region,
      model: 'MiniMax-M3.1-Flash-Preview',
      endpoint: `${host}/v1/token_plan/remains`,
      status: 'ok',
    });
    expect(out.agents).toEqual(['claude-code', 'codex', 'grok', 'opencode', 'hermes', 'pi']);
    expect(out.base_url).toBe(host);
    const p = paths(home);
    expect(out.files).toEqual(
      [p.claude, p.codexConfig, p.codexCatalog, p.grok, p.opencode, p.hermesConfig, p.hermesEnv, p.piModels, p.piSettings].map((path) => ({
        agent: expect.any(String),
        path,
        status: 'configured',
      })),
    );
    expect(out.not_detected).toEqual(out.agents);

    // Claude Code: ANTHROPIC_AUTH_TOKEN (Bearer) on <host>/anthropic.
    const claude = readJson(p.claude);
    expect(claude.env).toEqual({
      ANTHROPIC_BASE_URL: `${host}/anthropic`,
      ANTHROPIC_AUTH_TOKEN: key,
      API_TIMEOUT_MS: '3000000',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_AUTO_COMPACT_WINDOW: '524288',
      ANTHROPIC_MODEL: 'MiniMax-M3.1-Flash-Preview[1m]',
      ANTHROPIC_DEFAULT_SONNET_MODEL: 'MiniMax-M3.1-Flash-Preview[1m]',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'MiniMax-M3.1-Flash-Preview[1m]',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'MiniMax-M3.1-Flash-Preview[1m]',
    });
    expect(claude.modelPicker.replaceBuiltInOptions).toBe(true);
    expect(claude.modelPicker.options.map((o: { model: string }) => o.model)).toEqual([
      'MiniMax-M3.1-Flash-Preview[1m]',
      'MiniMax-M3[1m]',
      'MiniMax-M2.7',
      'MiniMax-M2.7-highspeed',
    ]);

    // Codex: experimental_bearer_token on <host>/v1, the Responses API, mmx's catalog.
    const codex = parseToml(read(p.codexConfig)) as any;
    expect(codex).toEqual({
      model: 'MiniMax-M3.1-Flash-Preview',
      model_reasoning_effort: 'max',
      model_provider: 'minimax',
      model_catalog_json: 'mmx-model-catalog.json',
      model_providers: { minimax: { name: 'MiniMax', base_url: `${host}/v1`, experimental_bearer_token: key, wire_api: 'responses' } },
    });
    const catalog = readJson(p.codexCatalog);
    expect(catalog._managed_by).toBe('mmx agent setup');
    expect(catalog.models.map((m: { slug: string; context_window: number }) => [m.slug, m.context_window])).toEqual([
      ['MiniMax-M3.1-Flash-Preview', 524288],
      ['MiniMax-M3', 1000000],
      ['MiniMax-M2.7', 204800],
      ['MiniMax-M2.7-highspeed', 204800],
    ]);

    // Grok: an OpenAI-style api_key per model table on <host>/v1.
    const grok = parseToml(read(p.grok)) as any;
    expect(grok.models).toEqual({ default: 'minimax-m3-1-flash-preview' });
    expect(Object.keys(grok.model)).toEqual(['minimax-m3-1-flash-preview', 'minimax', 'minimax-m2-7', 'minimax-m2-7-highspeed']);
    expect(grok.model.minimax).toEqual({
      model: 'MiniMax-M3',
      base_url: `${host}/v1`,
      name: 'MiniMax-M3',
      api_key: key,
      api_backend: 'chat_completions',
      context_window: 1000000,
      max_completion_tokens: 128000,
    });

    // OpenCode: the OpenAI-compatible provider (Bearer) on <host>/v1.
    const opencode = readJson(p.opencode);
    expect(opencode.model).toBe('minimax/MiniMax-M3.1-Flash-Preview');
    expect(opencode.provider.minimax.npm).toBe('@ai-sdk/openai-compatible');
    expect(opencode.provider.minimax.options).toEqual({ baseURL: `${host}/v1`, apiKey: key });
    expect(Object.keys(opencode.provider.minimax.models)).toEqual([
      'MiniMax-M3.1-Flash-Preview',
      'MiniMax-M3',
      'MiniMax-M2.7',
      'MiniMax-M2.7-highspeed',
    ]);

    // Hermes: the region's provider on <host>/anthropic, the key in that provider's variable.
    const provider = region === 'cn' ? 'minimax-cn' : 'minimax';
    const hermes = parseYaml(read(p.hermesConfig));
    expect(hermes.model).toEqual({
      default: 'MiniMax-M3.1-Flash-Preview',
      provider,
      base_url: `${host}/anthropic`,
      context_length: 1000000,
    });
    expect(Object.keys(hermes.model_overrides[provider])).toHaveLength(4);
    expect(hermes.agent.reasoning_overrides['MiniMax-M3']).toBe('none');
    expect(read(p.hermesEnv)).toBe(`${region === 'cn' ? 'MINIMAX_CN_API_KEY' : 'MINIMAX_API_KEY'}=${key}\n`);

    // Pi: the region's provider on <host>/anthropic with authHeader (Bearer).
    const pi = readJson(p.piModels);
    expect(Object.keys(pi.providers)).toEqual([provider]);
    expect(pi.providers[provider]).toMatchObject({
      name: 'MiniMax',
      baseUrl: `${host}/anthropic`,
      apiKey: key,
      api: 'anthropic-messages',
      authHeader: true,
    });
    expect(pi.providers[provider].models.map((m: { id: string }) => m.id)).toHaveLength(4);
    expect(readJson(p.piSettings)).toEqual({ defaultProvider: provider, defaultModel: 'MiniMax-M3.1-Flash-Preview' });

    // Every file 0600 (most hold the key), every new directory 0700.
    for (const path of Object.values(p).filter((f) => existsSync(f))) expect(fileMode(path), path).toBe(0o600);
    expect(fileMode(join(home, '.claude'))).toBe(0o700);
  });
});

describe('mmx agent setup: where the base URL comes from', () => {
  it('the stored pair: a cn login kept on api.minimaxi.com gives the agents api.minimaxi.com, and the key is checked there', async () => {
    const home = newHome();
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ api_key: EMULATOR_KEYS.cn, region: 'cn', base_url: CN_PREVIOUS }), {
      mode: 0o600,
    });
    const r = await runCli(['agent', 'setup', '--agent', 'claude', '--agent', 'codex', '--output', 'json'], {
      env: { HOME: home },
      configDir,
    });
    expect(r.code).toBe(0);
    expect(api.host(CN_PREVIOUS).requests.map((q) => [q.path, q.authStyle])).toEqual([['/v1/token_plan/remains', 'bearer']]);
    expect(api.cn.requests).toEqual([]);
    expect(readJson(paths(home).claude).env.ANTHROPIC_BASE_URL).toBe(`${CN_PREVIOUS}/anthropic`);
    expect((parseToml(read(paths(home).codexConfig)) as any).model_providers.minimax.base_url).toBe(`${CN_PREVIOUS}/v1`);
    expect(r.json().agents).toEqual(['claude-code', 'codex']);
  });

  it('--api-key and --region, as in mmx-cli 1.0.27: the key given is the one checked and written', async () => {
    const home = newHome();
    const r = await runCli(['agent', 'setup', '--agent', 'opencode', '--api-key', EMULATOR_KEYS.global, '--region', 'global'], {
      env: { HOME: home, MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' },
    });
    expect(r.code).toBe(0);
    expect(api.global.requests.map((q) => q.path)).toEqual(['/v1/token_plan/remains']);
    expect(readJson(paths(home).opencode).provider.minimax.options).toEqual({ baseURL: `${GLOBAL}/v1`, apiKey: EMULATOR_KEYS.global });
  });

  it('the agents config directories from their variables (CLAUDE_CONFIG_DIR, CODEX_HOME, XDG_CONFIG_HOME, HERMES_HOME, GROK_HOME, PI_CODING_AGENT_DIR)', async () => {
    const home = newHome();
    const elsewhere = mkdtempSync(join(tmpdir(), 'mmx-agent-dirs-'));
    const env = envOf(home, 'cn', {
      CLAUDE_CONFIG_DIR: join(elsewhere, 'claude'),
      CODEX_HOME: join(elsewhere, 'codex'),
      XDG_CONFIG_HOME: join(elsewhere, 'xdg'),
      HERMES_HOME: join(elsewhere, 'hermes'),
      GROK_HOME: join(elsewhere, 'grok'),
      PI_CODING_AGENT_DIR: 'pi-dir', // relative: under home, as mmx-cli reads it
    });
    const r = await runCli(['agent', 'setup', '--all', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.json().files.map((f: { path: string }) => f.path)).toEqual([
      join(elsewhere, 'claude', 'settings.json'),
      join(elsewhere, 'codex', 'config.toml'),
      join(elsewhere, 'codex', 'mmx-model-catalog.json'),
      join(elsewhere, 'grok', 'config.toml'),
      join(elsewhere, 'xdg', 'opencode', 'opencode.json'),
      join(elsewhere, 'hermes', 'config.yaml'),
      join(elsewhere, 'hermes', '.env'),
      join(home, 'pi-dir', 'models.json'),
      join(home, 'pi-dir', 'settings.json'),
    ]);
    expect(readdirSync(home)).toEqual(['pi-dir']);
  });
});

describe('mmx agent setup: merging into existing files', () => {
  it('keeps every other setting and comment, removes a conflicting ANTHROPIC_API_KEY, backs up each file (0600) and says so', async () => {
    const home = newHome();
    const p = paths(home);
    const before = {
      claude: `${JSON.stringify(
        {
          permissions: { allow: ['Bash(ls:*)'] },
          env: { FOO: 'bar', ANTHROPIC_API_KEY: 'sk-ant-old-key-0000000000', ANTHROPIC_BASE_URL: 'https://example.invalid' },
          modelPicker: {
            options: [
              { model: 'my-model', label: 'Mine' },
              { model: 'MiniMax-M2.7', label: 'stale' },
            ],
            replaceBuiltInOptions: false,
          },
        },
        null,
        2,
      )}\n`,
      codex: [
        '# my codex settings',
        'approval_policy = "on-request" # keep me',
        'model_context_window = 100000',
        '',
        '[model_providers.openai]',
        'name = "OpenAI"',
        '',
        '[model_providers.minimax]',
        'name = "old name" # a comment',
        'env_key = "MY_ENV"',
        '',
        '[profiles.fast]',
        'model = "gpt-5"',
        '',
      ].join('\n'),
      opencode:
        '{\n  // my theme\n  "theme": "tokyonight",\n  "provider": {\n    "other": { "name": "Other" }, // trailing comma next\n  },\n}\n',
      hermes: '# Hermes settings\nmodel: some-model\nterminal:\n  backend: local # keep\nproviders: {}\n',
      hermesEnv: 'export OPENAI_API_KEY=sk-other\nMINIMAX_CN_API_KEY=old\n',
      piModels: `${JSON.stringify({ providers: { ollama: { baseUrl: 'http://localhost:11434/v1', api: 'openai-completions', models: [{ id: 'llama' }] } } }, null, 2)}\n`,
    };
    put(p.claude, before.claude);
    put(p.codexConfig, before.codex);
    put(p.opencodeJsonc, before.opencode);
    put(p.hermesConfig, before.hermes);
    put(p.hermesEnv, before.hermesEnv);
    put(p.piModels, before.piModels);
    chmodSync(p.claude, 0o644);

    const r = await runCli(
      [
        'agent',
        'setup',
        '--agent',
        'claude-code',
        '--agent',
        'codex',
        '--agent',
        'opencode',
        '--agent',
        'hermes',
        '--agent',
        'pi',
        '--output',
        'json',
      ],
      {
        env: envOf(home, 'cn'),
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('env_key'); // Codex may read the key from that variable instead

    const claude = readJson(p.claude);
    expect(claude.permissions).toEqual({ allow: ['Bash(ls:*)'] });
    expect(claude.env.FOO).toBe('bar');
    expect(claude.env).not.toHaveProperty('ANTHROPIC_API_KEY');
    expect(claude.env.ANTHROPIC_BASE_URL).toBe(`${CN}/anthropic`);
    expect(claude.modelPicker.replaceBuiltInOptions).toBe(false);
    expect(claude.modelPicker.options.map((o: { model: string }) => o.model)).toEqual([
      'my-model',
      'MiniMax-M3.1-Flash-Preview[1m]',
      'MiniMax-M3[1m]',
      'MiniMax-M2.7',
      'MiniMax-M2.7-highspeed',
    ]);
    expect(fileMode(p.claude)).toBe(0o600);

    const codexText = read(p.codexConfig);
    expect(codexText).toContain('# my codex settings\napproval_policy = "on-request" # keep me\n');
    expect(codexText).toContain('name = "MiniMax" # a comment');
    const codex = parseToml(codexText) as any;
    expect(codex.approval_policy).toBe('on-request');
    expect(codex).not.toHaveProperty('model_context_window');
    expect(codex.model_providers.openai).toEqual({ name: 'OpenAI' });
    expect(codex.model_providers.minimax).toEqual({
      name: 'MiniMax',
      env_key: 'MY_ENV',
      base_url: `${CN}/v1`,
      experimental_bearer_token: EMULATOR_KEYS.cn,
      wire_api: 'responses',
    });
    expect(codex.profiles).toEqual({ fast: { model: 'gpt-5' } });

    const opencodeText = read(p.opencodeJsonc);
    expect(opencodeText).toContain('// my theme');
    expect(opencodeText).toContain('// trailing comma next');
    expect(existsSync(p.opencode)).toBe(false); // the .jsonc is the file OpenCode reads
    const { parse: parseJsonc } = await import('jsonc-parser');
    const opencode = parseJsonc(opencodeText);
    expect(opencode.theme).toBe('tokyonight');
    expect(opencode.provider.other).toEqual({ name: 'Other' });
    expect(opencode.provider.minimax.options.apiKey).toBe(EMULATOR_KEYS.cn);

    const hermesText = read(p.hermesConfig);
    expect(hermesText).toContain('# Hermes settings');
    expect(hermesText).toContain('backend: local # keep');
    expect(parseYaml(hermesText).model.provider).toBe('minimax-cn');
    expect(read(p.hermesEnv)).toBe(`export OPENAI_API_KEY=sk-other\nMINIMAX_CN_API_KEY=${EMULATOR_KEYS.cn}\n`);

    const pi = readJson(p.piModels);
    expect(pi.providers.ollama).toEqual({ baseUrl: 'http://localhost:11434/v1', api: 'openai-completions', models: [{ id: 'llama' }] });
    expect(pi.providers['minimax-cn'].apiKey).toBe(EMULATOR_KEYS.cn);

    // Backups: the files as they were, beside them, 0600, named in the output.
    const files = r.json().files as { path: string; status: string; backup?: string }[];
    const backupOf = (path: string) => files.find((f) => f.path === path)?.backup as string;
    for (const [path, text] of [
      [p.claude, before.claude],
      [p.codexConfig, before.codex],
      [p.opencodeJsonc, before.opencode],
      [p.hermesConfig, before.hermes],
      [p.hermesEnv, before.hermesEnv],
      [p.piModels, before.piModels],
    ] as const) {
      expect(backupOf(path), path).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}\\.bak\\.20261128-120000Z$`));
      expect(read(backupOf(path))).toBe(text);
      expect(fileMode(backupOf(path))).toBe(0o600);
    }
    expect(backupOf(p.codexCatalog)).toBeUndefined(); // created, nothing to back up
    expect(backupOf(p.piSettings)).toBeUndefined();
  });

  it('a settings file that is a symbolic link (a dotfiles repository): its target is written and backed up, the link stays', async () => {
    const home = newHome();
    const dotfiles = mkdtempSync(join(tmpdir(), 'mmx-dotfiles-'));
    const target = join(dotfiles, 'claude-settings.json');
    writeFileSync(target, '{ "apiKeyHelper": "~/bin/key.sh" }\n');
    mkdirSync(join(home, '.claude'));
    symlinkSync(target, paths(home).claude);
    const r = await runCli(['agent', 'setup', '--agent', 'claude-code', '--output', 'json'], { env: envOf(home, 'cn') });
    expect(r.code).toBe(0);
    expect(lstatSync(paths(home).claude).isSymbolicLink()).toBe(true);
    expect(readJson(target).env.ANTHROPIC_AUTH_TOKEN).toBe(EMULATOR_KEYS.cn);
    expect(r.json().files[0].backup).toBe(`${target}.bak.20261128-120000Z`);
    expect(r.stderr).toContain('has an apiKeyHelper, whose output Claude Code sends instead of ANTHROPIC_AUTH_TOKEN');
  });

  it('a second run changes nothing: every file unchanged, no new backup', async () => {
    const home = newHome();
    const env = envOf(home, 'global');
    expect((await runCli(['agent', 'setup', '--all'], { env })).code).toBe(0);
    const again = await runCli(['agent', 'setup', '--all', '--output', 'json'], { env });
    expect(again.code).toBe(0);
    expect(again.json().files.every((f: { status: string }) => f.status === 'unchanged')).toBe(true);
    expect(readdirSync(join(home, '.claude'))).toEqual(['settings.json']);
  });

  it('warns when ANTHROPIC_API_KEY is set in the environment (Claude Code would send it as x-api-key)', async () => {
    const r = await runCli(['agent', 'setup', '--agent', 'claude-code'], {
      env: envOf(newHome(), 'cn', { ANTHROPIC_API_KEY: 'sk-ant-shell-0000000000' }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'ANTHROPIC_API_KEY is set in this shell. Claude Code sends it as x-api-key, which the cn host refuses (HTTP 500, 1033)',
    );
  });

  it('--model and --m31-context-window; a pay-as-you-go key defaults to MiniMax-M3', async () => {
    const home = newHome();
    const r = await runCli(['agent', 'setup', '--agent', 'claude-code', '--agent', 'opencode', '--m31-context-window', '1m'], {
      env: envOf(home, 'cn'),
    });
    expect(r.code).toBe(0);
    expect(readJson(paths(home).claude).env.CLAUDE_CODE_AUTO_COMPACT_WINDOW).toBe('1000000');
    expect(readJson(paths(home).opencode).provider.minimax.models['MiniMax-M3.1-Flash-Preview'].limit.context).toBe(1000000);

    const other = newHome();
    expect((await runCli(['agent', 'setup', '--agent', 'codex', '--model', 'MiniMax-M2.7'], { env: envOf(other, 'cn') })).code).toBe(0);
    expect((parseToml(read(paths(other).codexConfig)) as any).model).toBe('MiniMax-M2.7');

    const payg = newHome();
    const p = await runCli(['agent', 'setup', '--agent', 'pi', '--output', 'json'], {
      env: envOf(payg, 'cn', { MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg }),
    });
    expect(p.code).toBe(0);
    expect(p.json().verification.endpoint).toBe(`${CN}/account/query_balance`);
    expect(readJson(paths(payg).piSettings).defaultModel).toBe('MiniMax-M3');
  });
});

describe('mmx agent setup --dry-run', () => {
  it('prints a unified diff of each file with the key masked; writes nothing and sends nothing', async () => {
    const home = newHome();
    put(paths(home).claude, '{\n  "theme": "dark"\n}\n');
    const r = await runCli(['agent', 'setup', '--agent', 'claude-code', '--agent', 'hermes', '--dry-run', '--output', 'text'], {
      env: envOf(home, 'cn'),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- ${paths(home).claude}\n+++ ${paths(home).claude}\n@@ `);
    expect(r.stdout).toContain(' {\n-  "theme": "dark"\n+  "theme": "dark",\n+  "env": {\n');
    expect(r.stdout).toContain(`+    "ANTHROPIC_AUTH_TOKEN": "sk-…${EMULATOR_KEYS.cn.slice(-4)}",`);
    expect(r.stdout).toContain(`--- /dev/null\n+++ ${paths(home).hermesEnv}\n`);
    expect(r.stdout).toContain(`+MINIMAX_CN_API_KEY=sk-…${EMULATOR_KEYS.cn.slice(-4)}\n`);
    expect(read(paths(home).claude)).toBe('{\n  "theme": "dark"\n}\n');
    expect(existsSync(join(home, '.hermes'))).toBe(false);
    expect(api.cn.requests).toEqual([]);

    const json = await runCli(['agent', 'setup', '--agent', 'claude-code', '--dry-run', '--output', 'json'], { env: envOf(home, 'cn') });
    expect(json.json()).toMatchObject({
      dry_run: true,
      verification: { region: 'cn', status: 'skipped' },
      files: [
        {
          agent: 'claude-code',
          path: paths(home).claude,
          status: 'would-configure',
          diff: expect.stringContaining('+    "ANTHROPIC_BASE_URL"'),
        },
      ],
    });
    expect(readdirSync(join(home, '.claude'))).toEqual(['settings.json']);
  });
});

describe('mmx agent setup --undo', () => {
  it('restores the files the last setup changed from their backups and removes those it created; then there is nothing to undo', async () => {
    const home = newHome();
    const p = paths(home);
    put(p.claude, '{ "theme": "dark" }\n');
    const env = envOf(home, 'cn');
    const configDir = tempConfigDir();
    expect((await runCli(['agent', 'setup', '--agent', 'claude-code', '--agent', 'codex'], { env, configDir })).code).toBe(0);
    expect(read(p.claude)).not.toBe('{ "theme": "dark" }\n');

    const dry = await runCli(['agent', 'setup', '--undo', '--dry-run', '--output', 'json'], { env, configDir });
    expect(dry.json().undo.map((u: { path: string }) => u.path)).toEqual([p.claude, p.codexConfig, p.codexCatalog]);
    expect(existsSync(p.codexConfig)).toBe(true);

    const r = await runCli(['agent', 'setup', '--undo', '--output', 'text'], { env, configDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^restored ${p.claude} from ${p.claude}\\.bak\\.\\S+\nremoved ${p.codexConfig} \\(mmx agent setup had created it\\)\n`),
    );
    expect(read(p.claude)).toBe('{ "theme": "dark" }\n');
    expect(existsSync(p.codexConfig)).toBe(false);
    expect(existsSync(p.codexCatalog)).toBe(false);

    const again = await runCli(['agent', 'setup', '--undo'], { env, configDir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('There is no mmx agent setup to undo.');
  });

  it('refuses, restoring nothing, when a file was changed after the setup', async () => {
    const home = newHome();
    const env = envOf(home, 'cn');
    const configDir = tempConfigDir();
    expect((await runCli(['agent', 'setup', '--agent', 'claude-code', '--agent', 'pi'], { env, configDir })).code).toBe(0);
    writeFileSync(paths(home).claude, '{ "edited": true }\n');
    const r = await runCli(['agent', 'setup', '--undo'], { env, configDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Changed since the last mmx agent setup, so not undone: ${paths(home).claude}.`);
    expect(read(paths(home).claude)).toBe('{ "edited": true }\n');
    expect(existsSync(paths(home).piModels)).toBe(true);
  });

  it('takes no agent or model flags', async () => {
    const r = await runCli(['agent', 'setup', '--undo', '--agent', 'codex'], { env: envOf(newHome(), 'cn') });
    expect(r.code).toBe(2);
  });
});

describe('mmx agent setup: refusals', () => {
  it('a file that cannot be parsed: exit 1 naming it, no file of any agent changed, nothing sent', async () => {
    const home = newHome();
    put(paths(home).codexConfig, 'model = "x"\n[broken\n');
    const r = await runCli(['agent', 'setup', '--all'], { env: envOf(home, 'cn') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Codex config.toml (${paths(home).codexConfig}) is not valid TOML`);
    expect(r.stderr).toContain('No files were changed.');
    expect(readdirSync(home).sort()).toEqual(['.codex']);
    expect(read(paths(home).codexConfig)).toBe('model = "x"\n[broken\n');
    expect(api.cn.requests).toEqual([]);

    for (const [path, text, message] of [
      [paths(home).claude, '{ "env": ', 'Claude Code settings.json'],
      [paths(home).hermesConfig, 'model: [unclosed\n', 'Hermes Agent config.yaml'],
      [paths(home).piModels, '[1, 2]', 'Pi models.json'],
    ] as const) {
      const h = newHome();
      const at = path.replace(home, h);
      put(at, text);
      const bad = await runCli(['agent', 'setup', '--all'], { env: envOf(h, 'cn') });
      expect(bad.code, at).toBe(1);
      expect(bad.stderr).toContain(`${message} (${at})`);
      expect(read(at)).toBe(text);
    }
  });

  it('a section of another type is not replaced (env as a string in settings.json)', async () => {
    const home = newHome();
    put(paths(home).claude, '{ "env": "oops" }');
    const r = await runCli(['agent', 'setup', '--agent', 'claude-code'], { env: envOf(home, 'cn') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`env in ${paths(home).claude} must be an object`);
  });

  it('a key the server rejects: exit 3, nothing written', async () => {
    const home = newHome();
    const r = await runCli(['agent', 'setup', '--all'], {
      env: envOf(home, 'cn', { MINIMAX_API_KEY: 'sk-cp-not-a-real-key-000000000000' }),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('No agent configuration files were changed.');
    expect(readdirSync(home)).toEqual([]);
    expect(api.cn.requests).toHaveLength(1);
  });

  it('without a key: exit 3; with an OAuth login only: exit 2 (a token expires; agents need a key)', async () => {
    expect((await runCli(['agent', 'setup', '--agent', 'codex'], { env: { HOME: newHome(), MINIMAX_REGION: 'cn' } })).code).toBe(3);
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    const oauth = {
      access_token: 'at-emulator-0000000000000000',
      refresh_token: 'rt-emulator-0000000000000000',
      expires_at: '2099-01-01T00:00:00Z',
      region: 'cn',
    };
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ region: 'cn', oauth }), { mode: 0o600 });
    const r = await runCli(['agent', 'setup', '--agent', 'codex'], { env: { HOME: newHome() }, configDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OAuth');
  });

  it('an agent mmx does not know, no agent, or a window flag without an agent it applies to: exit 2 before anything else', async () => {
    const home = newHome();
    const unknown = await runCli(['agent', 'setup', '--agent', 'claude-code', '--agent', 'cursor', '--output', 'text'], {
      env: envOf(home, 'cn'),
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unsupported agent "cursor".');
    expect(unknown.stderr).toContain('claude-code, codex, grok, opencode, hermes, pi');
    expect((await runCli(['agent', 'setup'], { env: envOf(home, 'cn') })).code).toBe(2);
    expect((await runCli(['agent', 'setup', '--agent', 'grok', '--m31-context-window', '1m'], { env: envOf(home, 'cn') })).code).toBe(2);
    expect((await runCli(['agent', 'setup', '--agent', 'grok', '--model', 'gpt-5'], { env: envOf(home, 'cn') })).code).toBe(2);
    expect(readdirSync(home)).toEqual([]);
    expect(api.cn.requests).toEqual([]);
  });

  it('mmx-cli spellings of agent names are accepted (claude, grok-build)', async () => {
    const r = await runCli(['agent', 'setup', '--agent', 'claude', '--agent', 'grok-build', '--agent', 'Claude-Code', '--output', 'json'], {
      env: envOf(newHome(), 'cn'),
    });
    expect(r.code).toBe(0);
    expect(r.json().agents).toEqual(['claude-code', 'grok']);
  });
});

describe('mmx agent setup: one at a time', () => {
  it('a setup while another holds the lock: exit 1, nothing written (the key was checked; the files were not touched)', async () => {
    const { withSetupLock } = await import('../../src/agents/apply.js');
    const home = newHome();
    const configDir = tempConfigDir();
    let second: Awaited<ReturnType<typeof runCli>> | undefined;
    await withSetupLock(configDir, async () => {
      second = await runCli(['agent', 'setup', '--agent', 'codex', '--output', 'text'], { env: envOf(home, 'cn'), configDir });
    });
    expect(second?.code).toBe(1);
    expect(second?.stderr).toContain('Another mmx agent setup is running.');
    expect(readdirSync(home)).toEqual([]);
    // Released: the next one runs.
    expect((await runCli(['agent', 'setup', '--agent', 'codex'], { env: envOf(home, 'cn'), configDir })).code).toBe(0);
  });
});

describe('mmx agent setup: agents not installed', () => {
  it('are configured anyway, with how to install them on stderr; an agent on PATH is not listed; nothing is run', async () => {
    const home = newHome();
    const bin = mkdtempSync(join(tmpdir(), 'mmx-agent-bin-'));
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\nexit 99\n', { mode: 0o755 });
    const r = await runCli(['agent', 'setup', '--agent', 'claude-code', '--agent', 'codex', '--output', 'json'], {
      env: envOf(home, 'cn', { PATH: bin }),
    });
    expect(r.code).toBe(0);
    expect(r.json().not_detected).toEqual(['codex']);
    expect(r.stderr).toContain(
      'Not found on PATH: Codex. Their settings are written; mmx does not install agents. To install:\n  Codex: npm install -g @openai/codex\n',
    );
    expect(existsSync(paths(home).codexConfig)).toBe(true);
  });
});
