/**
 * A small forward proxy on loopback that records what goes through it: absolute-form
 * requests (how an http target is reached) and CONNECT tunnels (an https target), with
 * the credentials each carried and the bytes sent inside each tunnel. Options make it
 * behave like the proxies users have: squid's default rules (CONNECT to port 443 only),
 * a proxy that wants a user and password (407 without them), one served over TLS.
 */
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo, type Socket, connect } from 'node:net';

export interface ProxyLog {
  /** `CONNECT host:port` or `METHOD absolute-url`. */
  entries: string[];
  /** The headers of each entry, as the proxy received them (a tunnel's are the CONNECT's own). */
  headers: IncomingHttpHeaders[];
  /** What each entry's `Proxy-Authorization: Basic` decodes to (`user:password`), or undefined without one. */
  credentials: Array<string | undefined>;
  /** Everything the client sent inside each tunnel that opened, in order. */
  tunnelBytes: Buffer[];
}

export interface RecordingProxyOptions {
  /** `user:password` the proxy demands: anything else gets 407. */
  requireCredentials?: string;
  /** The ports CONNECT may reach (squid's default is 443 only); others get 403. */
  connectPorts?: readonly number[];
  /** Serve the proxy itself over TLS (an https:// proxy). */
  tls?: { key: Buffer; cert: Buffer };
}

export interface RecordingProxy extends ProxyLog {
  url: string;
  reset(): void;
  close(): Promise<void>;
}

function basicCredentials(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['proxy-authorization'];
  const match = typeof value === 'string' ? /^Basic\s+(\S+)$/i.exec(value) : null;
  return match ? Buffer.from(match[1] ?? '', 'base64').toString('utf8') : undefined;
}

export async function startRecordingProxy(options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const log: ProxyLog = { entries: [], headers: [], credentials: [], tunnelBytes: [] };
  const sockets = new Set<Socket>();
  const record = (entry: string, headers: IncomingHttpHeaders): boolean => {
    const credentials = basicCredentials(headers);
    log.entries.push(entry);
    log.headers.push(headers);
    log.credentials.push(credentials);
    return options.requireCredentials === undefined || credentials === options.requireCredentials;
  };
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    if (!record(`${req.method} ${req.url}`, req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-length': '0' }).end();
      return;
    }
    // A proxy's own headers stop at the proxy, as squid drops them.
    const { 'proxy-authorization': _auth, 'proxy-connection': _connection, ...headers } = req.headers;
    const upstream = httpRequest(req.url ?? '', { method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };
  const server = options.tls ? createTlsServer(options.tls, forward) : createServer(forward);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('error', () => undefined);
    if (!record(`CONNECT ${req.url}`, req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const match = /^(.*):(\d+)$/.exec(req.url ?? '');
    const host = (match?.[1] ?? '').replace(/^\[|\]$/g, '');
    const port = Number(match?.[2]);
    if (options.connectPorts && !options.connectPorts.includes(port)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const index = log.tunnelBytes.push(head) - 1;
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => (log.tunnelBytes[index] = Buffer.concat([log.tunnelBytes[index] ?? Buffer.alloc(0), chunk])));
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...log,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    reset() {
      for (const list of Object.values(log)) list.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
