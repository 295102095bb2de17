/**
 * MiniMax's Anthropic-compatible Messages API (`POST /anthropic/v1/messages`):
 * one answer as JSON, or the same answer as an event stream. Chat creates no
 * lasting work, so it is retried like a read (but never once its answer began).
 */
import type { AnthropicMessage } from '../message-stream.js';
import { type ApiRequest, post } from '../request.js';

const MESSAGES_PATH = '/anthropic/v1/messages';
/** MiniMax does not require it; sent because the Anthropic API does, for gateways that check. */
const ANTHROPIC_VERSION = '2023-06-01';

export const messages = {
  create(body: Record<string, unknown>): ApiRequest<AnthropicMessage> {
    return post<AnthropicMessage>(
      MESSAGES_PATH,
      { json: body },
      { retry: 'transient', headers: { 'anthropic-version': ANTHROPIC_VERSION } },
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
