/**
 * Conversations (`text chat -c`, `text history`) and `mmx models` through the built
 * bin/mmx, against a strict emulator of each region on loopback: what the server
 * received (the header each region accepts, the turns sent back) and what a script
 * reads. The REPL has its own pseudo-terminal test (repl-pty.test.ts), profiles and
 * `auth token` theirs (profiles.test.ts), agent setup its own (agent-setup.test.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { REGIONS, type Region, useRegionServers } from '../helpers/region-servers.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

/** The header each region's Anthropic-compatible endpoint gets from mmx (src/auth/strategy.ts, read independently). */
const ANTHROPIC_HEADER = { cn: 'authorization', global: 'x-api-key' } as const;
const credential = (region: Region) => (region === 'cn' ? `Bearer ${EMULATOR_KEYS.cn}` : EMULATOR_KEYS.global);

const apis = useRegionServers();

const envFor = (region: Region) => ({
  ...isolatedHome(),
  MINIMAX_API_KEY: EMULATOR_KEYS[region],
  MINIMAX_REGION: region,
  MINIMAX_BASE_URL: apis[region].server.url,
});

describe.each(REGIONS)('conversations with the built binary (%s)', (region) => {
  it('chat keeps the exchange; -c sends it back with the new message; history lists, shows and removes it', async () => {
    const env = envFor(region);
    const first = await spawnMmx(['text', 'chat', '--message', 'Name a colour.', '--output', 'json'], { env });
    expect(first.code, first.stderr).toBe(0);
    const id = JSON.parse(first.stdout).conversation_id as string;
    expect(id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    // The answer as the model gave it: thinking with its signature, then text.
    const firstAnswer = JSON.parse(first.stdout).content as Array<{ type: string }>;
    expect(firstAnswer.map((b) => b.type)).toEqual(['thinking', 'text']);

    const second = await spawnMmx(['text', 'chat', '-c', '--message', 'And another?', '--output', 'json'], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).conversation_id).toBe(id);

    const chats = apis[region].emulator.requests.filter((q) => q.path === '/anthropic/v1/messages');
    expect(chats).toHaveLength(2);
    for (const q of chats) expect(q.headers[ANTHROPIC_HEADER[region]]).toBe(credential(region));
    const sent = (chats[1]?.body as { messages: Array<{ role: string; content: unknown }> }).messages;
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent[0]?.content).toBe('Name a colour.');
    expect(sent[1]?.content).toEqual(firstAnswer);
    expect(sent[2]?.content).toBe('And another?');

    const list = await spawnMmx(['text', 'history', '--output', 'json'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id, turns: 2, first_line: 'Name a colour.' }]);

    const show = await spawnMmx(['text', 'history', 'show', id, '--output', 'json'], { env });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    // No key is ever written with a conversation.
    const dir = join(env.MMX_CONFIG_DIR, 'conversations');
    expect(readdirSync(dir)).toEqual([`${id}.jsonl`]);
    const kept = readFileSync(join(dir, `${id}.jsonl`), 'utf8');
    expect(kept).toContain('And another?');
    expect(kept).not.toContain(EMULATOR_KEYS[region]);

    const rm = await spawnMmx(['text', 'history', 'rm', id], { env });
    expect(rm.code, rm.stderr).toBe(0);
    expect(existsSync(join(dir, `${id}.jsonl`))).toBe(false);
    const gone = await spawnMmx(['text', 'history', 'show', id, '--output', 'json'], { env });
    expect(gone.code).toBe(2); // an id that is not there is a usage error, as for --conversation
    expect(JSON.parse(gone.stderr).error.message).toContain(`no conversation ${id}`);
  });
});

describe.each(REGIONS)('mmx models with the built binary (%s)', (region) => {
  it("lists the endpoint's models with the region's header, the default marked in JSON", async () => {
    const r = await spawnMmx(['models', '--output', 'json'], { env: envFor(region) });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.default_model).toBe('MiniMax-M3');
    expect(doc.data.map((m: { id: string }) => m.id)).toContain('MiniMax-M3');
    const asked = apis[region].emulator.requests;
    expect(asked.length).toBeGreaterThan(0);
    for (const q of asked) {
      expect(q.method).toBe('GET');
      expect(q.path).toBe('/anthropic/v1/models');
      expect(q.headers[ANTHROPIC_HEADER[region]]).toBe(credential(region));
    }
  });
});
