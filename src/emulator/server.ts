import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Emulator } from './types.js';

export interface EmulatorServerOptions {
  host?: string;
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM), e.g. to test CONNECT through a proxy. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface EmulatorServer {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:54321`. */
  url: string;
  port: number;
  /** Stops listening and destroys every open socket (kept-alive or mid-stream), so it never hangs. */
  close(): Promise<void>;
}

const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (name !== undefined && value !== undefined) headers.append(name, value);
  }
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', origin).toString();
  if (BODYLESS_METHODS.has(method.toUpperCase())) return new Request(url, { method, headers });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Request(url, { method, headers, body: Buffer.concat(chunks) });
}

/** `trace-id` → `Trace-Id`: fetch Headers lower-case names, but MiniMax clients log the header as sent. */
function canonicalHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
}

/** Resolves on 'drain' or when the socket goes away, whichever comes first. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes the fetch Response chunk by chunk as its stream produces them: slow or chunked faults stay visible. */
async function send(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(canonicalHeaderName(name), value));
  if (response.body === null) {
    res.end();
    return;
  }
  // Headers go out now, before the first body chunk, so slow streams show a prompt 200 like the real API.
  res.flushHeaders();
  const reader = response.body.getReader();
  const onClose = () => {
    if (!res.writableFinished) void reader.cancel().catch(() => undefined);
  };
  res.on('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    // A cut-stream fault with abort (or a broken reply) errors the body: drop the connection mid-response.
    res.destroy();
  } finally {
    res.off('close', onClose);
  }
}

export async function startEmulatorServer(
  emulator: Pick<Emulator, 'handle'>,
  { host = '127.0.0.1', port = 0, tls }: EmulatorServerOptions = {},
): Promise<EmulatorServer> {
  // Filled in once listening; requests cannot arrive before that.
  let origin = '';
  const listener: RequestListener = (req, res) => {
    void (async () => {
      try {
        const request = await toRequest(req, origin);
        await send(await emulator.handle(request), res);
      } catch {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('content-type', 'text/plain; charset=utf-8');
          res.end('emulator transport error');
        } else {
          res.destroy();
        }
      }
    })();
  };
  const server = tls ? createTlsServer({ ...tls, noDelay: true }, listener) : createServer({ noDelay: true }, listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `${tls ? 'https' : 'http'}://${urlHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: origin,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for kept-alive and streaming sockets; destroy them so shutdown is immediate.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
