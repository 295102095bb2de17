import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { decodeSse, decodeSseText, type SseEvent } from '../../src/api/sse.js';
import {
  MessageAccumulator,
  MessageTooLargeError,
  StreamCutError,
  StreamError,
  StreamProtocolError,
  parseApiCode,
  parseStreamEvent,
  readMessageStream,
  type AnthropicMessage,
  type StreamDelta,
} from '../../src/api/message-stream.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').replace(/\r\n?/g, '\n');

const M27 = fixture('messages-stream-m27.sse');
const M3_TOOL = fixture('messages-stream-m3-tool-use.sse');

/** One SSE event in wire form. */
const sse = (event: string, data: unknown): SseEvent => ({
  event,
  data: typeof data === 'string' ? data : JSON.stringify(data),
});

async function run(
  events: Iterable<SseEvent> | AsyncIterable<SseEvent>,
  acc = new MessageAccumulator(),
): Promise<{ deltas: StreamDelta[]; message: AnthropicMessage }> {
  const deltas: StreamDelta[] = [];
  const gen = readMessageStream(events, acc);
  for (;;) {
    const r = await gen.next();
    if (r.done === true) return { deltas, message: r.value };
    deltas.push(r.value);
  }
}

/** Runs a stream expected to fail and returns the error plus the deltas seen before it. */
async function runFailing(events: Iterable<SseEvent> | AsyncIterable<SseEvent>): Promise<{ error: unknown; deltas: StreamDelta[] }> {
  const deltas: StreamDelta[] = [];
  try {
    for await (const d of readMessageStream(events)) deltas.push(d);
  } catch (error) {
    return { error, deltas };
  }
  throw new Error('stream did not fail');
}

const START = sse('message_start', {
  type: 'message_start',
  message: {
    id: 'abc',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'MiniMax-M3',
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 0, output_tokens: 0 },
  },
});
const TEXT_START = sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const textDelta = (text: string, index = 0): SseEvent =>
  sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
const STOP = sse('message_stop', { type: 'message_stop' });

const M27_TEXT = '你好！😀 Hello! How can I help you today? 🚀\n有什么可以帮您？ — ü, é, ß, 𝄞';

describe('readMessageStream on the captured MiniMax-M2.7 stream', () => {
  const expectedMessage: AnthropicMessage = {
    id: '0636355db0657600f14eb1d944b105de',
    type: 'message',
    role: 'assistant',
    model: 'MiniMax-M2.7',
    content: [
      {
        type: 'thinking',
        thinking: 'The user greets me in Chinese: “你好”. Reply warmly.',
        signature: '103599db8e2f4c7a9b1d0e6f5a4c3b2a1908f7e6d5c4b3a29180f7e6d5c45d2b',
      },
      { type: 'text', text: M27_TEXT },
    ],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 236, output_tokens: 39, cache_creation_input_tokens: 7149, cache_read_input_tokens: 38308 },
    service_tier: 'standard',
  };
  const expectedDeltas: StreamDelta[] = [
    { type: 'block-start', index: 0, block: 'thinking' },
    { type: 'thinking', index: 0, text: 'The user' },
    { type: 'thinking', index: 0, text: ' greets me in Chinese: “你好”. Reply warmly.' },
    { type: 'block-stop', index: 0, block: 'thinking' },
    { type: 'block-start', index: 1, block: 'text' },
    { type: 'text', index: 1, text: '你好！😀 ' },
    { type: 'text', index: 1, text: 'Hello! How can I help you today? 🚀' },
    { type: 'text', index: 1, text: '\n有什么可以帮您？ — ü, é, ß, 𝄞' },
    { type: 'block-stop', index: 1, block: 'text' },
  ];

  it('yields render deltas and returns the final message', async () => {
    const acc = new MessageAccumulator();
    const { deltas, message } = await run(decodeSseText(M27), acc);
    expect(deltas).toEqual(expectedDeltas);
    expect(message).toEqual(expectedMessage);
    expect(acc.done).toBe(true);
    expect(acc.message).toEqual(expectedMessage);
    expect(acc.textChars).toBe(M27_TEXT.length);
  });

  it('works end to end from bytes in 1-byte chunks with CRLF line ends', async () => {
    const bytes = new TextEncoder().encode(M27.replace(/\n/g, '\r\n'));
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const { deltas, message } = await run(decodeSse(chunks));
    expect(deltas).toEqual(expectedDeltas);
    expect(message).toEqual(expectedMessage);
  });

  it('needs no [DONE] and tolerates one after message_stop', async () => {
    const events = [...decodeSseText(M27), { event: 'message', data: '[DONE]' }];
    expect((await run(events)).message).toEqual(expectedMessage);
  });

  it('stops reading its input at message_stop', async () => {
    let pulledAfterStop = false;
    let closed = false;
    const events = decodeSseText(M27);
    async function* source(): AsyncGenerator<SseEvent> {
      try {
        for (const e of events) yield e;
        pulledAfterStop = true;
        yield sse('message_start', { type: 'message_start', message: {} });
      } finally {
        closed = true;
      }
    }
    expect((await run(source())).message).toEqual(expectedMessage);
    expect(pulledAfterStop).toBe(false);
    expect(closed).toBe(true);
  });
});

describe('MessageAccumulator', () => {
  it('parses tool_use input from input_json_delta and merges usage from message_delta', async () => {
    const { deltas, message } = await run(decodeSseText(M3_TOOL));
    expect(message).toEqual({
      id: '065a1f3c9d2e4b7a8c6d5e4f3a2b1c0d',
      type: 'message',
      role: 'assistant',
      model: 'MiniMax-M3',
      content: [
        { type: 'text', text: 'Let me look for the files.' },
        { type: 'tool_use', id: 'call_function_sy2faeqracl4_1', name: 'glob', input: { pattern: 'src/**/*.ts', path: '/work/项目' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      // input_tokens was 0 in message_start; message_delta's full usage wins, other keys stay.
      usage: { input_tokens: 1520, output_tokens: 61, service_tier: 'standard' },
      service_tier: 'standard',
    });
    expect(deltas).toContainEqual({ type: 'block-start', index: 1, block: 'tool_use', name: 'glob' });
  });

  it('keeps the raw string when the tool input JSON is invalid', () => {
    const acc = new MessageAccumulator();
    const events = [
      START,
      sse('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't1', name: 'bash', input: {} },
      }),
      sse('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"cmd": "ls' },
      }),
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    ];
    for (const e of events) acc.apply(parseStreamEvent(e)!);
    expect(acc.message.content).toEqual([{ type: 'tool_use', id: 't1', name: 'bash', input: '{"cmd": "ls' }]);
  });

  it('keeps the start input when no JSON fragments (or only empty ones) arrive', () => {
    const acc = new MessageAccumulator();
    acc.apply(parseStreamEvent(START)!);
    acc.apply({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'n', input: {} } });
    acc.apply({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } });
    expect(acc.message.content).toEqual([{ type: 'tool_use', id: 't', name: 'n', input: {} }]);
  });

  it('ignores ping, unknown event types and unknown delta types', async () => {
    const events = [
      START,
      sse('ping', { type: 'ping' }),
      sse('ping', 'not even json'),
      sse('content_block_future', { type: 'content_block_future', index: 0, whatever: true }),
      TEXT_START,
      sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: {} } }),
      textDelta('hi'),
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }),
      STOP,
    ];
    const { deltas, message } = await run(events);
    expect(deltas).toEqual([
      { type: 'block-start', index: 0, block: 'text' },
      { type: 'text', index: 0, text: 'hi' },
    ]);
    expect(message.content).toEqual([{ type: 'text', text: 'hi' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toEqual({ input_tokens: 0, output_tokens: 1 });
  });

  it('types events without an event: line by their JSON type', async () => {
    const untyped = [START, TEXT_START, textDelta('x'), STOP].map((e) => ({ event: 'message', data: e.data }));
    expect((await run(untyped)).message.content).toEqual([{ type: 'text', text: 'x' }]);
  });

  it('does not let null usage fields erase known counts', () => {
    const acc = new MessageAccumulator();
    acc.apply(parseStreamEvent(START)!);
    acc.apply({ type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { input_tokens: 12, output_tokens: null } });
    expect(acc.message.usage).toEqual({ input_tokens: 12, output_tokens: 0 });
    expect(acc.message.stop_reason).toBe('max_tokens');
  });

  it('accumulates a long answer from many small deltas exactly', async () => {
    const parts = Array.from({ length: 50_000 }, (_, i) => `${i % 10}字🙂`);
    const events = [START, TEXT_START, ...parts.map((p) => textDelta(p)), STOP];
    const acc = new MessageAccumulator();
    const { message } = await run(events, acc);
    const expected = parts.join('');
    expect(message.content).toEqual([{ type: 'text', text: expected }]);
    expect(acc.textChars).toBe(expected.length);
  });

  it('returns independent snapshots from .message', () => {
    const acc = new MessageAccumulator();
    acc.apply(parseStreamEvent(START)!);
    acc.apply(parseStreamEvent(TEXT_START)!);
    acc.apply(parseStreamEvent(textDelta('a'))!);
    const first = acc.message;
    first.usage.output_tokens = 999;
    (first.content[0] as { text: string }).text = 'mutated';
    acc.apply(parseStreamEvent(textDelta('b'))!);
    expect(acc.message.content).toEqual([{ type: 'text', text: 'ab' }]);
    expect(acc.message.usage.output_tokens).toBe(0);
  });

  it('creates a block for a delta that arrives without content_block_start', async () => {
    const { deltas, message } = await run([START, textDelta('orphan', 2), STOP]);
    expect(deltas).toEqual([
      { type: 'block-start', index: 2, block: 'text' },
      { type: 'text', index: 2, text: 'orphan' },
    ]);
    expect(message.content).toEqual([{ type: 'text', text: 'orphan' }]);
  });

  it('counts text and thinking characters separately', async () => {
    const acc = new MessageAccumulator();
    await run(decodeSseText(M27), acc);
    expect(acc.thinkingChars).toBe('The user greets me in Chinese: “你好”. Reply warmly.'.length);
    expect(acc.textChars).toBe(M27_TEXT.length);
  });
});

describe('stream failures', () => {
  const overloaded = {
    type: 'error',
    error: { type: 'overloaded_error', message: '当前服务集群负载较高，请稍后重试，感谢您的耐心等待。 (2064) (529)' },
    request_id: '0677fbea00000000000000000000beef',
  };

  it('an error event throws StreamError with the API message, code and partial answer', async () => {
    const { error, deltas } = await runFailing([START, TEXT_START, textDelta('partial 答'), sse('error', overloaded), STOP]);
    expect(error).toBeInstanceOf(StreamError);
    const e = error as StreamError;
    expect(e.errorType).toBe('overloaded_error');
    expect(e.apiMessage).toBe(overloaded.error.message);
    expect(e.apiCode).toBe(2064);
    expect(e.httpStatus).toBe(529);
    expect(e.requestId).toBe(overloaded.request_id);
    expect(e.message).toContain('overloaded_error');
    expect(e.partial.id).toBe('abc');
    expect(e.partial.content).toEqual([{ type: 'text', text: 'partial 答' }]);
    expect(deltas.at(-1)).toEqual({ type: 'text', index: 0, text: 'partial 答' });
  });

  it('an error event with non-JSON data still throws StreamError', async () => {
    const { error } = await runFailing([START, sse('error', 'upstream exploded')]);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).errorType).toBe('unknown_error');
    expect((error as StreamError).apiMessage).toBe('upstream exploded');
    expect((error as StreamError).apiCode).toBeUndefined();
  });

  it('an error event before anything else carries an empty partial message', async () => {
    const { error } = await runFailing([sse('error', overloaded)]);
    expect((error as StreamError).partial).toEqual({
      id: '',
      type: 'message',
      role: 'assistant',
      model: '',
      content: [],
      stop_reason: null,
      usage: {},
    });
  });

  it('input ending before message_stop throws StreamCutError with the partial answer', async () => {
    const { error, deltas } = await runFailing([START, TEXT_START, textDelta('你好'), textDelta(', wor')]);
    expect(error).toBeInstanceOf(StreamCutError);
    const e = error as StreamCutError;
    expect(e.textChars).toBe(7);
    expect(e.partial.content).toEqual([{ type: 'text', text: '你好, wor' }]);
    expect(e.partial.stop_reason).toBeNull();
    expect(e.message).toMatch(/before message_stop after 7 characters/);
    expect(deltas).toHaveLength(3);
  });

  it('the captured stream cut mid-event (bytes) ends in StreamCutError', async () => {
    const bytes = new TextEncoder().encode(M27);
    const cut = bytes.subarray(0, new TextEncoder().encode(M27.slice(0, M27.indexOf('有什么'))).length + 2);
    const { error } = await runFailing(decodeSse([cut]));
    expect(error).toBeInstanceOf(StreamCutError);
    expect((error as StreamCutError).partial.content[1]).toEqual({ type: 'text', text: '你好！😀 Hello! How can I help you today? 🚀' });
  });

  it('an empty stream throws StreamCutError saying nothing arrived', async () => {
    const { error } = await runFailing([]);
    expect(error).toBeInstanceOf(StreamCutError);
    expect((error as StreamCutError).textChars).toBe(0);
    expect((error as Error).message).toMatch(/before any message event/);
  });

  it('a second content_block_start for the same index is a protocol error, not a silent reset of the block', async () => {
    const { error, deltas } = await runFailing([START, TEXT_START, textDelta('kept'), TEXT_START, textDelta(' lost'), STOP]);
    expect(error).toBeInstanceOf(StreamProtocolError);
    expect((error as StreamProtocolError).message).toBe('malformed "content_block_start" stream event: a second start for block 0');
    expect(deltas.filter((d) => d.type === 'text').map((d) => (d as { text: string }).text)).toEqual(['kept']);
  });

  it('a start for a block a delta opened first, or for the next index, is fine', () => {
    const acc = new MessageAccumulator();
    acc.apply({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'a' } });
    expect(() => acc.apply({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } })).not.toThrow();
  });

  it('invalid JSON on a known event throws StreamProtocolError naming the event', async () => {
    const { error } = await runFailing([START, sse('content_block_delta', '{"type":"content_block_delta","index":0,')]);
    expect(error).toBeInstanceOf(StreamProtocolError);
    expect((error as StreamProtocolError).event).toBe('content_block_delta');
    expect((error as Error).message).toContain('content_block_delta');
  });

  it('a known event with an impossible shape throws StreamProtocolError', () => {
    const acc = new MessageAccumulator();
    expect(() => acc.apply({ type: 'message_start' })).toThrow(StreamProtocolError);
    expect(() => acc.apply({ type: 'content_block_delta', index: '0', delta: { type: 'text_delta', text: 'x' } })).toThrow(
      /content_block_delta.*index/,
    );
    expect(() => acc.apply({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } })).toThrow(StreamProtocolError);
  });
});

describe('parseApiCode', () => {
  it.each([
    ['system error (1033)', 1033],
    ['当前服务集群负载较高，请稍后重试，感谢您的耐心等待。 (2064) (529)', 2064],
    ['overloaded (529) (2064)', 2064],
    ['invalid params, messages must not be empty (2013)', 2013],
    ['invalid samples or voice_id (20132)', 20132],
    ['unknown error, 999 (1000)', 1000],
    ['full-width （2056）', 2056],
    ['trailing space (1004)  ', 1004],
    ['only a status (529)', undefined],
    ['Internal server error', undefined],
    ['code (1008) not at the end', undefined],
    ['', undefined],
  ])('%j → %j', (message, code) => {
    expect(parseApiCode(message)).toBe(code);
  });
});

describe('MessageAccumulator with a text tail (text mode: constant memory)', () => {
  const start = { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], model: 'M', usage: {} } };
  const block = (index: number, type: 'text' | 'thinking') => ({ type: 'content_block_start', index, content_block: { type, [type]: '' } });
  const delta = (index: number, type: 'text_delta' | 'thinking_delta', s: string) => ({
    type: 'content_block_delta',
    index,
    delta: type === 'text_delta' ? { type, text: s } : { type, thinking: s },
  });

  it('keeps at most twice the tail per block, counts everything, and hands every delta on unchanged', () => {
    const acc = new MessageAccumulator({ textTail: 10 });
    acc.apply(start);
    acc.apply(block(0, 'thinking'));
    acc.apply(block(1, 'text'));
    let rendered = '';
    let all = '';
    for (let i = 0; i < 100; i++) {
      const piece = `${i},`;
      all += piece;
      for (const d of acc.apply(delta(1, 'text_delta', piece))) if (d.type === 'text') rendered += d.text;
      acc.apply(delta(0, 'thinking_delta', 'think '));
    }
    expect(rendered).toBe(all);
    expect(acc.textChars).toBe(all.length);
    const [thinking, text] = acc.message.content as Array<{ thinking?: string; text?: string }>;
    expect(all.endsWith(text?.text ?? 'x')).toBe(true);
    expect((text?.text ?? '').length).toBeGreaterThanOrEqual(10);
    expect((text?.text ?? '').length).toBeLessThanOrEqual(20);
    expect((thinking?.thinking ?? '').length).toBeLessThanOrEqual(20);
    expect(acc.droppedChars).toBe(all.length - (text?.text ?? '').length + 600 - (thinking?.thinking ?? '').length);
  });

  it('without a tail everything is kept and nothing is dropped', () => {
    const acc = new MessageAccumulator();
    acc.apply(start);
    acc.apply(block(0, 'text'));
    for (let i = 0; i < 1000; i++) acc.apply(delta(0, 'text_delta', 'abc'));
    expect((acc.message.content[0] as { text: string }).text).toBe('abc'.repeat(1000));
    expect(acc.droppedChars).toBe(0);
  });
});

describe('MessageAccumulator maxChars', () => {
  const delta = (type: string, field: string, text: string) => ({
    type: 'content_block_delta',
    index: 0,
    delta: { type, [field]: text },
  });

  it('text, thinking, signatures and tool input all count towards the limit', () => {
    for (const [type, field] of [
      ['text_delta', 'text'],
      ['thinking_delta', 'thinking'],
      ['signature_delta', 'signature'],
      ['input_json_delta', 'partial_json'],
    ] as const) {
      const acc = new MessageAccumulator({ maxChars: 50 });
      acc.apply(delta(type, field, 'x'.repeat(50)));
      expect(() => acc.apply(delta(type, field, 'x'))).toThrow(MessageTooLargeError);
    }
  });

  it('up to the limit, the answer is whole', () => {
    const acc = new MessageAccumulator({ maxChars: 50 });
    for (let i = 0; i < 5; i++) acc.apply(delta('text_delta', 'text', '0123456789'));
    expect((acc.message.content[0] as { text: string }).text).toBe('0123456789'.repeat(5));
  });

  it('with a text tail, text already dropped still counts: an endless answer ends', () => {
    const acc = new MessageAccumulator({ textTail: 10, maxChars: 100 });
    for (let i = 0; i < 10; i++) acc.apply(delta('text_delta', 'text', '0123456789'));
    expect(acc.droppedChars).toBeGreaterThan(0);
    expect(() => acc.apply(delta('text_delta', 'text', 'x'))).toThrow(MessageTooLargeError);
  });
});
