/**
 * `mmx agent setup` end to end, over real sockets. The settings.json it writes for Claude Code
 * are read back and given to the official Anthropic SDK the way Claude Code maps them
 * (ANTHROPIC_AUTH_TOKEN → `authToken`, sent as `Authorization: Bearer`; ANTHROPIC_API_KEY →
 * `x-api-key`; ANTHROPIC_BASE_URL → `baseURL`), and a message goes to a strict emulator of each
 * region: the request must carry the header that region accepts, and be answered 200. Then the
 * built bin/mmx configures agents as a process.
 */
import Anthropic from '@anthropic-ai/sdk';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { REGIONS, useRegionServers } from '../helpers/region-servers.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const KEYS = { cn: EMULATOR_KEYS.cn, global: EMULATOR_KEYS.global } as const;

const apis = useRegionServers();

/** The Anthropic SDK as Claude Code builds it from its environment (settings.json `env`). */
function claudeCodeClient(env: Record<string, string>): Anthropic {
  return new Anthropic({
    baseURL: env.ANTHROPIC_BASE_URL ?? null,
    maxRetries: 0,
    apiKey: null,
    authToken: env.ANTHROPIC_AUTH_TOKEN ?? null,
    // Claude Code sends ANTHROPIC_API_KEY as x-api-key (SDK 1.x would send it as Bearer: hence the header).
    ...(env.ANTHROPIC_API_KEY ? { defaultHeaders: { 'X-Api-Key': env.ANTHROPIC_API_KEY } } : {}),
  });
}

describe.each(REGIONS)('Claude Code configured by mmx agent setup, region %s, through the Anthropic SDK', (region) => {
  it('sends Authorization: Bearer to <stored base URL>/anthropic and gets 200', async () => {
    const { emulator, server } = apis[region];
    const home = mkdtempSync(join(tmpdir(), 'mmx-agent-sdk-'));
    // The user's previous settings carry an SDK quick-start ANTHROPIC_API_KEY: setup must remove it.
    const claudeDir = join(home, '.claude');
    mkdirSync(claudeDir, { recursive: true });
    writeFileSync(join(claudeDir, 'settings.json'), JSON.stringify({ env: { ANTHROPIC_API_KEY: KEYS[region] } }));

    const setup = await runCli(['agent', 'setup', '--agent', 'claude-code'], {
      env: { HOME: home, MINIMAX_API_KEY: KEYS[region], MINIMAX_REGION: region, MINIMAX_BASE_URL: server.url },
    });
    expect(setup.code, setup.stderr).toBe(0);
    expect(emulator.requests.map((q) => [q.path, q.authStyle])).toEqual([['/v1/token_plan/remains', 'bearer']]);

    const env = JSON.parse(readFileSync(join(claudeDir, 'settings.json'), 'utf8')).env as Record<string, string>;
    expect(env.ANTHROPIC_BASE_URL).toBe(`${server.url}/anthropic`);
    expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');

    const message = await claudeCodeClient(env).messages.create({
      model: env.ANTHROPIC_MODEL?.replace(/\[1m\]$/, '') ?? 'MiniMax-M3',
      max_tokens: 64,
      messages: [{ role: 'user', content: '你好' }],
    });
    // The SDK resolved, so the answer was 200 with a message.
    expect(message.type).toBe('message');
    const last = emulator.requests.at(-1);
    expect([last?.method, last?.path, last?.authStyle, last?.key]).toEqual(['POST', '/anthropic/v1/messages', 'bearer', KEYS[region]]);
    expect(last?.headers.authorization).toBe(`Bearer ${KEYS[region]}`);
    expect(last?.headers).not.toHaveProperty('x-api-key');
  });

  it('the counter-proof: the same settings with the key left in ANTHROPIC_API_KEY (x-api-key) fail on cn and only there', async () => {
    const { emulator, server } = apis[region];
    const env = { ANTHROPIC_BASE_URL: `${server.url}/anthropic`, ANTHROPIC_API_KEY: KEYS[region] };
    const outcome = await claudeCodeClient(env)
      .messages.create({ model: 'MiniMax-M3', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => 200,
        (error: unknown) => (error as InstanceType<typeof Anthropic.APIError>).status,
      );
    expect(emulator.requests.at(-1)?.authStyle).toBe('x-api-key');
    expect(outcome).toBe(region === 'cn' ? 500 : 200);
  });
});

describe.each(REGIONS)('Pi configured by mmx agent setup, region %s', (region) => {
  it('sends the Bearer header with its x-api-key (authHeader), so cn answers 200', async () => {
    const { emulator, server } = apis[region];
    const home = mkdtempSync(join(tmpdir(), 'mmx-agent-pi-'));
    const setup = await runCli(['agent', 'setup', '--agent', 'pi'], {
      env: { HOME: home, MINIMAX_API_KEY: KEYS[region], MINIMAX_REGION: region, MINIMAX_BASE_URL: server.url },
    });
    expect(setup.code, setup.stderr).toBe(0);
    const models = JSON.parse(readFileSync(join(home, '.pi', 'agent', 'models.json'), 'utf8'));
    const provider = models.providers[region === 'cn' ? 'minimax-cn' : 'minimax'];
    expect(provider.authHeader).toBe(true);
    // Pi's Anthropic client: its apiKey as x-api-key, and with authHeader the same key as Bearer.
    const pi = new Anthropic({
      baseURL: provider.baseUrl,
      maxRetries: 0,
      apiKey: null,
      authToken: null,
      defaultHeaders: { 'X-Api-Key': provider.apiKey, ...(provider.authHeader ? { Authorization: `Bearer ${provider.apiKey}` } : {}) },
    });
    const message = await pi.messages.create({ model: provider.models[0].id, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.type).toBe('message');
    expect(emulator.requests.at(-1)?.authStyle).toBe('both');
  });
});

describe('bin/mmx agent setup', () => {
  it('configures Claude Code and Codex as a process, the key checked on the emulator; --undo removes what it created', async () => {
    const { emulator, server } = apis.cn;
    const home = isolatedHome();
    const env = { ...home, MINIMAX_API_KEY: KEYS.cn, MINIMAX_REGION: 'cn', MINIMAX_BASE_URL: server.url };
    const r = await spawnMmx(['agent', 'setup', '--agent', 'claude-code', '--agent', 'codex', '--output', 'json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verification.status).toBe('ok');
    expect(out.files.map((f: { path: string; status: string }) => [f.path, f.status])).toEqual([
      [join(home.HOME, '.claude', 'settings.json'), 'configured'],
      [join(home.HOME, '.codex', 'config.toml'), 'configured'],
      [join(home.HOME, '.codex', 'mmx-model-catalog.json'), 'configured'],
    ]);
    expect(emulator.requests.map((q) => [q.path, q.authStyle])).toEqual([['/v1/token_plan/remains', 'bearer']]);
    expect(readFileSync(join(home.HOME, '.codex', 'config.toml'), 'utf8')).toContain(`base_url = "${server.url}/v1"`);
    expect(r.stderr).toContain('Not found on PATH: Claude Code, Codex.');

    const dry = await spawnMmx(['agent', 'setup', '--agent', 'claude-code', '--dry-run', '--output', 'text'], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`${join(home.HOME, '.claude', 'settings.json')}: unchanged\n`);

    const undo = await spawnMmx(['agent', 'setup', '--undo', '--output', 'json'], { env });
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout).undo).toHaveLength(3);
    expect(existsSync(join(home.HOME, '.claude', 'settings.json'))).toBe(false);
  });
});
