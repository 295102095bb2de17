/**
 * A stand-in for the object storage MiniMax hands out download links to
 * (images, videos, subtitles, voice files on aliyuncs.com and the like): files
 * are put in by the emulator's media routes and served at signed, expiring URLs
 * on an origin of their own, so tests can prove that no API key ever reaches
 * it. A fetch-style handler, served like the emulator by `startEmulatorServer`.
 */
import { createHmac } from 'node:crypto';

export interface CdnRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export interface Cdn {
  /** Every request, as received. */
  readonly requests: CdnRequest[];
  /** Stores a file; `url` turns its path into a signed link. */
  put(path: string, bytes: Uint8Array, contentType: string): void;
  /** A link to `path` on `origin` that expires after `ttlMs` (default one day). */
  signedUrl(origin: string, path: string, ttlMs?: number): string;
  handle(request: Request): Promise<Response>;
  /** The next GET of a file sends only its first `bytes` and then breaks the connection. */
  cutNext(bytes: number): void;
}

export function createCdn(options: { now?: () => number; secret?: string } = {}): Cdn {
  const now = options.now ?? Date.now;
  const secret = options.secret ?? 'emulator-cdn-secret';
  const files = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const requests: CdnRequest[] = [];
  let cut: number | undefined;
  const sign = (path: string, expires: string) => createHmac('sha256', secret).update(`${path}\n${expires}`).digest('hex').slice(0, 32);
  const denied = (code: string, message: string, status = 403) =>
    new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`, {
      status,
      headers: { 'content-type': 'application/xml' },
    });
  return {
    requests,
    put(path, bytes, contentType) {
      files.set(path, { bytes, contentType });
    },
    signedUrl(origin, path, ttlMs = 86_400_000) {
      const expires = String(Math.floor((now() + ttlMs) / 1000));
      return `${origin}${path}?Expires=${expires}&OSSAccessKeyId=LTAIemulator&Signature=${sign(path, expires)}`;
    },
    cutNext(bytes) {
      cut = bytes;
    },
    async handle(request) {
      const url = new URL(request.url);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      requests.push({ method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers });
      const file = files.get(url.pathname);
      if (request.method !== 'GET' || file === undefined) return denied('NoSuchKey', 'The specified key does not exist.', 404);
      const expires = url.searchParams.get('Expires') ?? '';
      if (url.searchParams.get('Signature') !== sign(url.pathname, expires))
        return denied('SignatureDoesNotMatch', 'The request signature does not match.');
      if (Number(expires) * 1000 < now()) return denied('AccessDenied', 'Request has expired.');
      const limit = cut;
      cut = undefined;
      if (limit === undefined) {
        return new Response(file.bytes, { headers: { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) } });
      }
      // The length is announced in full, then the body breaks off: a download cut mid-way.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(file.bytes.slice(0, limit));
          controller.error(new Error('emulator CDN: connection cut'));
        },
      });
      return new Response(body, { headers: { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) } });
    },
  };
}
