/**
 * MiniMax's Anthropic-compatible Messages API (`POST /anthropic/v1/messages`):
 * one answer as JSON, or the same answer as an event stream. Chat creates no
 * lasting work, so it is retried like a read (but never once its answer began).
 */
import { isPlainObject } from '../../json.js';
import type { AnthropicMessage } from '../message-stream.js';
import { type ApiRequest, ResponseShapeError, post } from '../request.js';

const MESSAGES_PATH = '/anthropic/v1/messages';
/** MiniMax does not require it; sent because the Anthropic API does, for gateways that check. */
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * A Messages answer: an object with `type: "message"` and a `content` array of typed blocks
 * (text blocks with their text). Anything else (`{}`, `null`, another API's JSON) is not an
 * answer, however it parsed; the payload is returned as received.
 */
export function parseMessage(payload: unknown): AnthropicMessage {
  if (!isPlainObject(payload))
    throw new ResponseShapeError(
      `expected a message object, got ${payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload}`,
    );
  if (payload.type !== 'message') throw new ResponseShapeError('its "type" is not "message"');
  const content = payload.content;
  if (!Array.isArray(content)) throw new ResponseShapeError('no "content" array');
  content.forEach((block: unknown, i) => {
    if (!isPlainObject(block) || typeof block.type !== 'string') throw new ResponseShapeError(`content block ${i} has no "type"`);
    if (block.type === 'text' && typeof block.text !== 'string') throw new ResponseShapeError(`text block ${i} has no "text" string`);
  });
  return payload as AnthropicMessage;
}

export const messages = {
  create(body: Record<string, unknown>): ApiRequest<AnthropicMessage> {
    return post<AnthropicMessage>(
      MESSAGES_PATH,
      { json: body },
      { retry: 'transient', headers: { 'anthropic-version': ANTHROPIC_VERSION }, parse: parseMessage },
    );
  },
  stream(body: Record<string, unknown>): ApiRequest {
    return post(
      MESSAGES_PATH,
      { json: { ...body, stream: true } },
      { retry: 'transient', expect: 'sse', headers: { 'anthropic-version': ANTHROPIC_VERSION } },
    );
  },
};
