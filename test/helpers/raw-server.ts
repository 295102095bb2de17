/**
 * A bare node:http server for tests that need a server no emulator models: one that stalls,
 * never ends, compresses, or sends something malformed. It never crashes on a client that
 * leaves, and closes every socket when closed.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RawServer {
  url: string;
  /** What answers the next requests (replaceable per test). */
  respond: (req: IncomingMessage, res: ServerResponse) => void;
  /** The headers of the last request. */
  lastHeaders: IncomingMessage['headers'];
  /** Resolves when the last request's connection closed. */
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function startRawServer(respond: RawServer['respond'] = (_req, res) => res.end()): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const state: RawServer = {
    url: '',
    respond,
    lastHeaders: {},
    closed: Promise.resolve(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    state.lastHeaders = req.headers;
    state.closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
    req.resume();
    state.respond(req, res);
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
