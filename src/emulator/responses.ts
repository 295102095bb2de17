/**
 * Transport-neutral response values. Route handlers build these; `transport.ts` turns them into a fetch
 * `Response` after applying faults, so faults such as chunking or CRLF work the same for every route.
 */

export interface SseEvent {
  event: string;
  data: unknown;
}

export type EmuBody = { kind: 'text'; text: string } | { kind: 'sse'; events: SseEvent[] } | { kind: 'empty' };

export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  body: EmuBody;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, value: unknown): EmuResponse {
  return { status, headers: { 'content-type': JSON_TYPE }, body: { kind: 'text', text: JSON.stringify(value) } };
}

export function textResponse(status: number, text: string, contentType: string): EmuResponse {
  return { status, headers: { 'content-type': contentType }, body: { kind: 'text', text } };
}

export function sseResponse(events: SseEvent[]): EmuResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    body: { kind: 'sse', events },
  };
}

/** The Go/nginx-style plain 404 that MiniMax hosts return for unknown paths. */
export function notFound(): EmuResponse {
  return textResponse(404, '404 page not found', 'text/plain; charset=utf-8');
}

/**
 * Anthropic-path error envelope. `httpCode` adds the `"http_code"` string field that MiniMax puts inside
 * `authorized_error` / `bad_request_error` bodies.
 */
export function anthropicError(status: number, type: string, message: string, requestId: string, httpCode = false): EmuResponse {
  const error: Record<string, string> = { type, message };
  if (httpCode) error.http_code = String(status);
  return jsonResponse(status, { type: 'error', error, request_id: requestId });
}

/** Native-path error: only `base_resp`, usually with HTTP 200 (the status code is the sole error signal). */
export function baseRespError(status: number, code: number, message: string): EmuResponse {
  return jsonResponse(status, { base_resp: { status_code: code, status_msg: message } });
}

export const SUCCESS_BASE_RESP = Object.freeze({ status_code: 0, status_msg: 'success' });
