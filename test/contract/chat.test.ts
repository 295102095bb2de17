/**
 * The mmx-cli script contract for `mmx text chat`, pinned through the built bin/mmx:
 * stdin in loops and pipes, answers for `$(…)` and jq, the default model, and
 * mmx-cli's boolean spellings. Each test asserts what a script reads (stdout, exit
 * code) and what the server received (how many requests, which messages).
 */
import { describe, expect, it } from 'vitest';
import { KEY, chatRequests, jsonError, useContractApi } from './harness.js';

const api = useContractApi();
const HELLO = 'Hello! I am the MiniMax emulator. How can I help you today?';
const user = (content: string) => [{ role: 'user', content }];

describe('stdin in loops and pipes', () => {
  it('while read … mmx text chat --message "$l" sends one request per line, each with its own message', async () => {
    const r = await api.sh(`printf 'a\\nb\\nc\\n' | while read -r l; do mmx text chat --message "$l"; done`);
    expect(r.code).toBe(0);
    // Piped, each answer is a JSON message: three of them, in order.
    expect(r.stdout.match(/"text": "Echo: .*"/g)).toEqual(['"text": "Echo: a"', '"text": "Echo: b"', '"text": "Echo: c"']);
    expect(chatRequests(api.requests)).toEqual(
      ['a', 'b', 'c'].map((l) => ({ path: 'POST /anthropic/v1/messages', model: 'MiniMax-M3', stream: false, messages: user(l) })),
    );
  });

  it('git diff | mmx text chat (no message) sends stdin as the message', async () => {
    const r = await api.sh(`printf 'diff --git a/x b/x\\n+hello\\n' | mmx text chat --output text`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Echo: diff --git a/x b/x\n+hello\n');
    expect(chatRequests(api.requests).map((c) => c.messages)).toEqual([user('diff --git a/x b/x\n+hello\n')]);
  });

  it('… | mmx text chat --stdin --message "review this" appends stdin to the message', async () => {
    const r = await api.sh(`printf '+hello\\n' | mmx text chat --stdin --message "review this" --output text`);
    expect(r.code).toBe(0);
    expect(chatRequests(api.requests).map((c) => c.messages)).toEqual([user('review this\n\n+hello\n')]);
  });

  it('--message - sends stdin as that message', async () => {
    const r = await api.sh(`printf 'from stdin\\n' | mmx text chat --message "user:first" --message - --output text`);
    expect(r.code).toBe(0);
    expect(chatRequests(api.requests).map((c) => c.messages)).toEqual([
      [
        { role: 'user', content: 'first' },
        { role: 'user', content: 'from stdin\n' },
      ],
    ]);
  });

  it('with --message, piped stdin is left alone (the loop keeps its lines)', async () => {
    const r = await api.sh(`printf 'not for mmx\\n' | { mmx text chat --message hi --quiet; cat; }`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${HELLO}\nnot for mmx\n`);
    expect(chatRequests(api.requests).map((c) => c.messages)).toEqual([user('hi')]);
  });

  it('empty stdin and no message is a usage error, and nothing is sent', async () => {
    const r = await api.sh(`mmx text chat < /dev/null`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr).code).toBe(2);
    expect(api.requests).toHaveLength(0);
  });
});

describe('ans=$(mmx text chat --message hi --quiet)', () => {
  it('is the answer text', async () => {
    const r = await api.sh(`ans=$(mmx text chat --message hi --quiet); printf '[%s]' "$ans"`);
    expect(r).toMatchObject({ code: 0, stdout: `[${HELLO}]`, stderr: '' });
    expect(api.requests).toHaveLength(1);
  });

  it.each([['--output json'], ['--stream'], ['--stream --output json'], ['--output text']])(
    'is the answer text with %s too (piped)',
    async (flags) => {
      const r = await api.sh(`mmx text chat --message hi --quiet ${flags}`);
      expect(r).toMatchObject({ code: 0, stdout: `${HELLO}\n`, stderr: '' });
      expect(api.requests).toHaveLength(1);
    },
  );
});

describe('mmx text chat --message hi --stream --output json | jq -r .content', () => {
  it('streamed: one JSON document whose content is the answer string, with thinking, content_blocks, id, model, stop_reason, usage', async () => {
    const r = await api.sh(`mmx text chat --message hi --stream --output json`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc.content).toBe(HELLO);
    expect(doc.thinking).toEqual(expect.any(String));
    expect(doc.content_blocks).toEqual([
      { type: 'thinking', thinking: doc.thinking, signature: expect.any(String) },
      { type: 'text', text: HELLO },
    ]);
    expect(doc).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), model: 'MiniMax-M3', stop_reason: 'end_turn' });
    expect(doc.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
    expect(chatRequests(api.requests)).toMatchObject([{ stream: true, messages: user('hi') }]);
  });

  it('not streamed: the Anthropic message as MiniMax sent it (content blocks, base_resp kept)', async () => {
    const r = await api.sh(`mmx text chat --message hi --output json`);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { type: string; content: { type: string; text?: string }[]; base_resp: unknown };
    expect(doc.type).toBe('message');
    expect(doc.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(doc.content[1]?.text).toBe(HELLO);
    expect(doc.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
    expect(chatRequests(api.requests)).toMatchObject([{ stream: false }]);
  });

  it('piped with no --output: JSON, not streamed (as mmx-cli)', async () => {
    const r = await api.sh(`mmx text chat --message hi`);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { content: unknown[] }).content).toHaveLength(2);
    expect(chatRequests(api.requests)).toMatchObject([{ stream: false }]);
  });
});

describe('defaults', () => {
  it('the text model sent is MiniMax-M3, with max_tokens 4096', async () => {
    await api.sh(`mmx text chat --message hi --quiet`);
    expect(api.requests.map((r) => r.body)).toMatchObject([{ model: 'MiniMax-M3', max_tokens: 4096 }]);
  });

  it('config default_text_model replaces it, and --model wins over both', async () => {
    const config = { api_key: KEY, region: 'global', default_text_model: 'MiniMax-M2.5' };
    await api.sh(`mmx text chat --message hi --quiet; mmx text chat --message hi --quiet --model MiniMax-M2`, { config });
    expect(chatRequests(api.requests).map((c) => c.model)).toEqual(['MiniMax-M2.5', 'MiniMax-M2']);
  });
});

describe('booleans: --stream=false, --quiet=true, 1|0|yes|no|on|off', () => {
  it('--stream=false sends stream false and prints the message object', async () => {
    const r = await api.sh(`mmx text chat --message hi --stream=false --output json`);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { type: string }).type).toBe('message');
    expect(chatRequests(api.requests)).toMatchObject([{ stream: false }]);
  });

  it('--quiet=true prints the answer alone', async () => {
    const r = await api.sh(`mmx text chat --message hi --quiet=true --output json`);
    expect(r).toMatchObject({ code: 0, stdout: `${HELLO}\n` });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
    ['YES', true],
  ])('--stream=%s streams: %s', async (word, streams) => {
    const r = await api.sh(`mmx text chat --message hi --stream=${word} --quiet=${streams ? 'on' : '1'}`);
    expect(r).toMatchObject({ code: 0, stdout: `${HELLO}\n` });
    expect(chatRequests(api.requests)).toMatchObject([{ stream: streams }]);
  });

  it('a bad word is exit 2 naming the flag, and nothing is sent', async () => {
    const r = await api.sh(`mmx text chat --message hi --stream=maybe`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr)).toMatchObject({ code: 2, message: expect.stringContaining('--stream') });
    expect(api.requests).toHaveLength(0);
  });

  it('--no-stream turns streaming off', async () => {
    const r = await api.sh(`mmx text chat --message hi --stream --no-stream --quiet`);
    expect(r.code).toBe(0);
    expect(chatRequests(api.requests)).toMatchObject([{ stream: false }]);
  });
});

describe('flag values', () => {
  it.each([['1.5'], ['0'], ['-0.1']])('--temperature %s is exit 2 before anything is sent', async (value) => {
    const r = await api.sh(`mmx text chat --message hi --temperature ${value}`);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toContain('--temperature');
    expect(api.requests).toHaveLength(0);
  });

  it('an unknown flag is exit 2 and never swallows the next argument', async () => {
    const r = await api.sh(`mmx text chat --bogus --message hi`);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).message).toContain('--bogus');
    expect(api.requests).toHaveLength(0);
  });
});
