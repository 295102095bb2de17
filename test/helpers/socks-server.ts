/**
 * A SOCKS5 proxy on loopback for tests (RFC 1928, RFC 1929), written on node:net:
 * the greeting, optional username/password, and CONNECT to an IPv4, IPv6 or domain
 * address. It records what each client offered and sent, above all whether the target
 * arrived as a name (socks5h: the proxy resolves it, here from `hosts`) or as an address
 * (socks5: the client resolved it), and the bytes sent inside each tunnel.
 */
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';

export interface SocksConnect {
  addressType: 'ipv4' | 'ipv6' | 'domain';
  host: string;
  port: number;
}

export interface SocksServerOptions {
  /** `user:password` the proxy demands (method 2); without it only "no authentication" (method 0) is accepted. */
  requireCredentials?: string;
  /** The names this proxy can resolve (a domain CONNECT to any other is "host unreachable"). */
  hosts?: Readonly<Record<string, string>>;
}

export interface SocksServer {
  /** `socks5://127.0.0.1:port`. */
  url: string;
  port: number;
  /** The authentication methods each greeting offered (0 none, 2 username/password). */
  methods: number[][];
  /** `user:password` of each username/password negotiation. */
  credentials: string[];
  connects: SocksConnect[];
  /** Everything the client sent inside each tunnel that opened. */
  tunnelBytes: Buffer[];
  reset(): void;
  close(): Promise<void>;
}

const REPLY = { succeeded: 0, hostUnreachable: 4, connectionRefused: 5, commandNotSupported: 7, addressNotSupported: 8 } as const;

export async function startSocksServer(options: SocksServerOptions = {}): Promise<SocksServer> {
  const methods: number[][] = [];
  const credentials: string[] = [];
  const connects: SocksConnect[] = [];
  const tunnelBytes: Buffer[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let state: 'greeting' | 'auth' | 'request' | 'done' = 'greeting';
    const reply = (code: number) => client.end(Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]));

    const tunnel = (host: string, port: number, early: Buffer) => {
      const upstream = connect(port, host);
      sockets.add(upstream);
      let open = false;
      upstream.on('error', () => (open ? client.destroy() : reply(REPLY.connectionRefused)));
      upstream.on('connect', () => {
        open = true;
        client.off('data', onData);
        const index = tunnelBytes.push(early) - 1;
        client.write(Buffer.from([5, REPLY.succeeded, 0, 1, 127, 0, 0, 1, 0, 0]));
        upstream.write(early);
        client.on('data', (chunk: Buffer) => (tunnelBytes[index] = Buffer.concat([tunnelBytes[index] ?? Buffer.alloc(0), chunk])));
        client.pipe(upstream);
        upstream.pipe(client);
      });
      client.on('close', () => upstream.destroy());
    };

    /** Handles as much of the buffer as is complete; returns false when it needs more bytes. */
    const step = (): boolean => {
      if (state === 'greeting') {
        const count = buffer[1];
        if (count === undefined || buffer.length < 2 + count) return false;
        if (buffer[0] !== 5) {
          client.destroy();
          return false;
        }
        const offered = [...buffer.subarray(2, 2 + count)];
        buffer = buffer.subarray(2 + count);
        methods.push(offered);
        const wanted = options.requireCredentials === undefined ? 0 : 2;
        if (!offered.includes(wanted)) {
          state = 'done';
          client.end(Buffer.from([5, 0xff]));
          return false;
        }
        client.write(Buffer.from([5, wanted]));
        state = wanted === 2 ? 'auth' : 'request';
        return true;
      }
      if (state === 'auth') {
        const userLength = buffer[1];
        if (userLength === undefined) return false;
        const passwordLength = buffer[2 + userLength];
        if (passwordLength === undefined || buffer.length < 3 + userLength + passwordLength) return false;
        const user = buffer.subarray(2, 2 + userLength).toString('utf8');
        const password = buffer.subarray(3 + userLength, 3 + userLength + passwordLength).toString('utf8');
        buffer = buffer.subarray(3 + userLength + passwordLength);
        credentials.push(`${user}:${password}`);
        const accepted = `${user}:${password}` === options.requireCredentials;
        client.write(Buffer.from([1, accepted ? 0 : 1]));
        if (!accepted) {
          state = 'done';
          client.end();
          return false;
        }
        state = 'request';
        return true;
      }
      if (state === 'request') {
        const type = buffer[3];
        if (type === undefined || buffer.length < 5) return false;
        const addressLength = type === 1 ? 4 : type === 4 ? 16 : type === 3 ? 1 + (buffer[4] as number) : -1;
        if (addressLength < 0) {
          state = 'done';
          reply(REPLY.addressNotSupported);
          return false;
        }
        if (buffer.length < 4 + addressLength + 2) return false;
        const address = buffer.subarray(4, 4 + addressLength);
        const host =
          type === 1
            ? [...address].join('.')
            : type === 3
              ? address.subarray(1).toString('utf8')
              : Array.from({ length: 8 }, (_, i) => address.readUInt16BE(i * 2).toString(16)).join(':');
        const port = buffer.readUInt16BE(4 + addressLength);
        const early = buffer.subarray(4 + addressLength + 2);
        state = 'done';
        connects.push({ addressType: type === 1 ? 'ipv4' : type === 3 ? 'domain' : 'ipv6', host, port });
        if (buffer[1] !== 1) reply(REPLY.commandNotSupported);
        else {
          const target = type === 3 ? options.hosts?.[host] : host;
          if (target === undefined) reply(REPLY.hostUnreachable);
          else tunnel(target, port, early);
        }
        return false;
      }
      return false;
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (step());
    };
    client.on('data', onData);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    methods,
    credentials,
    connects,
    tunnelBytes,
    reset() {
      for (const list of [methods, credentials, connects, tunnelBytes]) list.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
