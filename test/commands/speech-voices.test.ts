/**
 * `mmx speech voices` through the real CLI against the emulator (both regions):
 * one POST /v1/get_voice with {voice_type: "system"}, mmx-cli 1.0.27's JSON
 * (the ids, or the voice objects with --language), a table that fits the
 * terminal, mmx-cli's lines off a terminal.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_VOICES, EMULATOR_KEYS } from '../../src/emulator/index.js';
import { displayWidth } from '../../src/output/text-width.js';
import { useEmulators } from '../helpers/api.js';
import { type RunOptions, runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const run = (argv: string[], options: RunOptions = {}) => runCli(['speech', 'voices', ...argv], { env, ...options });

describe.each([
  { region: 'cn' as const, key: EMULATOR_KEYS.cn },
  { region: 'global' as const, key: EMULATOR_KEYS.global },
])('POST /v1/get_voice in region $region', (r) => {
  it('one request with {voice_type: "system"} and Bearer; JSON is the list of voice ids (mmx-cli 1.0.27)', async () => {
    const res = await run(['--output', 'json'], { env: { MINIMAX_API_KEY: r.key, MINIMAX_REGION: r.region } });
    expect(res.code).toBe(0);
    const emulator = api[r.region];
    expect(emulator.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v1/get_voice']);
    expect(emulator.requests[0]?.body).toEqual({ voice_type: 'system' });
    expect(emulator.requests[0]?.headers.authorization).toBe(`Bearer ${r.key}`);
    expect(res.json()).toEqual(DEFAULT_VOICES.map((v) => v.voice_id));
    expect(res.stderr).toBe('');
  });
});

describe('output', () => {
  it('--language: the voice objects of that language in JSON (mmx-cli 1.0.27)', async () => {
    const res = await run(['--language', 'english', '--output', 'json']);
    expect(res.code).toBe(0);
    expect(res.json()).toEqual(DEFAULT_VOICES.filter((v) => v.voice_id.startsWith('English_')));
    const chinese = await run(['--language', 'Chinese', '--output', 'json']);
    expect(chinese.json().map((v: { voice_id: string }) => v.voice_id)).toEqual([
      'Chinese (Mandarin)_Reliable_Executive',
      'Chinese (Mandarin)_News_Anchor',
    ]);
  });

  it('on a terminal: a table with a header, every line within the width, descriptions cut to fit', async () => {
    const res = await run(['--output', 'text'], { stdoutTTY: true, columns: 90, env: { ...env, NO_COLOR: '1' } });
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VOICE\s+NAME\s+DESCRIPTION$/);
    expect(lines).toHaveLength(DEFAULT_VOICES.length + 1);
    expect(lines[1]).toMatch(/^English_expressive_narrator\s+Expressive Narrator\s+A warm, expressive male narra…$/);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(90);
    expect(lines.some((line) => line.includes('沉稳高管'))).toBe(true);
  });

  it('a terminal too narrow for descriptions: the id and name; narrower still: the ids', async () => {
    const narrow = await run(['--output', 'text'], { stdoutTTY: true, columns: 64, env: { ...env, NO_COLOR: '1' } });
    const lines = narrow.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VOICE\s+NAME$/);
    expect(lines[1]).toMatch(/^English_expressive_narrator\s+Expressive Narrator$/);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(64);
    const tiny = await run(['--output', 'text'], { stdoutTTY: true, columns: 40, env: { ...env, NO_COLOR: '1' } });
    expect(tiny.stdout).toBe(`VOICE\n${DEFAULT_VOICES.map((v) => v.voice_id).join('\n')}\n`);
  });

  it('the header is dimmed when stdout takes colour', async () => {
    const res = await run(['--output', 'text'], { stdoutTTY: true, env: { ...env, FORCE_COLOR: '1' } });
    expect(res.stdout.split('\n')[0]).toMatch(/^\u001b\[2mVOICE\u001b\[22m/);
  });

  it('--quiet on a terminal: the ids alone', async () => {
    const res = await run(['--output', 'text', '--quiet', '--language', 'japanese'], { stdoutTTY: true });
    expect(res.stdout).toBe('Japanese_IntellectualSenior\n');
  });

  it('a language without voices: [] in JSON; in text nothing on stdout and a note on stderr; exit 0', async () => {
    const json = await run(['--language', 'klingon', '--output', 'json']);
    expect(json.code).toBe(0);
    expect(json.json()).toEqual([]);
    const text = await run(['--language', 'klingon', '--output', 'text']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe('No voices for the language "klingon"; "mmx speech voices" lists them all.\n');
  });

  it('--dry-run: mmx-cli\'s {request: {voice_type: "system"}} and the request; nothing sent', async () => {
    const res = await run(['--dry-run', '--output', 'json']);
    expect(res.code).toBe(0);
    const doc = res.json();
    expect(doc.request).toEqual({ voice_type: 'system' });
    expect(doc.requests[0]).toMatchObject({ method: 'POST', url: 'https://api.minimax.cn/v1/get_voice', body: { voice_type: 'system' } });
    expect(api.cn.requests).toHaveLength(0);
  });

  it('a listing is a read: a transient server error is retried', async () => {
    api.cn.enqueueFault({ kind: 'server-error', code: 1000 });
    const res = await run(['--output', 'json']);
    expect(res.code).toBe(0);
    expect(api.cn.requests).toHaveLength(2);
  });

  it('no key: exit 3, nothing sent', async () => {
    const res = await run(['--output', 'json'], { env: {} });
    expect(res.code).toBe(3);
    expect(api.cn.requests).toHaveLength(0);
  });
});
