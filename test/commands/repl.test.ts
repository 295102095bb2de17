/**
 * `mmx text repl` through the real entry with a scripted line editor (the pty
 * test in test/e2e/repl-pty.test.ts drives the real one): the requests each
 * turn sends in both regions, the slash commands, Ctrl-C stopping one answer,
 * errors that keep the session, the history file, -c, and refusing to start
 * without a terminal.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LineEditor, LineEditorOptions, LineRead } from '../../src/deps.js';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { thinkingSignature } from '../../src/emulator/ids.js';
import { CN, useEmulators } from '../helpers/api.js';
import { fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();
const cnEnv = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const globalEnv = { MINIMAX_API_KEY: EMULATOR_KEYS.global, MINIMAX_REGION: 'global' };

type Step = string | LineRead;

/** A line editor that "types" the steps in order, then Ctrl-D; `duringAnswer` may stop an answer. */
function scripted(steps: Step[], duringAnswer?: (stop: () => void, answer: number) => void) {
  const queue = [...steps];
  const state = { options: undefined as LineEditorOptions | undefined, prompts: 0, closed: false, typed: [] as string[] };
  let answers = 0;
  const make = (options: LineEditorOptions): LineEditor => {
    state.options = options;
    const history = [...options.history];
    return {
      async read() {
        state.prompts++;
        const next = queue.shift() ?? { kind: 'end' };
        const read: LineRead = typeof next === 'string' ? { kind: 'line', text: next } : next;
        if (read.kind === 'line') {
          history.push(read.text);
          state.typed.push(read.text);
        }
        return read;
      },
      watchInterrupt(onInterrupt) {
        duringAnswer?.(onInterrupt, answers++);
        return () => undefined;
      },
      get history() {
        return history;
      },
      close() {
        state.closed = true;
      },
    };
  };
  return { make, state };
}

async function repl(
  steps: Step[],
  options: {
    env?: Record<string, string>;
    configDir?: string;
    args?: string[];
    duringAnswer?: (stop: () => void, answer: number) => void;
  } = {},
) {
  const editor = scripted(steps, options.duringAnswer);
  const r = await runCli(['text', 'repl', ...(options.args ?? [])], {
    env: { NO_COLOR: '1', ...(options.env ?? cnEnv) },
    configDir: options.configDir ?? tempConfigDir(),
    stdoutTTY: true,
    lineEditor: editor.make,
  });
  return { ...r, editor: editor.state };
}

type Body = { model: string; system?: string; stream?: boolean; messages: Array<{ role: string; content: unknown }> };
const bodies = (region: 'cn' | 'global' = 'cn'): Body[] =>
  api[region].requests.filter((r) => r.path === '/anthropic/v1/messages').map((r) => r.body as Body);

describe('turns', () => {
  it('cn: each turn streams with Authorization: Bearer and sends the conversation so far, thinking signatures included', async () => {
    const r = await repl(['hello', 'and more']);
    expect(r.code).toBe(0);
    const requests = api.cn.requests.filter((x) => x.path === '/anthropic/v1/messages');
    expect(requests).toHaveLength(2);
    for (const req of requests) {
      expect(req.method).toBe('POST');
      expect(req.headers.authorization).toBe(`Bearer ${EMULATOR_KEYS.cn}`);
      expect(req.headers['x-api-key']).toBeUndefined();
    }
    const thinking = 'The user says "hello". I will answer briefly.';
    expect(bodies()[1]).toEqual({
      model: 'MiniMax-M3',
      max_tokens: 4096,
      stream: true,
      messages: [
        { role: 'user', content: 'hello' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking, signature: thinkingSignature(thinking) },
            { type: 'text', text: 'Hello! I am the MiniMax emulator. How can I help you today?' },
          ],
        },
        { role: 'user', content: 'and more' },
      ],
    });
    expect(r.stdout).toContain(`mmx chat · MiniMax-M3 · cn (${CN})`);
    expect(r.stdout).toContain('Hello! I am the MiniMax emulator. How can I help you today?\n');
    expect(r.stdout).toContain('Echo: and more\n');
    expect(r.stdout).toMatch(/Bye\.\n$/);
    expect(r.editor.closed).toBe(true);
  });

  it('global: x-api-key on /anthropic', async () => {
    const r = await repl(['hi'], { env: globalEnv });
    expect(r.code).toBe(0);
    const [req] = api.global.requests.filter((x) => x.path === '/anthropic/v1/messages');
    expect(req?.headers['x-api-key']).toBe(EMULATOR_KEYS.global);
    expect(req?.headers.authorization).toBeUndefined();
  });

  it('a server that rejects the header: switched once, and the next turns start with the style that worked', async () => {
    // The cn emulator, reached as "global": the first turn sends x-api-key, is refused, switches to Bearer.
    const r = await repl(['one', 'two', 'three'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'global', MINIMAX_BASE_URL: CN },
    });
    expect(r.code).toBe(0);
    const styles = api.cn.requests.map((x) => (x.headers['x-api-key'] ? 'x-api-key' : 'bearer'));
    expect(styles).toEqual(['x-api-key', 'bearer', 'bearer', 'bearer']);
  });

  it('flags: --model --system --max-tokens --temperature --top-p go into every turn', async () => {
    const r = await repl(['hi'], {
      args: ['--model', 'MiniMax-M2.7', '--system', 'Be terse.', '--max-tokens', '64', '--temperature', '0.5', '--top-p', '0.9'],
    });
    expect(r.code).toBe(0);
    expect(bodies()[0]).toMatchObject({ model: 'MiniMax-M2.7', system: 'Be terse.', max_tokens: 64, temperature: 0.5, top_p: 0.9 });
  });

  it('a multi-line entry is one message', async () => {
    await repl(['line one\nline two']);
    expect(bodies()[0]?.messages).toEqual([{ role: 'user', content: 'line one\nline two' }]);
  });
});

describe('slash commands', () => {
  it('/model and /system change the next turns; /thinking shows thinking on stderr; /help lists every command', async () => {
    const r = await repl(['/help', '/model MiniMax-M2.5', '/system Answer in French.', '/thinking on', 'hi', '/model', '/system']);
    expect(r.code).toBe(0);
    for (const name of ['/help', '/system', '/model', '/thinking', '/history', '/save', '/clear', '/exit'])
      expect(r.stdout).toContain(name);
    expect(bodies()[0]).toMatchObject({ model: 'MiniMax-M2.5', system: 'Answer in French.' });
    expect(r.stderr).toContain('The user says "hi". I will answer briefly.');
    expect(r.stdout).toContain('Model: MiniMax-M2.5\n');
    expect(r.stdout).toContain('Answer in French.\n');
  });

  it('/history lists the messages, one line each; /clear starts a new conversation with nothing sent back', async () => {
    const configDir = tempConfigDir();
    const r = await repl(['first\nsecond line', '/history', '/clear', 'fresh'], { configDir });
    expect(r.stdout).toContain('\n  1 user      first↵second line\n');
    expect(r.stdout).toContain('\n  2 assistant Echo: first↵second line\n');
    expect(bodies()[1]?.messages).toEqual([{ role: 'user', content: 'fresh' }]);
    const list = await runCli(['text', 'history', '--output', 'json'], { configDir });
    expect(list.json()).toHaveLength(2);
  });

  it('/save writes a 0600 JSON file that text chat --messages-file reads back', async () => {
    const configDir = tempConfigDir();
    const path = join(configDir, 'saved.json');
    await repl(['/system Be brief.', 'hi', `/save ${path}`], { configDir });
    expect(fileMode(path)).toBe(0o600);
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
    api.cn.requests.length = 0;
    const chat = await runCli(['text', 'chat', '--messages-file', path, '--output', 'json', '--no-save'], { env: cnEnv });
    expect(chat.code).toBe(0);
    expect(bodies()[0]?.system).toBe('Be brief.');
    expect(bodies()[0]?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('/exit leaves at once; an unknown command says so and sends nothing', async () => {
    const r = await repl(['/nope', '/exit', 'never sent']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Unknown command /nope. Type /help');
    expect(bodies()).toHaveLength(0);
  });
});

describe('Ctrl-C and failures', () => {
  it('Ctrl-C mid-answer stops that answer only: what arrived stays (marked incomplete), the session goes on', async () => {
    const configDir = tempConfigDir();
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 2 });
    api.cn.enqueueFault({ kind: 'slow-stream', ms: 25 });
    const r = await repl(['long one', 'next'], {
      configDir,
      duringAnswer: (stop, n) => {
        if (n === 0) setTimeout(stop, 200);
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Stopped. The answer above is incomplete; it stays in the conversation.');
    const second = bodies()[1]?.messages ?? [];
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const partial = (second[1]?.content as Array<{ text: string }>)[0]?.text ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect('abcdefghijklmnopqrstuvwxyz'.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(26);
    const show = await runCli(['text', 'history', 'show', '--output', 'json'], { configDir });
    expect(show.json().messages[1].content[0].text).toBe(partial);
  });

  it('Ctrl-C at an empty prompt asks to press it again; twice leaves; Ctrl-C on a typed line only drops it', async () => {
    const r = await repl([
      { kind: 'interrupt', typed: true },
      { kind: 'interrupt', typed: false },
      'still here',
      { kind: 'interrupt', typed: false },
      { kind: 'interrupt', typed: false },
      'not sent',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/Ctrl-C again or Ctrl-D to leave/g)).toHaveLength(2);
    expect(bodies()).toHaveLength(1);
    expect(r.editor.prompts).toBe(5);
  });

  it('an API error is shown and the session goes on; the unanswered message is taken back', async () => {
    api.cn.enqueueFault({
      kind: 'status',
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'bad thing' } },
    });
    const r = await repl(['first', 'second']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Error: ');
    expect(r.stderr).toContain('bad thing');
    expect(bodies()[1]?.messages).toEqual([{ role: 'user', content: 'second' }]);
  });

  it('a stream cut mid-answer: the error is shown, the partial answer stays in the conversation', async () => {
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 4 });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 6 });
    const r = await repl(['cut me', 'go on']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('The connection closed mid-answer after 12 characters.');
    expect(bodies()[1]?.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'abcdefghijkl' }] });
  });
});

describe('start, history file, conversations', () => {
  it('without a terminal, in CI or with --non-interactive: exit 2 and a pointer to text chat, nothing sent', async () => {
    const noTty = await runCli(['text', 'repl', '--output', 'json'], { env: cnEnv, stdin: '' });
    expect(noTty.code).toBe(2);
    expect(JSON.parse(noTty.stderr).error).toEqual({
      code: 2,
      message: 'The REPL needs a terminal on stdin and stdout.',
      hint: 'For a script: mmx text chat --message "…" (-c continues the conversation).',
    });
    const ci = await repl(['hi'], { env: { ...cnEnv, CI: 'true' } });
    expect(ci.code).toBe(2);
    const flagged = await repl(['hi'], { args: ['--non-interactive'] });
    expect(flagged.code).toBe(2);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('without a key: exit 3 before the first prompt', async () => {
    const r = await repl(['hi'], { env: {} });
    expect(r.code).toBe(3);
    expect(r.editor.prompts).toBe(0);
  });

  it('typed lines are kept across sessions in a 0600 file; a line starting with a space is not', async () => {
    const configDir = tempConfigDir();
    await repl(['first', ' secret thing', '/model'], { configDir });
    const file = join(configDir, 'repl_history');
    expect(fileMode(file)).toBe(0o600);
    const again = await repl([], { configDir });
    expect(again.editor.options?.history).toEqual(['first', '/model']);
    expect(again.editor.options?.completions).toContain('/thinking');
  });

  it('-c resumes the latest conversation (from text chat too), its model kept; --no-save keeps nothing', async () => {
    const configDir = tempConfigDir();
    await runCli(['text', 'chat', '--message', 'from chat', '--model', 'MiniMax-M2.7', '--output', 'json'], { env: cnEnv, configDir });
    const r = await repl(['in the repl'], { configDir, args: ['-c'] });
    expect(r.stdout).toMatch(/Resumed conversation \d{8}-\d{6}-[0-9a-f]{4} \(1 answer\)\./);
    const body = bodies().at(-1);
    expect(body?.model).toBe('MiniMax-M2.7');
    expect(body?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const shown = await runCli(['text', 'history', 'show', '--output', 'json'], { configDir });
    expect(shown.json().messages).toHaveLength(4);

    const other = tempConfigDir();
    await repl(['hi'], { configDir: other, args: ['--no-save'] });
    expect(existsSync(join(other, 'conversations'))).toBe(false);
  });

  it('--continue, --conversation ID, --thinking and --save (over save_conversations=false) as flags', async () => {
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ save_conversations: false }), { mode: 0o600 });
    await repl(['not kept'], { configDir });
    expect(existsSync(join(configDir, 'conversations'))).toBe(false);
    await repl(['kept'], { configDir, args: ['--save'] });
    const [id] = (await runCli(['text', 'history', '--output', 'json'], { configDir })).json().map((c: { id: string }) => c.id);
    const named = await repl(['again'], { configDir, args: ['--conversation', id, '--save', '--thinking'] });
    expect(named.stdout).toContain(`Resumed conversation ${id} (1 answer).`);
    expect(named.stderr).toContain('The user says "again". I will answer briefly.');
    const long = await repl(['third'], { configDir, args: ['--continue', '--save'] });
    expect(long.stdout).toContain(`Resumed conversation ${id} (2 answers).`);
    expect(
      bodies()
        .at(-1)
        ?.messages.map((m) => m.content)
        .filter((c) => typeof c === 'string'),
    ).toEqual(['kept', 'again', 'third']);
  });

  it('a conversations path that cannot be written: one warning, the session works', async () => {
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'conversations'), 'not a directory');
    const r = await repl(['one', 'two'], { configDir });
    expect(r.code).toBe(0);
    expect(r.stderr.match(/could not record the conversation/g)).toHaveLength(1);
    expect(r.stdout).toContain('Echo: two\n');
    expect(bodies()).toHaveLength(2);
  });
});
