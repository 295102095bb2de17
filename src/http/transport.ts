/**
 * The transport is the client's only door to the network: a small interface
 * instead of `fetch`, because Node's global fetch (and Response) load its bundled
 * undici, which costs more start-up than the whole rest of a quota call. The
 * default speaks node:http/https (which msw intercepts in tests); requests a
 * proxy applies to go through proxy.ts instead.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';

/** A body streamed from its source (a file, a multipart body) with its length known up front. */
export interface StreamingBody {
  readonly length: number;
  open(): AsyncIterable<Uint8Array>;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | StreamingBody | undefined;
  signal?: AbortSignal | undefined;
}

/** The byte length of a request body, which every request declares (no chunked uploads). */
export function bodyLength(body: HttpRequest['body']): number | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return body.length;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body as it arrives. Read it once: either iterate it or call text(). */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return Buffer.concat(parts).toString('utf8');
}

export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function fromIncoming(res: IncomingMessage): HttpResponse {
  return {
    status: res.statusCode ?? 0,
    headers: flattenHeaders(res.headers),
    body: res,
    text: () => readText(res),
  };
}

/** A transport over node:http / node:https, one request per call, keep-alive off (one-shot CLI). */
export function nodeTransport(): Transport {
  return async (request) => {
    const url = new URL(request.url);
    // `.default` is the live module object: interceptors (msw in tests) patch its `request`.
    const mod = (url.protocol === 'https:' ? await import('node:https') : await import('node:http')).default;
    const headers: Record<string, string> = { ...request.headers };
    const length = bodyLength(request.body);
    if (length !== undefined) headers['content-length'] = String(length);
    return exchange(mod.request(url, { method: request.method, headers, signal: request.signal, agent: false }), request.body);
  };
}

/**
 * Sends `body` on a request already made (here, or on a proxy's connection in
 * proxy-connect.ts) and resolves its response; a file body is streamed with
 * backpressure, and a read error (a file that vanished) fails the request.
 */
export function exchange(req: ClientRequest, body: HttpRequest['body']): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    req.on('response', (res) => resolve(fromIncoming(res)));
    req.on('error', reject);
    if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
      req.end(body);
      return;
    }
    void (async () => {
      try {
        for await (const chunk of body.open()) {
          if (!req.write(chunk)) await new Promise<void>((drained) => req.once('drain', drained));
        }
        req.end();
      } catch (error) {
        req.destroy(error as Error);
      }
    })();
  });
}
