/**
 * The transport is the client's only door to the network: a small interface
 * instead of `fetch`, because Node's global fetch (and Response) load its bundled
 * undici, which costs more start-up than the whole rest of a quota call. The
 * default speaks node:http/https (which msw intercepts in tests); undici is
 * loaded only when a proxy applies (see proxy.ts).
 */
import type { IncomingMessage } from 'node:http';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
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
    return new Promise<HttpResponse>((resolve, reject) => {
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
      const req = mod.request(url, { method: request.method, headers, signal: request.signal, agent: false }, (res) =>
        resolve(fromIncoming(res)),
      );
      req.on('error', reject);
      req.end(request.body);
    });
  };
}
