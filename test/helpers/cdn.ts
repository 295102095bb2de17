/**
 * A CDN stand-in on loopback, on its own origin (apart from the API emulator's),
 * that records every request and misbehaves on demand, by path (the query, a
 * stand-in signature, is ignored for routing):
 *
 * - `/v/<name>`: the file, with Content-Length, in 16 kB writes.
 * - `/chunked/<name>`: the file without a length.
 * - `/hop/<n>/<name>`: n redirects (relative Locations, query kept), then the file.
 * - `/to-ftp`: a redirect to an ftp:// link.
 * - `/status/<code>`: that status, with a small body.
 * - `/cut/<name>`: half the file, then the socket is destroyed.
 * - `/stall/<name>`: 16 kB, then silence for good.
 * - `/hang`: never answers.
 * - `/halves/<name>`: half the file, then the rest once `release()` is called.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface CdnRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Cdn {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  file: Buffer;
  requests: CdnRequest[];
  /** Resolves when a `/halves/` or `/stall/` response has sent its first part. */
  firstPartSent(): Promise<void>;
  release(): void;
  reset(): void;
  close(): Promise<void>;
}

const CHUNK = 16 * 1024;

async function writeAll(res: ServerResponse, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length; at += CHUNK) {
    if (!res.write(data.subarray(at, at + CHUNK))) await new Promise<void>((r) => res.once('drain', () => r()));
  }
}

export async function startCdn(size = 300 * 1024): Promise<Cdn> {
  const file = randomBytes(size);
  const half = file.subarray(0, Math.floor(size / 2));
  const requests: CdnRequest[] = [];
  const sockets = new Set<Socket>();
  let onFirstPart: (() => void) | undefined;
  let firstPart = new Promise<void>((r) => (onFirstPart = r));
  let onRelease: (() => void) | undefined;
  let released = new Promise<void>((r) => (onRelease = r));

  const server = createServer(async (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://cdn');
    const [, kind = '', ...rest] = url.pathname.split('/');
    const full = { 'content-type': 'video/mp4', 'content-length': String(file.length) };
    switch (kind) {
      case 'v':
        res.writeHead(200, full);
        await writeAll(res, file);
        res.end();
        return;
      case 'chunked':
        res.writeHead(200, { 'content-type': 'video/mp4' });
        await writeAll(res, file);
        res.end();
        return;
      case 'hop': {
        const n = Number(rest[0]);
        const name = rest.slice(1).join('/');
        const next = n > 0 ? `../${n - 1}/${name}` : `/v/${name}`;
        res.writeHead(302, { location: `${next}${url.search}`, 'content-type': 'text/plain' }).end('moved');
        return;
      }
      case 'to-ftp':
        res.writeHead(302, { location: 'ftp://files.example/a.mp4?Signature=secret' }).end();
        return;
      case 'status':
        res.writeHead(Number(rest[0]), { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      case 'cut':
        res.writeHead(200, full);
        await writeAll(res, half);
        res.write('', () => setTimeout(() => req.socket.destroy(), 20));
        return;
      case 'stall':
        res.writeHead(200, full);
        res.write(file.subarray(0, CHUNK), () => onFirstPart?.());
        return;
      case 'hang':
        return;
      case 'halves':
        res.writeHead(200, full);
        await writeAll(res, half);
        res.write('', () => onFirstPart?.());
        await released;
        await writeAll(res, file.subarray(half.length));
        res.end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    file,
    requests,
    firstPartSent: () => firstPart,
    release: () => onRelease?.(),
    reset() {
      requests.length = 0;
      firstPart = new Promise<void>((r) => (onFirstPart = r));
      released = new Promise<void>((r) => (onRelease = r));
    },
    close: () =>
      new Promise<void>((r) => {
        onRelease?.();
        for (const socket of sockets) socket.destroy();
        server.close(() => r());
      }),
  };
}
