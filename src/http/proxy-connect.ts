/**
 * Requests through a proxy (chosen by proxy.ts), on node:http, node:net and node:tls:
 *  - an http target through an http(s) proxy: an ordinary forward request, the
 *    absolute URL in the request line, as curl sends it (squid's default
 *    configuration refuses CONNECT to any port but 443);
 *  - an https target through an http(s) proxy: a CONNECT tunnel with TLS to the
 *    target inside it, so the proxy sees the host and port, never the key;
 *  - any target through SOCKS5: the `socks` package's handshake on our own
 *    connection (loaded only then), the name resolved here for socks5:// and by
 *    the proxy for socks5h://.
 * Credentials in the proxy URL go as `Proxy-Authorization: Basic` or SOCKS5's
 * username/password, a user without a password included. Whatever fails at the
 * proxy is a ProxyError naming it; --timeout and Ctrl-C end every phase through
 * the request's signal.
 *
 * This replaced undici's ProxyAgent: it tunnelled http targets too, sent nothing
 * for a user without a password, had no socks5h, warned about its experimental
 * SOCKS5 on stderr, and cost 80–200 ms to load for one request; node:http and
 * node:net are loaded by every request anyway, node:tls and node:dns only when needed.
 */
import { request as httpRequest } from 'node:http';
import { type Socket, connect as netConnect, isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { ProxyError, errorCode, networkErrorInfo } from './network-errors.js';
import type { ProxyEndpoint } from './proxy.js';
import { type HttpRequest, type HttpResponse, bodyLength, exchange } from './transport.js';

export async function sendThroughProxy(proxy: ProxyEndpoint, request: HttpRequest): Promise<HttpResponse> {
  const target = new URL(request.url);
  const secure = target.protocol === 'https:';
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port) || (secure ? 443 : 80);
  const signal = request.signal;
  if (proxy.protocol === 'http:' || proxy.protocol === 'https:') {
    const socket = await connectToProxy(proxy, signal);
    if (!secure) return forward(socket, proxy, request, target);
    const tunnel = await openConnectTunnel(socket, proxy, host, port, signal);
    return send(await startTls(tunnel, host, signal), request, target);
  }
  // socks5:// resolves the name here, first, so a name this machine cannot resolve fails before any connection.
  const destination = proxy.protocol === 'socks5h:' || isIP(host) !== 0 ? host : await resolveHere(host, proxy, signal);
  const socket = await connectToProxy(proxy, signal);
  const tunnel = await openSocksTunnel(socket, proxy, destination, port, signal);
  return send(secure ? await startTls(tunnel, host, signal) : tunnel, request, target);
}

/** A forward request: only a proxy answers 407, so that answer is the proxy's, about its credentials. */
async function forward(socket: Socket, proxy: ProxyEndpoint, request: HttpRequest, target: URL): Promise<HttpResponse> {
  const response = await send(socket, request, target, { proxyHeaders: proxyAuthorization(proxy) });
  if (response.status !== 407) return response;
  (response.body as { destroy?: () => void }).destroy?.();
  throw credentialsError(proxy, 'HTTP 407 Proxy Authentication Required');
}

/**
 * The request on a connection that is ready for it: a tunnel to the target, which takes the
 * path, or (`forward`) a connection to an http(s) proxy, which takes the absolute URL.
 */
function send(
  connection: Duplex,
  request: HttpRequest,
  target: URL,
  forward?: { proxyHeaders: Record<string, string> },
): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...request.headers, host: target.host, ...forward?.proxyHeaders };
  const length = bodyLength(request.body);
  if (length !== undefined) headers['content-length'] = String(length);
  const path = `${forward ? target.origin : ''}${target.pathname}${target.search}`;
  const req = httpRequest({
    method: request.method,
    path,
    headers,
    setHost: false,
    signal: request.signal,
    createConnection: () => connection as Socket,
  });
  return exchange(req, request.body);
}

function proxyAuthorization(proxy: ProxyEndpoint): Record<string, string> {
  if (!proxy.credentials) return {};
  const { username, password } = proxy.credentials;
  return { 'proxy-authorization': `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** A connection to the proxy itself (TLS for an https:// proxy); failing, a ProxyError naming it. */
async function connectToProxy(proxy: ProxyEndpoint, signal: AbortSignal | undefined): Promise<Socket> {
  const tls = proxy.protocol === 'https:';
  const socket = tls
    ? (await loadTls()).connect({
        host: proxy.hostname,
        port: proxy.port,
        servername: isIP(proxy.hostname) === 0 ? proxy.hostname : undefined,
      })
    : netConnect({ host: proxy.hostname, port: proxy.port });
  try {
    await untilAbort(signal, once(socket, tls ? 'secureConnect' : 'connect'), () => socket.destroy());
  } catch (error) {
    socket.destroy();
    if (signal?.aborted) throw error;
    const code = errorCode(error);
    const what = networkErrorInfo(code)?.text ?? (error as Error).message;
    throw new ProxyError(
      `Cannot reach the proxy ${proxy.shown} (${proxy.setBy}): ${what}${code ? ` (${code})` : ''}.`,
      code,
      startHint(proxy),
    );
  }
  return socket;
}

/** `CONNECT host:port`; anything but 2xx is the proxy's refusal. */
async function openConnectTunnel(
  socket: Socket,
  proxy: ProxyEndpoint,
  host: string,
  port: number,
  signal: AbortSignal | undefined,
): Promise<Socket> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const req = httpRequest({
    method: 'CONNECT',
    path: authority,
    headers: { host: authority, ...proxyAuthorization(proxy) },
    setHost: false,
    createConnection: () => socket,
  });
  const answered = new Promise<{ status: number; reason: string; tunnel: Socket; head: Buffer }>((resolve, reject) => {
    req.once('connect', (res, tunnel, head) => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', tunnel, head }));
    req.once('error', reject);
  });
  req.end();
  let answer: Awaited<typeof answered>;
  try {
    answer = await untilAbort(signal, answered, () => req.destroy());
  } catch (error) {
    socket.destroy();
    if (signal?.aborted) throw error;
    const code = errorCode(error);
    const what = networkErrorInfo(code)?.text ?? (error as Error).message;
    throw new ProxyError(
      `The proxy ${proxy.shown} (${proxy.setBy}) failed before the tunnel to ${authority} opened: ${what}${code ? ` (${code})` : ''}.`,
      code,
      startHint(proxy),
    );
  }
  const { status, reason, tunnel, head } = answer;
  if (status >= 200 && status < 300) {
    if (head.length > 0) tunnel.unshift(head);
    return tunnel;
  }
  tunnel.destroy();
  const answerText = `HTTP ${status}${reason ? ` ${reason}` : ''}`;
  if (status === 407) throw credentialsError(proxy, answerText);
  if (status === 502 || status === 503 || status === 504) {
    throw new ProxyError(
      `The proxy ${proxy.shown} (${proxy.setBy}) could not reach ${authority} (${answerText}).`,
      'ERR_PROXY_UPSTREAM',
      'The proxy is up but cannot reach the API: check its own connection and rules, then retry.',
    );
  }
  throw new ProxyError(
    `The proxy ${proxy.shown} (${proxy.setBy}) refused to open a tunnel to ${authority} (${answerText}).`,
    'ERR_PROXY_REFUSED',
    'Its rules may not allow this host or port: ask whoever runs it, or list the host in NO_PROXY to go direct.',
  );
}

/** SOCKS5 CONNECT on our connection to the proxy; username/password auth when the URL has user info. */
async function openSocksTunnel(
  socket: Socket,
  proxy: ProxyEndpoint,
  destination: string,
  port: number,
  signal: AbortSignal | undefined,
): Promise<Socket> {
  const { SocksClient } = await import('socks');
  const handshake = SocksClient.createConnection({
    command: 'connect',
    proxy: {
      host: proxy.hostname,
      port: proxy.port,
      type: 5,
      ...(proxy.credentials ? { userId: proxy.credentials.username, password: proxy.credentials.password } : {}),
    },
    destination: { host: destination, port },
    existing_socket: socket,
    // The library's own limit (30 s by default) would cut a longer --timeout short; the signal bounds it.
    timeout: 2_147_483_647,
  });
  try {
    return (await untilAbort(signal, handshake, () => socket.destroy())).socket;
  } catch (error) {
    socket.destroy();
    if (signal?.aborted) throw error;
    // Not kept as the cause: the library's error holds its options, the password among them.
    throw socksError(proxy, `${destination.includes(':') ? `[${destination}]` : destination}:${port}`, (error as Error).message);
  }
}

/** What the `socks` package's messages mean for the user. */
function socksError(proxy: ProxyEndpoint, authority: string, message: string): ProxyError {
  const reply = /rejected connection - (\w+)/.exec(message)?.[1];
  if (/authentication failed/i.test(message)) return credentialsError(proxy, 'SOCKS5 authentication failed');
  if (/no accepted authentication type/i.test(message)) return credentialsError(proxy, 'no SOCKS5 authentication method in common');
  if (reply !== undefined && /unreachable|refused|ttl/i.test(reply)) {
    return new ProxyError(
      `The proxy ${proxy.shown} (${proxy.setBy}) could not reach ${authority} (${reply}).`,
      'ERR_PROXY_UPSTREAM',
      proxy.protocol === 'socks5:'
        ? 'The proxy is up but cannot reach the API. socks5:// sends the address resolved here; socks5h:// lets the proxy resolve the name.'
        : 'The proxy is up but cannot reach the API: check its own connection and rules, then retry.',
    );
  }
  if (reply !== undefined) {
    return new ProxyError(
      `The proxy ${proxy.shown} (${proxy.setBy}) refused the connection to ${authority} (${reply}).`,
      'ERR_PROXY_REFUSED',
      'Its rules may not allow this host or port: ask whoever runs it, or list the host in NO_PROXY to go direct.',
    );
  }
  return new ProxyError(
    `The proxy ${proxy.shown} (${proxy.setBy}) did not complete the SOCKS5 handshake: ${message}.`,
    'ERR_PROXY_PROTOCOL',
    'Is it a SOCKS5 proxy? An HTTP proxy is written http://host:port.',
  );
}

function credentialsError(proxy: ProxyEndpoint, answer: string): ProxyError {
  return new ProxyError(
    proxy.credentials
      ? `The proxy ${proxy.shown} (${proxy.setBy}) did not accept the credentials in ${proxy.setBy} (${answer}).`
      : `The proxy ${proxy.shown} (${proxy.setBy}) wants credentials (${answer}).`,
    'ERR_PROXY_AUTH',
    `Give them in the proxy URL: ${proxy.protocol}//user:password@host:port (percent-encode @ : / in them).`,
  );
}

/** socks5:// sends an address: resolve the name here, as curl does. */
async function resolveHere(host: string, proxy: ProxyEndpoint, signal: AbortSignal | undefined): Promise<string> {
  try {
    const { lookup } = await import('node:dns/promises');
    return (await untilAbort(signal, lookup(host), () => undefined)).address;
  } catch (error) {
    if (signal?.aborted) throw error;
    const code = errorCode(error);
    const what = networkErrorInfo(code)?.text ?? (error as Error).message;
    throw new ProxyError(
      `Cannot resolve ${host} for the SOCKS5 proxy ${proxy.shown} (${proxy.setBy}): ${what}${code ? ` (${code})` : ''}.`,
      code,
      'socks5:// resolves names on this machine; socks5h:// lets the proxy resolve them.',
    );
  }
}

/** TLS to the target through the tunnel, checked against the target's name (not the proxy's). */
async function startTls(tunnel: Duplex, host: string, signal: AbortSignal | undefined): Promise<Socket> {
  const socket = (await loadTls()).connect({ socket: tunnel, host, servername: isIP(host) === 0 ? host : undefined });
  await untilAbort(signal, once(socket, 'secureConnect'), () => socket.destroy()).catch((error: unknown) => {
    socket.destroy();
    throw error;
  });
  return socket;
}

/**
 * node:tls (~5 ms to load) only when TLS is needed: an http target through an http proxy
 * never is. Loaded before a connection starts, so its listeners are attached at once.
 */
async function loadTls(): Promise<typeof import('node:tls')> {
  return import('node:tls');
}

function startHint(proxy: ProxyEndpoint): string {
  return proxy.setBy === 'config proxy'
    ? 'Start the proxy, or change it: mmx config set --key proxy --value http://host:port (mmx config unset proxy to go direct).'
    : `Start the proxy, or fix or unset ${proxy.setBy}; NO_PROXY lists hosts to reach directly.`;
}

/** Resolves on `event`, rejects on the socket's error. */
function once(socket: Socket, event: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      socket.off(event, onEvent);
      reject(error);
    };
    const onEvent = () => {
      socket.off('error', onError);
      resolve();
    };
    socket.once(event, onEvent);
    socket.once('error', onError);
  });
}

/** `work`, or the signal's reason as soon as it is aborted (after `onAbort` released what the work holds). */
async function untilAbort<T>(signal: AbortSignal | undefined, work: Promise<T>, onAbort: () => void): Promise<T> {
  if (!signal) return work;
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => {
      onAbort();
      reject(signal.reason);
    };
    if (signal.aborted) listener();
    else signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (listener) signal.removeEventListener('abort', listener);
  }
}
