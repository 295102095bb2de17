/**
 * `mmx text chat` through the real CLI against the cn emulator: the request body
 * built from flags, files and stdin; the streaming default; JSON and text output;
 * SSE robustness under the emulator's transport faults; --dry-run, --verbose and
 * a reader that goes away.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, encodeSseEvent } from '../../src/emulator/index.js';
import type { Fault, Reply } from '../../src/emulator/index.js';
import { thinkingSignature } from '../../src/emulator/ids.js';
import { USER_AGENT } from '../../src/version.js';
import { CN, useEmulators } from '../helpers/api.js';
import { masked } from '../helpers/leak.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();
const KEY = EMULATOR_KEYS.cn;
const env = { MINIMAX_API_KEY: KEY, MINIMAX_REGION: 'cn' };
const CHAT = ['text', 'chat'];
const HI_ANSWER = 'Hello! I am the MiniMax emulator. How can I help you today?';

type Body = Record<string, unknown> & { messages?: unknown; stream?: boolean };
const lastBody = (): Body => api.cn.requests.at(-1)?.body as Body;

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mmx-chat-')), name);
  writeFileSync(path, text);
  return path;
}

async function chatBody(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<Body> {
  const r = await runCli([...CHAT, ...args, '--output', 'json'], { env, ...options });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(api.cn.requests).toHaveLength(1);
  return lastBody();
}

describe('the request body', () => {
  it('defaults: model MiniMax-M3 (as mmx-cli 1.0.27), max_tokens 4096, one user message, nothing else', async () => {
    expect(await chatBody(['--message', 'hi'])).toEqual({
      model: 'MiniMax-M3',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('the model comes from config default_text_model, and --model beats it', async () => {
    const configDir = tempConfigDir();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ default_text_model: 'MiniMax-M2.5' }), { mode: 0o600 });
    expect((await chatBody(['--message', 'hi'], { configDir })).model).toBe('MiniMax-M2.5');
    api.cn.reset();
    expect((await chatBody(['--message', 'hi', '--model', 'MiniMax-M3'], { configDir })).model).toBe('MiniMax-M3');
  });

  it('an empty --model is a usage error, sent nowhere', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--model', ' ', '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('--model is empty.');
    expect(api.cn.requests).toHaveLength(0);
  });

  it('--max-tokens, --temperature and --top-p go into the body as numbers', async () => {
    expect(await chatBody(['--message', 'hi', '--max-tokens', '64', '--temperature', '0.7', '--top-p', '1'])).toEqual({
      model: 'MiniMax-M3',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.7,
      top_p: 1,
    });
  });

  it('--message is repeatable; user:/assistant:/system: prefixes set the role; --system and system: messages join into system', async () => {
    const body = await chatBody([
      '--system',
      'Be terse.',
      '--message',
      'user:Hi',
      '--message',
      'assistant: Hello',
      '--message',
      'SYSTEM:Answer in English.',
      '--message',
      'How are you?',
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'How are you?' },
    ]);
    expect(body.system).toBe('Be terse.\n\nAnswer in English.');
  });

  it('a prefix is only a prefix: "user:" inside the text stays text', async () => {
    expect((await chatBody(['--message', 'say user:hi'])).messages).toEqual([{ role: 'user', content: 'say user:hi' }]);
  });

  it('sends anthropic-version: 2023-06-01, JSON content type and the mmx user agent', async () => {
    await chatBody(['--message', 'hi']);
    const headers = api.cn.requests[0]!.headers;
    expect(headers['anthropic-version']).toBe('2023-06-01');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(api.cn.requests[0]!.method).toBe('POST');
    expect(api.cn.requests[0]!.path).toBe('/anthropic/v1/messages');
  });

  it.each([
    [['--temperature', '0'], '--temperature'],
    [['--temperature', '1.5'], '--temperature'],
    [['--temperature', 'warm'], '--temperature'],
    [['--top-p', '0'], '--top-p'],
    [['--top-p', '2'], '--top-p'],
    [['--max-tokens', 'abc'], '--max-tokens'],
    [['--max-tokens', '0'], '--max-tokens'],
    [['--max-tokens', '1.5'], '--max-tokens'],
  ])('%j → exit 2 naming %s, nothing sent', async (flag, name) => {
    const r = await runCli([...CHAT, '--message', 'hi', ...flag, '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const error = JSON.parse(r.stderr).error;
    expect(error.code).toBe(2);
    expect(error.message).toContain(name);
    expect(error.message).toContain(`'${flag[1]}'`);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('an empty --message is a usage error', async () => {
    const r = await runCli([...CHAT, '--message', '', '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('A message is empty.');
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('--messages-file', () => {
  it('the array form, system messages included, with --message appended after the file', async () => {
    const path = tempFile(
      'conversation.json',
      JSON.stringify([
        { role: 'system', content: 'You are a reviewer.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ]),
    );
    const body = await chatBody(['--messages-file', path, '--message', 'What now?']);
    expect(body.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'What now?' },
    ]);
    expect(body.system).toBe('You are a reviewer.');
  });

  it('the {system, messages} form, block content kept as is, --system first', async () => {
    const blocks = [{ type: 'text', text: 'Look at this' }];
    const path = tempFile('c.json', JSON.stringify({ system: 'From the file.', messages: [{ role: 'user', content: blocks }] }));
    const body = await chatBody(['--messages-file', path, '--system', 'From the flag.']);
    expect(body.messages).toEqual([{ role: 'user', content: blocks }]);
    expect(body.system).toBe('From the flag.\n\nFrom the file.');
  });

  it('--messages-file - reads the conversation from stdin (once)', async () => {
    const r = await runCli([...CHAT, '--messages-file', '-', '--output', 'json'], {
      env,
      stdin: JSON.stringify({ messages: [{ role: 'user', content: 'from stdin' }] }),
    });
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(1);
    expect(lastBody().messages).toEqual([{ role: 'user', content: 'from stdin' }]);
  });

  it.each([
    [
      'a missing file',
      () => join(tmpdir(), 'mmx-no-such-dir', 'missing.json'),
      /^--messages-file: cannot read .*missing\.json: no such file\.$/,
    ],
    ['a file that is not JSON', () => tempFile('bad.json', '[{"role":"user",'), /^--messages-file: .*bad\.json is not valid JSON\.$/],
    [
      'a bad role',
      () =>
        tempFile(
          'role.json',
          JSON.stringify([
            { role: 'user', content: 'a' },
            { role: 'tool', content: 'b' },
          ]),
        ),
      /^--messages-file: message 2 has role "tool"; use user, assistant or system\.$/,
    ],
    [
      'a message without content',
      () => tempFile('nocontent.json', JSON.stringify([{ role: 'user' }])),
      /^--messages-file: message 1 needs "role" and "content"\.$/,
    ],
    [
      'neither an array nor {messages}',
      () => tempFile('obj.json', JSON.stringify({ prompt: 'hi' })),
      /^--messages-file must hold an array of messages/,
    ],
  ])('%s → exit 2, nothing sent', async (_name, makePath, message) => {
    const r = await runCli([...CHAT, '--messages-file', makePath(), '--output', 'json'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.message).toMatch(message);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('non-JSON on stdin for --messages-file - → exit 2 naming stdin', async () => {
    const r = await runCli([...CHAT, '--messages-file', '-', '--output', 'json'], { env, stdin: 'hello' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('--messages-file: stdin is not valid JSON.');
  });
});

describe('stdin', () => {
  it('stdin text alone is the user message', async () => {
    const body = await chatBody([], { stdin: 'What is 2+2?\n' });
    expect(body.messages).toEqual([{ role: 'user', content: 'What is 2+2?\n' }]);
  });

  it('git diff | mmx text chat --stdin --message "review this": stdin is appended to the last --message', async () => {
    const diff = 'diff --git a/x b/x\n-old\n+new\n';
    const r = await runCli([...CHAT, '--stdin', '--message', 'review this', '--output', 'json'], { env, stdin: diff });
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(1);
    expect(lastBody().messages).toEqual([{ role: 'user', content: `review this\n\n${diff}` }]);
  });

  it('with --message and no --stdin, a piped stdin is left alone (a loop keeps its input)', async () => {
    const r = await runCli([...CHAT, '--message', 'a', '--output', 'json'], { env, stdin: 'b\nc\n' });
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(0);
    expect(lastBody().messages).toEqual([{ role: 'user', content: 'a' }]);
  });

  it('--message - is stdin as that message, in its place', async () => {
    const body = await chatBody(['--message', 'system:Be terse.', '--message', '-', '--message', 'assistant:ok', '--message', 'and?'], {
      stdin: 'from stdin',
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'from stdin' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'and?' },
    ]);
    expect(body.system).toBe('Be terse.');
  });

  it('--stdin or --message - with a terminal on stdin is exit 2, and two readers of stdin too', async () => {
    for (const args of [
      ['--stdin', '--message', 'x'],
      ['--message', '-'],
    ]) {
      const r = await runCli([...CHAT, ...args, '--output', 'json'], { env });
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stderr).error.message).toMatch(/reads stdin, but stdin is a terminal/);
    }
    const both = await runCli([...CHAT, '--message', '-', '--stdin', '--output', 'json'], { env, stdin: 'x' });
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stderr).error.message).toMatch(/both want to read stdin/);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('appended to the last --message only', async () => {
    const body = await chatBody(['--stdin', '--message', 'first', '--message', 'assistant:ok', '--message', 'second'], { stdin: 'tail' });
    expect(body.messages).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'second\n\ntail' },
    ]);
  });

  it('after an assistant turn, stdin becomes a new user message', async () => {
    const body = await chatBody(['--stdin', '--message', 'hi', '--message', 'assistant:hello'], { stdin: 'more' });
    expect(body.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'more' },
    ]);
  });

  it.each([[''], ['  \n\t\n']])('empty stdin (%j) adds nothing', async (stdin) => {
    const body = await chatBody(['--stdin', '--message', 'hi'], { stdin });
    expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('a terminal on stdin is never read', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(0);
  });

  it('--api-key - takes stdin; it is then not read again as the prompt', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--api-key', '-', '--region', 'cn', '--output', 'json'], { stdin: `${KEY}\n` });
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(1);
    expect(lastBody().messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(api.cn.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('--messages-file - together with --api-key - → exit 2 before anything is read', async () => {
    const r = await runCli([...CHAT, '--messages-file', '-', '--api-key', '-', '--region', 'cn', '--output', 'json'], {
      stdin: `${KEY}\n`,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.message).toMatch(/both want to read stdin; only one can\.$/);
    expect(r.stdinReads).toBe(0);
    expect(api.cn.requests).toHaveLength(0);
  });

  it.each([
    ['no flag and a terminal on stdin', undefined],
    ['no flag and an empty stdin', ''],
  ])('no message at all (%s) → exit 2, nothing sent', async (_name, stdin) => {
    const r = await runCli([...CHAT, '--output', 'json'], { env, ...(stdin === undefined ? {} : { stdin }) });
    expect(r.code).toBe(2);
    const error = JSON.parse(r.stderr).error;
    expect(error.message).toBe('No message given.');
    expect(error.hint).toContain('--message');
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('streaming default and output', () => {
  const streamed = () => lastBody().stream === true;

  it('on a terminal with text output: streamed, answer on stdout, thinking hidden (as mmx-cli)', async () => {
    const r = await runCli([...CHAT, '--message', 'hi'], { env, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(streamed()).toBe(true);
    expect(api.cn.requests[0]!.headers.accept).toBe('text/event-stream');
    expect(r.stdout).toBe(`${HI_ANSWER}\n`);
    expect(r.stderr).toBe('');
  });

  it('--thinking shows the thinking on stderr, before the answer; --quiet never does', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--thinking'], { env, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${HI_ANSWER}\n`);
    expect(r.stderr).toBe('The user says "hi". I will answer briefly.\n\n');
    const quiet = await runCli([...CHAT, '--message', 'hi', '--thinking', '--quiet'], { env, stdoutTTY: true });
    expect(quiet.stdout).toBe(`${HI_ANSWER}\n`);
    expect(quiet.stderr).toBe('');
  });

  it('--quiet is the answer alone, also when output is JSON (ans=$(mmx text chat --message hi --quiet))', async () => {
    for (const args of [[], ['--output', 'json'], ['--stream'], ['--stream', '--output', 'json']]) {
      const r = await runCli([...CHAT, '--message', 'hi', '--quiet', ...args], { env });
      expect(r).toMatchObject({ code: 0, stdout: `${HI_ANSWER}\n`, stderr: '' });
    }
  });

  it('not streamed when stdout is not a terminal (JSON by default), nor with --output text to a pipe', async () => {
    await runCli([...CHAT, '--message', 'hi'], { env });
    expect(streamed()).toBe(false);
    const text = await runCli([...CHAT, '--message', 'hi', '--output', 'text'], { env });
    expect(streamed()).toBe(false);
    expect(text.stdout).toBe(`${HI_ANSWER}\n`);
    expect(text.stderr).toBe('');
    const quiet = await runCli([...CHAT, '--message', 'hi', '--output', 'text', '--quiet'], { env });
    expect(quiet.stderr).toBe('');
  });

  it('not streamed on a terminal with --output json', async () => {
    await runCli([...CHAT, '--message', 'hi', '--output', 'json'], { env, stdoutTTY: true });
    expect(streamed()).toBe(false);
  });

  it('--stream forces it; --no-stream turns it off', async () => {
    await runCli([...CHAT, '--message', 'hi', '--stream', '--output', 'json'], { env });
    expect(streamed()).toBe(true);
    const r = await runCli([...CHAT, '--message', 'hi', '--no-stream'], { env, stdoutTTY: true });
    expect(streamed()).toBe(false);
    expect(r.stdout).toBe(`${HI_ANSWER}\n`);
  });

  it('JSON: the Anthropic message when not streamed; streamed, mmx-cli\'s {"content": "<answer>"} and the rest beside it', async () => {
    const reply: Reply = { thinking: 'abcd', text: 'abcdefgh' };
    api.use('cn', { reply: () => reply, textDeltaSize: 3 });
    const plain = await runCli([...CHAT, '--message', 'hi', '--no-stream', '--output', 'json'], { env });
    const stream = await runCli([...CHAT, '--message', 'hi', '--stream', '--output', 'json'], { env });
    expect([plain.code, stream.code]).toEqual([0, 0]);
    expect([plain.stderr, stream.stderr]).toEqual(['', '']);
    const blocks = [
      { type: 'thinking', thinking: 'abcd', signature: thinkingSignature('abcd') },
      { type: 'text', text: 'abcdefgh' },
    ];
    // 30 + ceil(len("\nhi") / 4) in; ceil(4/4) + ceil(8/4) out: the message_delta figures, not message_start's 0.
    const usage = { input_tokens: 31, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

    const message = JSON.parse(plain.stdout); // throws on anything but exactly one document
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'MiniMax-M3', stop_reason: 'end_turn' });
    expect(message.content).toEqual(blocks);
    expect(message.usage).toEqual(usage);
    expect(message.id).toMatch(/^06[0-9a-f]{30}$/);
    expect(message.base_resp).toEqual({ status_code: 0, status_msg: 'success' }); // as MiniMax sent it, as mmx-cli prints it

    const streamed = JSON.parse(stream.stdout);
    expect(streamed).toEqual({
      content: 'abcdefgh',
      thinking: 'abcd',
      content_blocks: blocks,
      id: expect.stringMatching(/^06[0-9a-f]{30}$/),
      model: 'MiniMax-M3',
      stop_reason: 'end_turn',
      usage,
      conversation_id: expect.stringMatching(/^\d{8}-\d{6}-[0-9a-f]{4}$/),
    });
    expect((api.cn.requests[1]!.body as Body).stream).toBe(true);
    expect((api.cn.requests[0]!.body as Body).stream).toBeUndefined();
  });

  it('a text-only answer (no thinking) has one content block and no stderr output', async () => {
    api.use('cn', { reply: () => ({ text: 'just text' }) });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('just text\n');
    expect(r.stderr).toBe('');
  });
});

describe('SSE robustness, end to end through emulator faults', () => {
  // Multi-byte text (CJK, an emoji, accents) so byte-level cuts land inside UTF-8 sequences.
  const reply: Reply = { thinking: '先想一想… 🤔', text: '你好，世界！🙂 Ünïcödé — done.\nSecond line.' };

  const faults: [string, Fault | Fault[]][] = [
    ['chunks of 1 byte', { kind: 'chunking', bytes: 1 }],
    ['chunks of 3 bytes', { kind: 'chunking', bytes: 3 }],
    ['chunks of 7 bytes', { kind: 'chunking', bytes: 7 }],
    ['CRLF line endings', { kind: 'crlf' }],
    ['CRLF in chunks of 7 bytes', [{ kind: 'chunking', bytes: 7 }, { kind: 'crlf' }]],
    ['CRLF in chunks of 1 byte', [{ kind: 'chunking', bytes: 1 }, { kind: 'crlf' }]],
  ];

  it.each(faults)('%s: text output intact', async (_name, fault) => {
    api.use('cn', { reply: () => reply, textDeltaSize: 2 });
    api.cn.enqueueFault(fault);
    const r = await runCli([...CHAT, '--message', 'hi', '--thinking'], { env, stdoutTTY: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${reply.text}\n`);
    expect(r.stderr).toBe(`${reply.thinking}\n\n`);
  });

  it.each(faults)('%s: JSON output intact', async (_name, fault) => {
    api.use('cn', { reply: () => reply, textDeltaSize: 2 });
    api.cn.enqueueFault(fault);
    const r = await runCli([...CHAT, '--message', 'hi', '--stream', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.json().content).toBe(reply.text);
    expect(r.json().content_blocks).toEqual([
      { type: 'thinking', thinking: reply.thinking, signature: thinkingSignature(reply.thinking!) },
      { type: 'text', text: reply.text },
    ]);
    expect(r.json().stop_reason).toBe('end_turn');
  });

  it('an error event mid-stream: exit by the mapping (2064 → 1), the text already printed stays on stdout', async () => {
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 5 });
    api.cn.enqueueFault({ kind: 'stream-error', afterTextDeltas: 2 });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, stdoutTTY: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('abcdefghij\n');
    expect(r.stderr).toBe(
      'Error: API error in the stream: The server cluster is currently under high load, please retry later (2064)\n  The answer above is incomplete.\n',
    );
  });

  it('an error event mid-stream in JSON mode: nothing on stdout, the error object carries api_code and partial_text', async () => {
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 5 });
    api.cn.enqueueFault({ kind: 'stream-error', afterTextDeltas: 1, message: 'busy' });
    const r = await runCli([...CHAT, '--message', 'hi', '--stream', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 1,
        message: 'API error in the stream: busy (2064)',
        hint: 'The answer above is incomplete.',
        api_code: 2064,
        partial_text: 'abcde',
      },
    });
  });

  it('an error event is mapped like an HTTP error: a rate_limit_error with 2056 in the stream → exit 4', async () => {
    const sse = [
      {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: { id: 'm1', type: 'message', role: 'assistant', content: [], model: 'MiniMax-M2.7', usage: {} },
        },
      },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Partial' } } },
      { event: 'error', data: { type: 'error', error: { type: 'rate_limit_error', message: 'usage limit exceeded (2056)' } } },
    ]
      .map((e) => encodeSseEvent(e))
      .join('');
    api.cn.enqueueFault({ kind: 'status', status: 200, body: sse, contentType: 'text/event-stream' });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, stdoutTTY: true });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('Partial\n');
    expect(r.stderr.split('\n')[0]).toBe('Error: API error in the stream: usage limit exceeded (2056)');
  });

  it('a stream cut before message_stop: exit 6, the partial text printed, "closed mid-answer after N characters"', async () => {
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 4 });
    // message_start, ping, block start, 3 text deltas: 12 characters, then the connection ends cleanly.
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 6 });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, stdoutTTY: true });
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('abcdefghijkl\n');
    expect(r.stderr).toBe('Error: The connection closed mid-answer after 12 characters.\n  The answer above is incomplete; retry.\n');
  });

  it('a cut stream in JSON mode: exit 6, nothing on stdout, partial_text in the error object', async () => {
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 4 });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 5 });
    const r = await runCli([...CHAT, '--message', 'hi', '--stream', '--output', 'json'], { env });
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 6,
        message: 'The connection closed mid-answer after 8 characters.',
        hint: 'The answer above is incomplete; retry.',
        partial_text: 'abcdefgh',
      },
    });
  });

  it('a stream cut at any byte (inside lines and UTF-8 sequences): exit 6, only whole characters, the count matches', async () => {
    const text = '你好世界你好世界';
    const seen = new Set<string>();
    // With this reply the first text delta frame starts near byte 500 and each frame is ~118 bytes (one
    // 3-byte character in it). A step of 2 still cuts inside every character's bytes, and between frames.
    for (let afterBytes = 490; afterBytes < 760; afterBytes += 2) {
      api.use('cn', { reply: () => ({ text }), textDeltaSize: 1 });
      api.cn.enqueueFault({ kind: 'cut-stream', afterBytes });
      const r = await runCli([...CHAT, '--message', 'hi', '--stream', '--output', 'json'], { env });
      expect(r.code).toBe(6);
      expect(r.stdout).toBe('');
      const error = JSON.parse(r.stderr).error;
      expect(error.message).toBe(`The connection closed mid-answer after ${error.partial_text.length} characters.`);
      expect(text.startsWith(error.partial_text)).toBe(true);
      seen.add(error.partial_text);
    }
    // The cuts really landed before, inside and after several deltas.
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });

  it('a connection that errors mid-stream: exit 6, the partial text kept', async () => {
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 4 });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 5, abort: true });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, stdoutTTY: true });
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('abcdefgh\n');
    expect(r.stderr.split('\n')[0]).toBe('Error: The connection failed mid-answer after 8 characters.');
  });
});

describe('--dry-run', () => {
  it('text: the request with the key masked and the body; nothing sent', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--dry-run', '--output', 'text'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(0);
    expect(r.stdout).toBe(
      [
        `POST ${CN}/anthropic/v1/messages`,
        `user-agent: ${USER_AGENT}`,
        'accept: application/json',
        'accept-encoding: identity',
        'content-type: application/json',
        'anthropic-version: 2023-06-01',
        `authorization: Bearer ${masked(KEY)}`,
        '',
        JSON.stringify({ model: 'MiniMax-M3', max_tokens: 4096, messages: [{ role: 'user', content: 'hi' }] }, null, 2),
        '(auth: Authorization: Bearer, region cn table; dry run, nothing sent)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('JSON: one document with the masked headers, the body and the auth choice', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--dry-run', '--output', 'json', '--region', 'global'], { env });
    expect(r.code).toBe(0);
    expect(api.global.requests).toHaveLength(0);
    expect(r.json()).toEqual({
      dry_run: true,
      requests: [
        {
          method: 'POST',
          url: 'https://api.minimax.io/anthropic/v1/messages',
          headers: {
            'user-agent': USER_AGENT,
            accept: 'application/json',
            'accept-encoding': 'identity',
            'content-type': 'application/json',
            'anthropic-version': '2023-06-01',
            'x-api-key': masked(KEY),
          },
          body: { model: 'MiniMax-M3', max_tokens: 4096, messages: [{ role: 'user', content: 'hi' }] },
          auth: { style: 'x-api-key', header: 'x-api-key', reason: 'region', why: 'region global table' },
        },
      ],
    });
  });

  it('a streamed dry run shows stream: true and the event-stream accept header', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--dry-run', '--stream', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    const request = r.json().requests[0];
    expect(request.body.stream).toBe(true);
    expect(request.headers.accept).toBe('text/event-stream');
  });
});

describe('--verbose', () => {
  it('logs method, URL, the strategy and its reason, headers with the key masked, the status — never the key', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--verbose', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).type).toBe('message');
    const log = r.stderr.split('\n');
    expect(log).toContain(`> POST ${CN}/anthropic/v1/messages`);
    expect(log).toContain('> auth: Authorization: Bearer (region cn table)');
    expect(log).toContain(`> authorization: Bearer ${masked(KEY)}`);
    expect(log).toContain('> anthropic-version: 2023-06-01');
    expect(log.some((line) => /^< 200 application\/json; charset=utf-8 after \d+ ms$/.test(line))).toBe(true);
    expect(r.stderr).not.toContain(KEY);
    expect(r.stderr).not.toContain(KEY.slice(3, -4));
  });

  it('MINIMAX_VERBOSE=1 does the same; the explicit style and its source are named', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--auth-style', 'bearer', '--output', 'json'], {
      env: { ...env, MINIMAX_VERBOSE: '1' },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('> auth: Authorization: Bearer (explicit style from --auth-style)\n');
  });
});

describe('long answers in text mode: constant memory', () => {
  it('a cut stream under --quiet --output json: partial_text is the last 16 KiB, with how many characters came before', async () => {
    const text = 'x'.repeat(40_000) + 'THE END';
    api.use('cn', { reply: () => ({ text }), textDeltaSize: 1000 });
    // message_start, ping, block start, then all 41 text deltas, then the cut (before block stop).
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 3 + 41 });
    const r = await runCli([...CHAT, '--message', 'hi', '--max-tokens', '100000', '--stream', '--quiet', '--output', 'json'], { env });
    expect(r.code).toBe(6);
    expect(r.stdout).toBe(`${text}\n`);
    const error = JSON.parse(r.stderr).error;
    expect(text.endsWith(error.partial_text)).toBe(true);
    expect(error.partial_text.length).toBeGreaterThanOrEqual(16 * 1024);
    expect(error.partial_text.length).toBeLessThanOrEqual(32 * 1024);
    expect(error.partial_text.length + error.partial_text_omitted).toBe(text.length);
    expect(error.message).toBe(`The connection closed mid-answer after ${text.length} characters.`);
  });

  it('--output json keeps the whole answer (no tail, nothing omitted)', async () => {
    const text = 'y'.repeat(40_000);
    api.use('cn', { reply: () => ({ text }), textDeltaSize: 1000 });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 3 + 40 });
    const r = await runCli([...CHAT, '--message', 'hi', '--max-tokens', '100000', '--stream', '--output', 'json'], { env });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stderr).error).toMatchObject({ partial_text: text });
    expect(JSON.parse(r.stderr).error.partial_text_omitted).toBeUndefined();
  });
});

describe('a reader that goes away (mmx … | head)', () => {
  it('streamed text: exit 0, no error text', async () => {
    api.use('cn', { reply: () => ({ text: 'x'.repeat(500) }), textDeltaSize: 10 });
    const r = await runCli([...CHAT, '--message', 'hi'], { env, stdoutTTY: true, stdoutLimit: 25 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('x'.repeat(25));
    expect(r.stderr).toBe('');
  });

  it('JSON output: exit 0, no error text', async () => {
    const r = await runCli([...CHAT, '--message', 'hi', '--output', 'json'], { env, stdoutLimit: 10 });
    expect(r.code).toBe(0);
    expect(r.stdout).toHaveLength(10);
    expect(r.stderr).toBe('');
  });

  it('even when the stream later fails: the closed pipe wins, exit 0', async () => {
    api.use('cn', { reply: () => ({ text: 'abcdefghijklmnopqrstuvwxyz' }), textDeltaSize: 4 });
    api.cn.enqueueFault({ kind: 'cut-stream', afterEvents: 6 });
    const r = await runCli([...CHAT, '--message', 'hi', '--quiet'], { env, stdoutTTY: true, stdoutLimit: 5 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('abcde');
    expect(r.stderr).toBe('');
  });
});
