import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeSse, decodeSseText, SseTextDecoder, SseTooLargeError, type SseEvent } from '../../src/api/sse.js';

const FIXTURE_URL = new URL('../fixtures/messages-stream-m27.sse', import.meta.url);
// Normalised to LF so a checkout that rewrites line ends cannot change what we test.
const FIXTURE = readFileSync(FIXTURE_URL, 'utf8').replace(/\r\n?/g, '\n');

const utf8 = new TextEncoder();

/** Independent, deliberately naive reading of a well-formed LF stream (no comments, one data line). */
function referenceEvents(lfText: string): SseEvent[] {
  return lfText
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      return { event, data };
    });
}

async function decodeChunks(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of decodeSse(chunks)) out.push(ev);
  return out;
}

function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const o of [...offsets].sort((a, b) => a - b)) {
    chunks.push(bytes.subarray(prev, o));
    prev = o;
  }
  chunks.push(bytes.subarray(prev));
  return chunks;
}

function oneByteChunks(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
  return chunks;
}

const withEnds = (lfText: string, eol: string): string => lfText.replace(/\n/g, eol);

const VARIANTS = [
  { name: 'LF', eol: '\n' },
  { name: 'CRLF', eol: '\r\n' },
  { name: 'CR', eol: '\r' },
] as const;

describe('decodeSse on the captured MiniMax stream', () => {
  const expected = referenceEvents(FIXTURE);

  it('decodes the fixture into its events', async () => {
    const events = await decodeChunks([utf8.encode(FIXTURE)]);
    expect(events).toEqual(expected);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const e of events) expect((JSON.parse(e.data) as { type: string }).type).toBe(e.event);
    // The fixture must exercise multi-byte characters (3-byte CJK and 4-byte emoji).
    expect(events.some((e) => e.data.includes('你好！😀'))).toBe(true);
  });

  for (const { name, eol } of VARIANTS) {
    const bytes = utf8.encode(withEnds(FIXTURE, eol));

    it(`${name}: splitting into two chunks at every byte offset yields the same events`, async () => {
      for (let cut = 0; cut <= bytes.length; cut++) {
        const events = await decodeChunks(splitAt(bytes, [cut]));
        if (JSON.stringify(events) !== JSON.stringify(expected)) {
          // Only build the (slow) diff on failure, with the offset in the message.
          expect(events, `cut at byte ${cut}`).toEqual(expected);
        }
      }
    });

    it(`${name}: 1-byte chunks yield the same events`, async () => {
      expect(await decodeChunks(oneByteChunks(bytes))).toEqual(expected);
    });

    it(`${name}: a last event without its final blank line is still delivered`, async () => {
      // Ends "…message_stop\"}" + one line terminator.
      const text = withEnds(FIXTURE.replace(/\n+$/, '\n'), eol);
      expect(text.endsWith(`{"type":"message_stop"}${eol}`)).toBe(true);
      const b = utf8.encode(text);
      expect(await decodeChunks([b])).toEqual(expected);
      expect(await decodeChunks(oneByteChunks(b))).toEqual(expected);
      for (let cut = b.length - 40; cut <= b.length; cut++) {
        expect(await decodeChunks(splitAt(b, [cut])), `cut at ${cut}`).toEqual(expected);
      }
    });

    it(`${name}: an unterminated last line is treated as cut and its event is dropped`, async () => {
      const text = withEnds(FIXTURE.replace(/\n+$/, ''), eol);
      const b = utf8.encode(text);
      const withoutLast = expected.slice(0, -1);
      expect(await decodeChunks([b])).toEqual(withoutLast);
      expect(await decodeChunks(oneByteChunks(b))).toEqual(withoutLast);
    });
  }

  it('a stream cut in the middle of a data line drops only the cut event', async () => {
    const full = utf8.encode(FIXTURE);
    const marker = utf8.encode('"text":"你好').length;
    const start = FIXTURE.indexOf('"text":"你好');
    // Byte offset inside the 3-byte encoding of 好: the decoder flushes U+FFFD, which must not leak out.
    const cutAt = utf8.encode(FIXTURE.slice(0, start)).length + marker - 1;
    const events = await decodeChunks([full.subarray(0, cutAt)]);
    const cutIndex = expected.findIndex((e) => e.data.includes('你好！'));
    expect(events).toEqual(expected.slice(0, cutIndex));
    expect(events.some((e) => e.data.includes('\uFFFD'))).toBe(false);
  });

  it('decodes from a real async iterable, as a fetch body would be', async () => {
    const bytes = utf8.encode(FIXTURE);
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 97) {
        await Promise.resolve();
        yield bytes.subarray(i, i + 97);
      }
    }
    expect(await decodeChunks(body())).toEqual(expected);
  });

  it('decodeSseText agrees with decodeSse', () => {
    expect(decodeSseText(FIXTURE)).toEqual(expected);
    expect(decodeSseText(withEnds(FIXTURE, '\r\n'))).toEqual(expected);
  });

  it('arbitrary multi-way chunkings of the fixture yield the same events', async () => {
    const bytes = utf8.encode(withEnds(FIXTURE, '\r\n'));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), async (cuts) => {
        expect(await decodeChunks(splitAt(bytes, cuts))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeSse line protocol', () => {
  const decode = (text: string): Promise<SseEvent[]> => decodeChunks(oneByteChunks(utf8.encode(text)));

  it('defaults the event name to "message" and keeps ids', async () => {
    expect(await decode('data: a\n\nid: 7\nevent: x\ndata: b\n\n')).toEqual([
      { event: 'message', data: 'a' },
      { event: 'x', data: 'b', id: '7' },
    ]);
  });

  it('joins multiple data lines with \\n and strips only one leading space', async () => {
    expect(await decode('data: one\ndata:two\ndata:  three\n\n')).toEqual([{ event: 'message', data: 'one\ntwo\n three' }]);
  });

  it('ignores comment lines, unknown fields and retry', async () => {
    expect(await decode(': keep-alive\n\n:another\nevent: e\n: inside\nfoo: bar\nretry: 10\ndata: x\n\n')).toEqual([
      { event: 'e', data: 'x' },
    ]);
  });

  it('skips events without data lines', async () => {
    expect(await decode('event: lonely\n\nevent: e\ndata: y\n\n')).toEqual([{ event: 'e', data: 'y' }]);
  });

  it('delivers the last event of a CR-only stream (eventsource-parser alone holds back the final \\r)', async () => {
    expect(await decode('event: a\rdata: 1\r\r')).toEqual([{ event: 'a', data: '1' }]);
    expect(await decode('event: a\rdata: 1\r')).toEqual([{ event: 'a', data: '1' }]);
  });

  it('treats a CR before a cut line as a complete terminator', async () => {
    expect(await decode('data: 1\r\rdata: 2')).toEqual([{ event: 'message', data: '1' }]);
    expect(await decode('data: 1\rdata: 2')).toEqual([]);
    // An event with complete data lines followed by a cut one is dropped whole, not delivered short.
    expect(await decode('event: a\ndata: 1\ndata: 2')).toEqual([]);
    expect(await decode('event: a\r\ndata: 1\r\ndata: 2\r')).toEqual([{ event: 'a', data: '1\n2' }]);
  });

  it('does not merge a CR at a chunk end with the next line', async () => {
    const events = await decodeChunks([utf8.encode('data: 1\r'), utf8.encode('\r'), utf8.encode('data: 2\r\r')]);
    expect(events).toEqual([
      { event: 'message', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('strips a UTF-8 BOM at the start of the stream', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const rest = utf8.encode('event: e\ndata: x\n\n');
    const bytes = new Uint8Array(bom.length + rest.length);
    bytes.set(bom);
    bytes.set(rest, bom.length);
    expect(await decodeChunks(oneByteChunks(bytes))).toEqual([{ event: 'e', data: 'x' }]);
    expect(decodeSseText('\uFEFFevent: e\ndata: x\n\n')).toEqual([{ event: 'e', data: 'x' }]);
  });

  it('returns nothing for empty input', async () => {
    expect(await decodeChunks([])).toEqual([]);
    expect(await decodeChunks([new Uint8Array(0)])).toEqual([]);
  });

  it('reassembles a large data line delivered in many small chunks', async () => {
    const payload = 'x'.repeat(200_000) + '漢'.repeat(50_000);
    const bytes = utf8.encode(`event: big\ndata: ${payload}\n\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 61) chunks.push(bytes.subarray(i, i + 61));
    expect(await decodeChunks(chunks)).toEqual([{ event: 'big', data: payload }]);
  });

  it('SseTextDecoder delivers events as soon as their blank line arrives', () => {
    const d = new SseTextDecoder();
    expect(d.push('event: a\ndata: 1\n')).toEqual([]);
    expect(d.push('\nevent: b\nda')).toEqual([{ event: 'a', data: '1' }]);
    expect(d.push('ta: 2\n')).toEqual([]);
    expect(d.end()).toEqual([{ event: 'b', data: '2' }]);
    expect(() => d.push('x')).toThrow(/after end/);
  });
});

describe('decodeSse property', () => {
  // Field text: any code point except line terminators (which cannot occur inside a line).
  const lineText = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ''));
  const fieldValue = lineText.filter((s) => !s.startsWith(' ')); // a leading space is the separator's
  const eventArb = fc.record({
    event: fc.option(
      fieldValue.filter((s) => s !== ''),
      { nil: undefined },
    ),
    id: fc.option(
      fieldValue.map((s) => s.replace(/\0/g, '')),
      { nil: undefined },
    ),
    data: fc.array(lineText, { minLength: 1, maxLength: 4 }),
    comment: fc.option(lineText, { nil: undefined }),
    spaceAfterColon: fc.boolean(),
  });
  const streamArb = fc.record({
    events: fc.array(eventArb, { maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    trailingBlankLine: fc.boolean(),
  });

  type GeneratedStream = typeof streamArb extends fc.Arbitrary<infer T> ? T : never;

  function serialize(s: GeneratedStream): {
    text: string;
    expected: SseEvent[];
  } {
    const sep = (space: boolean): string => (space ? ': ' : ':');
    const blocks = s.events.map((e) => {
      const lines: string[] = [];
      if (e.comment !== undefined) lines.push(`:${e.comment}`);
      if (e.event !== undefined) lines.push(`event${sep(e.spaceAfterColon)}${e.event}`);
      if (e.id !== undefined) lines.push(`id${sep(e.spaceAfterColon)}${e.id}`);
      for (const d of e.data) lines.push(`data${sep(e.spaceAfterColon)}${d}`);
      return lines.map((l) => l + s.eol).join('');
    });
    let text = blocks.join(s.eol);
    if (blocks.length > 0 && s.trailingBlankLine) text += s.eol;
    const expected = s.events.map((e) => {
      const ev: SseEvent = { event: e.event ?? 'message', data: e.data.join('\n') };
      if (e.id !== undefined) ev.id = e.id;
      return ev;
    });
    return { text, expected };
  }

  it('any chunking of any valid stream yields the generated events', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, fc.array(fc.nat(), { maxLength: 12 }), async (stream, rawCuts) => {
        const { text, expected } = serialize(stream);
        const bytes = utf8.encode(text);
        const cuts = rawCuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1)));
        expect(await decodeChunks(splitAt(bytes, cuts))).toEqual(expected);
        expect(decodeSseText(text)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('SseTextDecoder maxEventChars', () => {
  it('an unterminated line past the limit throws, however it is chunked', () => {
    const sse = new SseTextDecoder({ maxEventChars: 100 });
    sse.push('data: ');
    expect(() => {
      for (let i = 0; i < 20; i++) sse.push('x'.repeat(10));
    }).toThrow(SseTooLargeError);
  });

  it('an event of many short lines, never ended by a blank line, throws', () => {
    const sse = new SseTextDecoder({ maxEventChars: 100 });
    expect(() => {
      for (let i = 0; i < 20; i++) sse.push('data: more\n');
    }).toThrow(/an SSE event passed 100 characters before it ended/);
  });

  it('many complete events far past the limit in total are fine', () => {
    const sse = new SseTextDecoder({ maxEventChars: 100 });
    let events = 0;
    for (let i = 0; i < 1000; i++) events += sse.push('event: ping\ndata: {"type":"ping"}\n\n').length;
    expect(events).toBe(1000);
  });
});
