/**
 * Conformance: the official Anthropic SDK talks to the emulator's Messages
 * endpoint over a real socket, streaming and not. This keeps the emulator a
 * faithful Anthropic-compatible server rather than a mirror of our own parser.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';

let emulator: Emulator;
let server: EmulatorServer;

beforeAll(async () => {
  emulator = createEmulator({ region: 'cn', reply: () => ({ thinking: 'Thinking about it.', text: '你好！Hello from the emulator 👋' }) });
  server = await startEmulatorServer(emulator);
});
afterAll(() => server.close());

function client(auth: { authToken?: string; xApiKey?: string }) {
  return new Anthropic({
    baseURL: `${server.url}/anthropic`,
    maxRetries: 0,
    apiKey: null,
    authToken: auth.authToken ?? null,
    // SDK 1.x sends even `apiKey` as Bearer; an explicit header is its documented escape hatch.
    ...(auth.xApiKey ? { defaultHeaders: { 'X-Api-Key': auth.xApiKey } } : {}),
  });
}

describe('the Anthropic SDK against the emulator', () => {
  it('creates a message (Bearer on cn)', async () => {
    const message = await client({ authToken: EMULATOR_KEYS.cn }).messages.create({
      model: 'MiniMax-M2.7',
      max_tokens: 64,
      messages: [{ role: 'user', content: '你好' }],
    });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.id).toMatch(/^[0-9a-f]{32}$/);
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const text = message.content[1];
    expect(text?.type === 'text' && text.text).toBe('你好！Hello from the emulator 👋');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(emulator.requests.at(-1)?.authStyle).toBe('bearer');
  });

  it('streams a message and the SDK assembles the same content', async () => {
    const stream = client({ authToken: EMULATOR_KEYS.cn }).messages.stream({
      model: 'MiniMax-M2.7',
      max_tokens: 64,
      messages: [{ role: 'user', content: '你好' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas.join('')).toBe('你好！Hello from the emulator 👋');
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const thinking = message.content[0];
    expect(thinking?.type === 'thinking' && thinking.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('surfaces the cn x-api-key failure as the SDK API error the seed reports', async () => {
    const error = await client({ xApiKey: EMULATOR_KEYS.cn })
      .messages.create({ model: 'MiniMax-M2.7', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(emulator.requests.at(-1)?.authStyle).toBe('x-api-key');
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(500);
    expect(String((error as Error).message)).toContain('system error (1033)');
  });
});
