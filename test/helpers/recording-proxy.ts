/**
 * A small forward proxy on loopback that records what goes through it: absolute-form
 * requests for http targets, and CONNECT tunnels (undici's default for every target).
 */
import { type IncomingHttpHeaders, createServer, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxyLog {
  /** `CONNECT host:port` or `METHOD absolute-url`. */
  entries: string[];
  /** The headers of each entry, as the proxy received them (a tunnel's are the CONNECT's own). */
  headers: IncomingHttpHeaders[];
}

export async function startRecordingProxy(): Promise<ProxyLog & { url: string; close(): Promise<void> }> {
  const entries: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    entries.push(`${req.method} ${req.url}`);
    headers.push(req.headers);
    const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head) => {
    entries.push(`CONNECT ${req.url}`);
    headers.push(req.headers);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    entries,
    headers,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
