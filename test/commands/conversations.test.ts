/**
 * Kept conversations through the real CLI against the cn emulator: what
 * `mmx text chat` writes (0600 files in a 0700 directory, thinking signatures
 * and tool input kept), what `-c` and `--conversation` send back, when nothing
 * is kept (--no-save, the setting, a failed exchange), a cut answer kept as
 * incomplete, a directory that cannot be written, and `mmx text history`.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { thinkingSignature } from '../../src/emulator/ids.js';
import { useEmulators } from '../helpers/api.js';
import { fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const CHAT = ['text', 'chat'];
const ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

type Body = { model: string; system?: string; messages: Array<{ role: string; content: unknown }> };
const sentBodies = (): Body[] => api.cn.requests.filter((r) => r.path === '/anthropic/v1/messages').map((r) => r.body as Body);

function conversationFiles(configDir: string): string[] {
  const dir = join(configDir, 'conversations');
  return existsSync(dir) ? readdirSync(dir) : [];
}

function records(configDir: string, id: string): Array<Record<string, unknown>> {
  return readFileSync(join(configDir, 'conversations', `${id}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

async function chatJson(configDir: string, args: string[], extraEnv: Record<string, string> = {}) {
  const r = await runCli([...CHAT, ...args, '--output', 'json'], { env: { ...env, ...extraEnv }, configDir });
  return r;
}

describe('mmx text chat keeps each exchange', () => {
  it('a 0600 JSON Lines file in a 0700 directory; the JSON answer names it; the answer is kept with thinking and its signature', async () => {
    const configDir = tempConfigDir();
    const r = await chatJson(configDir, ['--message', 'hello there', '--system', 'Be terse.']);
    expect(r.code).toBe(0);
    const id = r.json().conversation_id;
    expect(id).toMatch(ID);
    expect(conversationFiles(configDir)).toEqual([`${id}.jsonl`]);
    expect(fileMode(join(configDir, 'conversations'))).toBe(0o700);
    expect(fileMode(join(configDir, 'conversations', `${id}.jsonl`))).toBe(0o600);

    const show = await runCli(['text', 'history', 'show', id, '--output', 'json'], { configDir });
    expect(show.code).toBe(0);
    const thinking = 'The user says "hello there". I will answer briefly.';
    expect(show.json()).toEqual({
      id,
      created_at: expect.any(String),
      model: 'MiniMax-M3',
      system: 'Be terse.',
      messages: [
        { role: 'user', content: 'hello there' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking, signature: thinkingSignature(thinking) },
            { type: 'text', text: 'Echo: hello there' },
          ],
        },
      ],
    });
    // No key, in any form, in what was written.
    expect(readFileSync(join(configDir, 'conversations', `${id}.jsonl`), 'utf8')).not.toContain(EMULATOR_KEYS.cn.slice(-8));
  });

  it('a streamed answer is recorded block by block, and folds back to the same message as the non-streamed one', async () => {
    const configDir = tempConfigDir();
    api.use('cn', { reply: () => ({ thinking: 'think think', text: 'abcdefghijklmnop' }), textDeltaSize: 3 });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, configDir, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('abcdefghijklmnop\n');
    const [file] = conversationFiles(configDir);
    const id = (file as string).slice(0, -'.jsonl'.length);
    const types = records(configDir, id).map((x) => x.t);
    expect(types.slice(0, 4)).toEqual(['meta', 'user', 'assistant', 'block']);
    expect(types.filter((t) => t === 'delta').length).toBeGreaterThan(2);
    expect(types.at(-1)).toBe('end');
    const show = await runCli(['text', 'history', 'show', '--output', 'json'], { configDir });
    expect(show.json().messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'think think', signature: thinkingSignature('think think') },
        { type: 'text', text: 'abcdefghijklmnop' },
      ],
    });
  });

  it('a streamed tool call is kept with its whole input (a continued tool conversation needs it back)', async () => {
    const configDir = tempConfigDir();
    const sse = readFileSync(new URL('../fixtures/messages-stream-m3-tool-use.sse', import.meta.url), 'utf8');
    api.cn.enqueueFault({ kind: 'status', status: 200, body: sse, contentType: 'text/event-stream' });
    const r = await chatJson(configDir, ['--message', 'find the files', '--stream']);
    expect(r.code).toBe(0);
    const show = await runCli(['text', 'history', 'show', '--output', 'json'], { configDir });
    expect(show.json().messages[1].content).toEqual([
      { type: 'text', text: 'Let me look for the files.' },
      { type: 'tool_use', id: 'call_function_sy2faeqracl4_1', name: 'glob', input: { pattern: 'src/**/*.ts', path: '/work/项目' } },
    ]);
  });
});

describe('-c and --conversation send the conversation back', () => {
  it('-c sends every earlier message (thinking and signatures included) before the new one, keeping the model and system', async () => {
    const configDir = tempConfigDir();
    const first = await chatJson(configDir, ['--message', 'one', '--model', 'MiniMax-M2.7', '--system', 'S']);
    expect(first.code).toBe(0);
    const second = await chatJson(configDir, ['-c', '--message', 'two']);
    expect(second.code).toBe(0);
    expect(second.json().conversation_id).toBe(first.json().conversation_id);
    const [, body] = sentBodies();
    expect(body?.model).toBe('MiniMax-M2.7');
    expect(body?.system).toBe('S');
    const thinking = 'The user says "one". I will answer briefly.';
    expect(body?.messages).toEqual([
      { role: 'user', content: 'one' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking, signature: thinkingSignature(thinking) },
          { type: 'text', text: 'Echo: one' },
        ],
      },
      { role: 'user', content: 'two' },
    ]);
    expect(conversationFiles(configDir)).toHaveLength(1);
    const list = await runCli(['text', 'history', '--output', 'json'], { configDir });
    expect(list.json()).toEqual([expect.objectContaining({ id: first.json().conversation_id, turns: 2, first_line: 'one' })]);
  });

  it('assistant turns given with --message are kept too: -c sends the whole exchange back', async () => {
    const configDir = tempConfigDir();
    expect((await chatJson(configDir, ['--message', 'user:Hi', '--message', 'assistant:Hello!', '--message', 'How are you?'])).code).toBe(
      0,
    );
    expect((await chatJson(configDir, ['-c', '--message', 'and now?'])).code).toBe(0);
    const sent = sentBodies()[1]?.messages ?? [];
    expect(sent.slice(0, 3)).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
      { role: 'user', content: 'How are you?' },
    ]);
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
  });

  it('--model and --system given with -c win for this exchange; a new system prompt is recorded', async () => {
    const configDir = tempConfigDir();
    await chatJson(configDir, ['--message', 'one', '--system', 'S']);
    const r = await chatJson(configDir, ['-c', '--message', 'two', '--model', 'MiniMax-M2.5', '--system', 'T']);
    expect(r.code).toBe(0);
    expect(sentBodies()[1]).toMatchObject({ model: 'MiniMax-M2.5', system: 'T' });
    await chatJson(configDir, ['-c', '--message', 'three']);
    // The conversation now carries the new model and system.
    expect(sentBodies()[2]).toMatchObject({ model: 'MiniMax-M2.5', system: 'T' });
  });

  it('--conversation continues the one named, not the latest', async () => {
    const configDir = tempConfigDir();
    const a = (await chatJson(configDir, ['--message', 'first topic'])).json().conversation_id;
    // Ids carry the second; two conversations within one second differ by their random part.
    await chatJson(configDir, ['--message', 'second topic']);
    const r = await chatJson(configDir, ['--conversation', a, '--message', 'back to it']);
    expect(r.code).toBe(0);
    expect(r.json().conversation_id).toBe(a);
    expect(sentBodies()[2]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sentBodies()[2]?.messages[0]).toEqual({ role: 'user', content: 'first topic' });
  });

  it('nothing to continue, an unknown or malformed id, or both flags: exit 2, nothing sent', async () => {
    const configDir = tempConfigDir();
    const cases: Array<[string[], string]> = [
      [['-c'], '-c: there is no conversation to continue yet.'],
      [['--conversation', '20261130-000000-0000'], '--conversation: no conversation 20261130-000000-0000.'],
      [['--conversation', '../config'], '--conversation: "../config" is not a conversation id (they look like 20261130-041503-7f3a).'],
      [
        ['-c', '--conversation', '20261130-000000-0000'],
        '-c continues the latest conversation and --conversation a given one: pass one of them.',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await chatJson(configDir, [...args, '--message', 'x']);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stderr).error.message).toBe(message);
    }
    expect(api.cn.requests).toHaveLength(0);
    expect(conversationFiles(configDir)).toEqual([]);
  });

  it('a conversation file that cannot be read is a clear error for -c, and history list skips it with a warning', async () => {
    const configDir = tempConfigDir();
    mkdirSync(join(configDir, 'conversations'), { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'conversations', '20261130-000000-abcd.jsonl'), '', { mode: 0o600 });
    const r = await chatJson(configDir, ['-c', '--message', 'x']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('-c: the file is empty (conversation 20261130-000000-abcd).');
    expect(api.cn.requests).toHaveLength(0);
    const list = await runCli(['text', 'history', '--output', 'json'], { configDir });
    expect(list.code).toBe(0);
    expect(list.json()).toEqual([]);
    expect(list.stderr).toContain('conversation 20261130-000000-abcd cannot be read (the file is empty)');
  });
});

describe('when nothing is kept', () => {
  it('--no-save, save_conversations=false in config, and MMX_SAVE_CONVERSATIONS=0 write nothing; --save beats the setting', async () => {
    const a = tempConfigDir();
    expect((await chatJson(a, ['--message', 'x', '--no-save'])).json().conversation_id).toBeUndefined();
    expect(conversationFiles(a)).toEqual([]);

    const b = tempConfigDir();
    mkdirSync(b, { recursive: true, mode: 0o700 });
    writeFileSync(join(b, 'config.json'), JSON.stringify({ save_conversations: false }), { mode: 0o600 });
    expect((await chatJson(b, ['--message', 'x'])).code).toBe(0);
    expect(conversationFiles(b)).toEqual([]);
    expect((await chatJson(b, ['--message', 'x', '--save'])).code).toBe(0);
    expect(conversationFiles(b)).toHaveLength(1);

    const c = tempConfigDir();
    expect((await chatJson(c, ['--message', 'x'], { MMX_SAVE_CONVERSATIONS: '0' })).code).toBe(0);
    expect(conversationFiles(c)).toEqual([]);
    expect(api.cn.requests).toHaveLength(4);
  });

  it('an exchange that fails before any answer leaves no file, and leaves an existing conversation as it was', async () => {
    const configDir = tempConfigDir();
    api.cn.enqueueFault({ kind: 'status', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } } });
    const failed = await chatJson(configDir, ['--message', 'x']);
    expect(failed.code).not.toBe(0);
    expect(conversationFiles(configDir)).toEqual([]);

    const ok = await chatJson(configDir, ['--message', 'one']);
    const id = ok.json().conversation_id;
    const before = readFileSync(join(configDir, 'conversations', `${id}.jsonl`), 'utf8');
    api.cn.enqueueFault({ kind: 'status', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } } });
    expect((await chatJson(configDir, ['-c', '--message', 'two'])).code).not.toBe(0);
    expect(readFileSync(join(configDir, 'conversations', `${id}.jsonl`), 'utf8')).toBe(before);
  });

  it('a cut stream keeps what arrived, marked incomplete; -c sends the partial answer back', async () => {
    const configDir = tempConfigDir();
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 4 });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 6 });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, configDir, stdoutTTY: true });
    expect(r.code).toBe(6);
    const show = await runCli(['text', 'history', 'show', '--output', 'json'], { configDir });
    expect(show.json().messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'abcdefghijkl' }] });
    expect(show.json().incomplete).toMatch(/closed mid-answer/);
    const text = await runCli(['text', 'history', 'show', '--output', 'text'], { configDir });
    expect(text.stdout).toContain('(the last answer is incomplete: ');

    api.use('cn', {});
    expect((await chatJson(configDir, ['-c', '--message', 'go on'])).code).toBe(0);
    expect(sentBodies().at(-1)?.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'text', text: 'abcdefghijkl' }] },
      { role: 'user', content: 'go on' },
    ]);
  });

  it('a conversations directory that cannot be written: one warning, the answer still printed, exit 0', async () => {
    // A file in the directory's place fails for root too (a 0500 directory would not).
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'conversations'), 'not a directory');
    const r = await runCli([...CHAT, '--message', 'hi'], { env, configDir, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello! I am the MiniMax emulator. How can I help you today?\n');
    expect(r.stderr.match(/could not record the conversation/g)).toHaveLength(1);
    expect(r.stderr).toContain('the chat goes on without it');
  });
});

describe('mmx text history', () => {
  it('list (text): a table, newest last; no conversations: a hint; --quiet: the ids', async () => {
    const configDir = tempConfigDir();
    const empty = await runCli(['text', 'history', '--output', 'text'], { configDir });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No conversations yet');
    await chatJson(configDir, ['--message', 'line one\nline two']);
    const r = await runCli(['text', 'history', '--output', 'text'], { configDir });
    expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+UPDATED\s+MODEL\s+TURNS\s+FIRST MESSAGE$/);
    expect(r.stdout).toMatch(/\d{8}-\d{6}-[0-9a-f]{4} +\d{4}-\d\d-\d\d \d\d:\d\d +MiniMax-M3 +1 +line one\n$/);
    const quiet = await runCli(['text', 'history', 'list', '--quiet', '--output', 'text'], { configDir });
    expect(quiet.stdout).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}\n$/);
  });

  it('show (text): the transcript; thinking only with --thinking', async () => {
    const configDir = tempConfigDir();
    await chatJson(configDir, ['--message', 'hi']);
    const plain = await runCli(['text', 'history', 'show', '--output', 'text'], { configDir });
    expect(plain.stdout).toContain('user\nhi\n\nassistant\nHello! I am the MiniMax emulator.');
    expect(plain.stdout).not.toContain('(thinking)');
    const withThinking = await runCli(['text', 'history', 'show', '--thinking', '--output', 'text'], { configDir });
    expect(withThinking.stdout).toContain('(thinking) The user says "hi".');
  });

  it('rm deletes; --dry-run does not; an unknown id is exit 1 (missing listed), a malformed one exit 2', async () => {
    const configDir = tempConfigDir();
    const id = (await chatJson(configDir, ['--message', 'hi'])).json().conversation_id;
    const dry = await runCli(['text', 'history', 'rm', id, '--dry-run', '--output', 'json'], { configDir });
    expect(dry.json()).toEqual({ would_remove: [id], missing: [] });
    expect(conversationFiles(configDir)).toHaveLength(1);
    const missing = await runCli(['text', 'history', 'rm', id, '20261130-000000-0000', '--output', 'json'], { configDir });
    expect(missing.code).toBe(1);
    expect(missing.json()).toEqual({ removed: [id], missing: ['20261130-000000-0000'] });
    expect(conversationFiles(configDir)).toEqual([]);
    const bad = await runCli(['text', 'history', 'rm', '../config', '--output', 'json'], { configDir });
    expect(bad.code).toBe(2);
    expect(existsSync(join(configDir, 'conversations'))).toBe(true);
    expect(statSync(join(configDir, 'conversations')).isDirectory()).toBe(true);
  });

  it('show with nothing kept: exit 2 and a hint', async () => {
    const r = await runCli(['text', 'history', 'show', '--output', 'json'], { configDir: tempConfigDir() });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('There is no conversation yet.');
  });
});

describe('completion of conversation ids', () => {
  it('--conversation (chat, repl) and history show/rm complete the ids there are, newest first', async () => {
    const configDir = tempConfigDir();
    const at = (time: string) => ({ env, configDir, now: Date.parse(time) });
    const older = (await runCli([...CHAT, '--message', 'one', '--output', 'json'], at('2026-11-01T08:00:00Z'))).json().conversation_id;
    const newer = (await runCli([...CHAT, '--message', 'two', '--output', 'json'], at('2026-11-29T08:00:00Z'))).json().conversation_id;
    expect(older < newer).toBe(true);

    const complete = async (...words: string[]) => (await runCli(['__complete', ...words], { configDir })).stdout;
    expect(await complete('text', 'chat', '--conversation', '')).toBe(`${newer}\n${older}\n:plain\n`);
    expect(await complete('text', 'repl', `--conversation=${older.slice(0, 8)}`)).toBe(`--conversation=${older}\n:plain\n`);
    expect(await complete('text', 'history', 'show', '202611')).toBe(`${newer}\n${older}\n:plain\n`);
    expect(await complete('text', 'history', 'rm', older, '')).toBe(`${newer}\n${older}\n:plain\n`);
    // No conversations yet: nothing offered, and the directory is not created by asking.
    const empty = tempConfigDir();
    expect((await runCli(['__complete', 'text', 'history', 'show', ''], { configDir: empty })).stdout).toBe(':plain\n');
    expect(existsSync(join(empty, 'conversations'))).toBe(false);
  });
});
