/**
 * The pure parts of `npm run compare`: what output may differ between runs and
 * clients without being a difference, and how requests and config.json read.
 */
import { describe, expect, it } from 'vitest';
import { describeRequest, firstLine, normalise, summariseConfig } from '../../scripts/compare-normalise.mjs';

const context = { home: '/tmp/mmx-compare-home-Ab12', url: 'http://127.0.0.1:43117' };

describe('normalise', () => {
  it('names the emulator $API and HOME ~, wherever they appear', () => {
    expect(normalise('{"base_url":"http://127.0.0.1:43117","config_file":"/tmp/mmx-compare-home-Ab12/.mmx/config.json"}', context)).toBe(
      '{"base_url":"$API","config_file":"~/.mmx/config.json"}',
    );
  });

  it('reads both masked-key formats as sk-…abcd, and leaves a longer prefix alone', () => {
    expect(normalise('key sk-c...5Dj9 and sk-…5Dj9', context)).toBe('key sk-…5Dj9 and sk-…5Dj9');
    expect(normalise('sk-cp-e...5Dj9', context)).toBe('sk-cp-e...5Dj9');
  });

  it('reads request and message ids as <id>, and leaves longer hex (signatures) alone', () => {
    const signature = 'fc86ea5fca755e74a1f9a154fe48859d5411b255499db271adf2eabf82020f32';
    expect(normalise(`"id": "06fa492e8d67a26789d5f1e9d355d7d1", "signature": "${signature}"`, context)).toBe(
      `"id": "<id>", "signature": "${signature}"`,
    );
  });

  it('reads conversation ids as <conversation-id>, and leaves a date without the random part alone', () => {
    expect(normalise('"conversation_id": "20261130-065314-0b90", "day": "20261130-065314"', context)).toBe(
      '"conversation_id": "<conversation-id>", "day": "20261130-065314"',
    );
  });

  it('shows a line rewritten with carriage returns as its last rewrite, without ANSI escapes', () => {
    const spinner = '\r\u001b[38;2;1;2;3m⠋\u001b[0m Thinking (0s)\u001b[0K\r\u001b[0K\nResponse:\n';
    expect(normalise(spinner, context)).toBe('\nResponse:\n');
    expect(normalise('\u001b[2mdim\u001b[22m\n', context)).toBe('dim\n');
  });
});

describe('firstLine', () => {
  it('puts a pretty-printed JSON error on one line', () => {
    expect(firstLine('{\n  "error": {\n    "code": 2\n  }\n}\n')).toBe('{"error":{"code":2}}');
  });

  it('skips the blank line mmx-cli starts its errors with', () => {
    expect(firstLine('\nError: Unknown command\n  (exit code 2)\n')).toBe('Error: Unknown command');
    expect(firstLine('')).toBe('');
  });
});

describe('describeRequest', () => {
  it('names the auth header, and for a chat the model, streaming and each message', () => {
    const base = { query: {}, headers: {} };
    expect(describeRequest({ ...base, method: 'GET', path: '/v1/token_plan/remains', authStyle: 'bearer', body: undefined })).toBe(
      'GET /v1/token_plan/remains [Authorization: Bearer]',
    );
    expect(
      describeRequest({
        ...base,
        method: 'POST',
        path: '/anthropic/v1/messages',
        authStyle: 'x-api-key',
        body: { model: 'MiniMax-M3', system: 'Be terse.', messages: [{ role: 'user', content: 'a' }] },
      }),
    ).toBe('POST /anthropic/v1/messages [x-api-key] model=MiniMax-M3 stream=false system="Be terse." messages=["user:a"]');
  });
});

describe('summariseConfig', () => {
  it('masks the key and normalises the base URL, keys in file order', () => {
    const text = JSON.stringify({ api_key: 'sk-cp-secret-key-0000000000000000wxyz', region: 'global', base_url: context.url, timeout: 60 });
    const summary = summariseConfig(text, context);
    expect(summary).toBe('{api_key: sk-…wxyz, region: global, base_url: $API, timeout: 60}');
    expect(summary).not.toContain('secret');
  });

  it('says a broken file is not JSON', () => {
    expect(summariseConfig('{"api_key": ', context)).toBe('(not JSON: {"api_key":)');
  });
});
