// The answers the bench's server streams, built once before any run: Anthropic
// Messages SSE as MiniMax sends it (message_start, ping, a thinking block with its
// signature, a text block of many small deltas, message_delta with usage,
// message_stop). The text is deterministic (a seeded generator) and realistic in the
// ways that cost a client something: deltas of 10–60 characters, paragraphs, JSON
// escapes (quotes, newlines) and some Chinese (multi-byte UTF-8 split across chunks).
// Pure: no IO, so the server and the in-process decoder figure stream the same bytes.

const WORDS = (
  'the a of to and in is that for it as with on be by this are from or an stream token model answer region ' +
  'header request response client server latency buffer socket chunk event delta parse write memory start ' +
  'quota key login config cache bench measure time floor ratio median peak process node terminal pipe ' +
  'function return const value error retry timeout signal abort json text message content block usage'
).split(' ');
const CHINESE = ['你好，世界。', '流式输出的速度。', '这是一个测试回答。', '模型正在思考。', '区域和认证头。', '“引号”与换行。'];

/** mulberry32: a small seeded generator, so every run streams the same bytes. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Prose of at least `bytes` bytes of UTF-8: sentences, some quoted, some Chinese, paragraphs. */
export function answerText(bytes, seed = 1) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const parts = [];
  let size = 0;
  while (size < bytes) {
    let sentence;
    if (next() < 0.08) sentence = pick(CHINESE);
    else {
      const words = Array.from({ length: 6 + Math.floor(next() * 14) }, () => pick(WORDS));
      if (next() < 0.15) words[2] = `"${words[2]}"`;
      sentence = `${words.join(' ')}.`;
      sentence = sentence[0].toUpperCase() + sentence.slice(1);
    }
    const gap = next() < 0.1 ? '\n\n' : ' ';
    parts.push(sentence, gap);
    size += Buffer.byteLength(sentence) + gap.length;
  }
  return parts.join('');
}

/** The text cut into deltas of 10–60 characters (UTF-16 units; the text has no surrogate pairs). */
export function deltas(text, seed = 2) {
  const next = random(seed);
  const out = [];
  for (let i = 0; i < text.length;) {
    const n = 10 + Math.floor(next() * 51);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

const event = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function messageStart(model) {
  return (
    event('message_start', {
      message: {
        id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        type: 'message',
        role: 'assistant',
        content: [],
        model,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 31, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        service_tier: 'standard',
      },
    }) + event('ping', {})
  );
}

function messageEnd(outputTokens) {
  return (
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 31, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }) + event('message_stop', {})
  );
}

const textDelta = (index, text) => event('content_block_delta', { index, delta: { type: 'text_delta', text } });

/**
 * A whole streamed answer of `bytes` bytes of text, after a short thinking block.
 * Returns the SSE body and the exact text a client prints in text mode.
 */
export function streamedAnswer(bytes, model = 'MiniMax-M2.7') {
  const text = answerText(bytes);
  const thinking = deltas(answerText(400, 3), 4);
  const parts = [messageStart(model), event('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } })];
  for (const t of thinking) parts.push(event('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: t } }));
  parts.push(
    event('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'fc86ea5fca755e74a1f9a154fe48859d' } }),
    event('content_block_stop', { index: 0 }),
    event('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
  );
  const pieces = deltas(text);
  for (const t of pieces) parts.push(textDelta(1, t));
  parts.push(event('content_block_stop', { index: 1 }), messageEnd(pieces.length));
  return { sse: Buffer.from(parts.join('')), text, deltas: pieces.length };
}

/**
 * An answer for time-to-first-token: `head` (message_start, the text block's start
 * and its first delta) goes out at once, `tail` (the rest) after the server's hold.
 */
export function firstTokenAnswer(model = 'MiniMax-M2.7') {
  const pieces = deltas(answerText(2_000, 5), 6);
  const head =
    messageStart(model) + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + textDelta(0, pieces[0]);
  const tail =
    pieces
      .slice(1)
      .map((t) => textDelta(0, t))
      .join('') +
    event('content_block_stop', { index: 0 }) +
    messageEnd(pieces.length);
  return { head: Buffer.from(head), tail: Buffer.from(tail), first: pieces[0], text: pieces.join('') };
}
