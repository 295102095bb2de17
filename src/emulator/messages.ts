import { thinkingSignature } from './ids.js';
import { anthropicError, jsonResponse, sseResponse, SUCCESS_BASE_RESP, type EmuResponse, type SseEvent } from './responses.js';
import type { Reply, ReplyFn, ReplyRequest } from './types.js';

/** Text of the last user turn: string content, or the `text` blocks of block content joined together. */
export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (!isRecord(message) || message.role !== 'user') continue;
    return contentText(message.content);
  }
  return '';
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block) => (isRecord(block) && block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deterministic default reply so tests can assert exact text. "你好" gets the Chinese greeting used in the
 * MiniMax-AI/cli#59 reproduction; anything else is echoed.
 */
export const defaultReply: ReplyFn = (request) => {
  const input = request.lastUserText.trim();
  const thinking = `The user says "${input}". I will answer briefly.`;
  if (input === '你好' || input === '您好') return { thinking, text: '你好！我是 MiniMax 模拟器。有什么可以帮你的？' };
  if (/^(hello|hi)[!.]?$/i.test(input)) return { thinking, text: 'Hello! I am the MiniMax emulator. How can I help you today?' };
  return { thinking, text: `Echo: ${input}` };
};

/** Rough tokenizer: ~4 ASCII chars per token, one token per other code point (CJK). Deterministic is what matters. */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

/** Splits by code point so no delta ever carries half a surrogate pair. */
export function splitDeltas(text: string, size: number): string[] {
  const points = Array.from(text);
  const parts: string[] = [];
  for (let i = 0; i < points.length; i += size) parts.push(points.slice(i, i + size).join(''));
  return parts;
}

function invalidParams(detail: string, requestId: string): EmuResponse {
  return anthropicError(400, 'invalid_request_error', `invalid params, ${detail} (2013)`, requestId);
}

export interface MessagesContext {
  requestId: string;
  reply: ReplyFn;
  textDeltaSize: number;
}

type Validation = { ok: true; request: ReplyRequest } | { ok: false; response: EmuResponse };

function validate(body: unknown, requestId: string): Validation {
  const invalid = (detail: string): Validation => ({ ok: false, response: invalidParams(detail, requestId) });
  if (!isRecord(body)) return invalid('request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') return invalid('model is required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) return invalid('messages must not be empty');
  const t = body.temperature;
  // MiniMax documents temperature in (0, 1]; 0 is rejected, unlike Anthropic.
  if (t !== undefined && (typeof t !== 'number' || !(t > 0 && t <= 1))) {
    return invalid('temperature must be in (0, 1]');
  }
  const m = body.max_tokens;
  if (m !== undefined && (typeof m !== 'number' || !Number.isInteger(m) || m < 1)) {
    return invalid('max_tokens must be a positive integer');
  }
  const messages: unknown[] = body.messages;
  return { ok: true, request: { ...body, model: body.model, messages, lastUserText: lastUserText(messages) } };
}

export interface Completion {
  id: string;
  model: string;
  thinking: string;
  text: string;
  stopReason: 'end_turn' | 'max_tokens';
  inputTokens: number;
  outputTokens: number;
}

async function complete(request: ReplyRequest, ctx: MessagesContext): Promise<Completion> {
  const reply: Reply = await ctx.reply(request);
  const thinking = reply.thinking ?? '';
  let text = reply.text;
  let stopReason: Completion['stopReason'] = 'end_turn';
  // Loose max_tokens: cut the visible text at 4 chars per token, like a model that ran out of budget.
  if (typeof request.max_tokens === 'number') {
    const limit = request.max_tokens * 4;
    const points = Array.from(text);
    if (points.length > limit) {
      text = points.slice(0, limit).join('');
      stopReason = 'max_tokens';
    }
  }
  const promptText = [contentText(request.system)]
    .concat(request.messages.map((m) => (isRecord(m) ? contentText(m.content) : '')))
    .join('\n');
  return {
    id: ctx.requestId,
    model: request.model,
    thinking,
    text,
    stopReason,
    // A fixed overhead stands in for the chat template tokens the real API counts.
    inputTokens: 30 + estimateTokens(promptText),
    outputTokens: Math.max(1, estimateTokens(thinking) + estimateTokens(text)),
  };
}

function usage(c: Completion, outputTokens: number) {
  return {
    input_tokens: c.inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

function messageBody(c: Completion) {
  const content: unknown[] = [];
  if (c.thinking !== '') {
    content.push({ thinking: c.thinking, signature: thinkingSignature(c.thinking), type: 'thinking' });
  }
  content.push({ text: c.text, type: 'text' });
  return {
    id: c.id,
    type: 'message',
    role: 'assistant',
    model: c.model,
    content,
    usage: usage(c, c.outputTokens),
    stop_reason: c.stopReason,
    base_resp: SUCCESS_BASE_RESP,
  };
}

/** Event sequence of the captured MiniMax-M2.7 stream (docs/minimax-api-notes.md, Messages API); no `[DONE]` on this path. */
export function streamEvents(c: Completion, deltaSize: number): SseEvent[] {
  const events: SseEvent[] = [];
  const push = (data: { type: string } & Record<string, unknown>) => events.push({ event: data.type, data });
  push({
    type: 'message_start',
    message: {
      id: c.id,
      type: 'message',
      role: 'assistant',
      content: [],
      model: c.model,
      stop_reason: null,
      stop_sequence: null,
      usage: usage(c, 0),
      service_tier: 'standard',
    },
  });
  push({ type: 'ping' });
  let index = 0;
  if (c.thinking !== '') {
    push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } });
    for (const part of splitDeltas(c.thinking, deltaSize)) {
      push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: part } });
    }
    push({
      type: 'content_block_delta',
      index,
      delta: { type: 'signature_delta', signature: thinkingSignature(c.thinking) },
    });
    push({ type: 'content_block_stop', index });
    index++;
  }
  push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
  for (const part of splitDeltas(c.text, deltaSize)) {
    push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } });
  }
  push({ type: 'content_block_stop', index });
  push({ type: 'message_delta', delta: { stop_reason: c.stopReason }, usage: usage(c, c.outputTokens) });
  push({ type: 'message_stop' });
  return events;
}

/** `POST /anthropic/v1/messages` once auth has passed. */
export async function handleMessages(body: unknown, ctx: MessagesContext): Promise<EmuResponse> {
  const validation = validate(body, ctx.requestId);
  if (!validation.ok) return validation.response;
  const completion = await complete(validation.request, ctx);
  return validation.request.stream === true
    ? sseResponse(streamEvents(completion, ctx.textDeltaSize))
    : jsonResponse(200, messageBody(completion));
}
