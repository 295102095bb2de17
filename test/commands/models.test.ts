/**
 * `mmx models`: every page of GET /anthropic/v1/models with the region's header,
 * the default model marked, JSON as served plus `default_model`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { CN, useEmulators } from '../helpers/api.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();
const cn = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const IDS = ['MiniMax-M3', 'MiniMax-M2.7', 'MiniMax-M2.7-highspeed', 'MiniMax-M2.5', 'MiniMax-M2.1', 'MiniMax-M2'];

describe('mmx models', () => {
  it('JSON: every model and default_model; one request with the cn Bearer header', async () => {
    const r = await runCli(['models', '--output', 'json'], { env: cn });
    expect(r.code).toBe(0);
    expect(r.json().data.map((m: { id: string }) => m.id)).toEqual(IDS);
    expect(r.json().default_model).toBe('MiniMax-M3');
    expect(api.cn.requests.map((q) => [q.path, q.query, q.authStyle])).toEqual([['/anthropic/v1/models', { limit: '100' }, 'bearer']]);
  });

  it('follows has_more with after_id when the server pages by 2; global sends x-api-key on /anthropic', async () => {
    api.use('global', { modelPageLimit: 2 });
    const r = await runCli(['models', '--output', 'json'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.global, MINIMAX_REGION: 'global' } });
    expect(r.code).toBe(0);
    expect(r.json().data.map((m: { id: string }) => m.id)).toEqual(IDS);
    expect(api.global.requests.map((q) => q.query.after_id ?? null)).toEqual([null, 'MiniMax-M2.7', 'MiniMax-M2.5']);
    expect(api.global.requests.every((q) => q.authStyle === 'x-api-key')).toBe(true);
  });

  it('text: a table with the default marked; config default_text_model moves the mark; --quiet the ids', async () => {
    const r = await runCli(['models', '--output', 'text'], { env: cn });
    expect(r.stdout).toMatch(/^MODEL +NAME +CONTEXT +MAX OUTPUT$/m);
    expect(r.stdout).toMatch(/^MiniMax-M3 \* +MiniMax M3 +1,000,000 +131,072$/m);
    expect(r.stdout).toContain('* the default (MiniMax-M3)');
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ default_text_model: 'MiniMax-M2.5' }), { mode: 0o600 });
    const moved = await runCli(['models', '--output', 'text'], { env: cn, configDir });
    expect(moved.stdout).toMatch(/^MiniMax-M2\.5 \* /m);
    const quiet = await runCli(['models', '--output', 'text', '--quiet'], { env: cn });
    expect(quiet.stdout).toBe(`${IDS.join('\n')}\n`);
  });

  it('--dry-run sends nothing; without a key exit 3', async () => {
    expect((await runCli(['models', '--dry-run'], { env: cn })).json().requests[0].url).toBe(`${CN}/anthropic/v1/models?limit=100`);
    expect((await runCli(['models'], { env: { MINIMAX_REGION: 'cn' } })).code).toBe(3);
    expect(api.cn.requests).toEqual([]);
  });
});
