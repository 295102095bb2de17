/**
 * Which proxy a request uses: the one rule (`proxyFor`, pure), what a proxy URL
 * means (`parseProxy`), and the transport that routes each request by them. The
 * connection work lives in proxy-connect.ts, loaded only when a proxy applies.
 *
 * The rule, for a target URL:
 *  - NO_PROXY covers the host: direct, whatever else is set.
 *  - an https target: HTTPS_PROXY, else ALL_PROXY, else HTTP_PROXY (mmx-cli sends
 *    everything through HTTP_PROXY, and many setups export only that one);
 *  - an http target: HTTP_PROXY, else ALL_PROXY;
 *  - else the config `proxy`; else direct.
 * Each variable is read lower case first (`https_proxy` over `HTTPS_PROXY`), as curl
 * does; an empty lower-case one still hides its upper-case twin.
 */
import type { Env } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { maskProxyUrl } from './mask-url.js';
import type { Transport } from './transport.js';

/** A proxy setting that applies to a request, as written. */
export interface ProxyChoice {
  /** The value, trimmed; not checked yet (see parseProxy). */
  readonly url: string;
  /** Where it was set, as spelled: `https_proxy`, `HTTP_PROXY`, `config proxy`. */
  readonly setBy: string;
}

export type ProxyProtocol = 'http:' | 'https:' | 'socks5:' | 'socks5h:';

/** A proxy mmx can use. */
export interface ProxyEndpoint {
  readonly protocol: ProxyProtocol;
  /** Without brackets for IPv6. */
  readonly hostname: string;
  readonly port: number;
  /** Decoded; `undefined` when the URL has no user info. A user without a password has password ''. */
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
  /** The URL as mmx shows it: `http://…@127.0.0.1:7890`, never a user or a password. */
  readonly shown: string;
  readonly setBy: string;
}

const DEFAULT_PORT: Readonly<Record<ProxyProtocol, number>> = { 'http:': 80, 'https:': 443, 'socks5:': 1080, 'socks5h:': 1080 };

/** The value of one variable, lower case first; `setBy` is the spelling that was found. */
function envValue(env: Env, name: string): { value: string | undefined; setBy: string } | undefined {
  for (const setBy of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[setBy];
    if (value !== undefined) return { value: value.trim() === '' ? undefined : value.trim(), setBy };
  }
  return undefined;
}

/** The proxy a request to `target` should use, or undefined for a direct connection. */
export function proxyFor(target: string, env: Env, configProxy?: string | undefined): ProxyChoice | undefined {
  const url = new URL(target);
  if (noProxyCovers(url, envValue(env, 'no_proxy')?.value)) return undefined;
  const names = url.protocol === 'https:' ? ['https_proxy', 'all_proxy', 'http_proxy'] : ['http_proxy', 'all_proxy'];
  for (const name of names) {
    const found = envValue(env, name);
    if (found?.value !== undefined) return { url: found.value, setBy: found.setBy };
  }
  const fromConfig = configProxy?.trim();
  return fromConfig ? { url: fromConfig, setBy: 'config proxy' } : undefined;
}

/**
 * A proxy setting checked and taken apart. Written without a scheme (`127.0.0.1:7890`)
 * it is an http proxy, as curl reads it. A bad one is a usage error naming the setting,
 * with the URL masked: it may hold a password.
 */
export function parseProxy(choice: ProxyChoice): ProxyEndpoint {
  const shown = maskProxyUrl(choice.url);
  const hint = 'Write it as http://host:port or socks5h://host:port, with user:password@ before the host if the proxy needs them.';
  const written = /^[a-z][a-z\d+.-]*:\/\//i.test(choice.url) ? choice.url : `http://${choice.url}`;
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    throw new UsageError(`${choice.setBy} is not a valid proxy URL (${shown}).`, { hint });
  }
  const protocol = url.protocol as ProxyProtocol;
  if (!Object.hasOwn(DEFAULT_PORT, protocol)) {
    throw new UsageError(
      `${choice.setBy} names a ${url.protocol.slice(0, -1)} proxy (${shown}); mmx speaks http, https, socks5 and socks5h.`,
      {
        hint,
      },
    );
  }
  if (url.hostname === '') throw new UsageError(`${choice.setBy} names no proxy host (${shown}).`, { hint });
  const hasCredentials = url.username !== '' || url.password !== '';
  return {
    protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? DEFAULT_PORT[protocol] : Number(url.port),
    credentials: hasCredentials ? { username: decoded(url.username), password: decoded(url.password) } : undefined,
    shown,
    setBy: choice.setBy,
  };
}

function decoded(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

/** The --verbose line saying how a request goes through `proxy`. */
export function describeRoute(proxy: ProxyEndpoint, target: string): string {
  const url = new URL(target);
  const hostPort = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const via = `* proxy ${proxy.shown} (${proxy.setBy})`;
  if (proxy.protocol === 'socks5:') return `${via}: SOCKS5 to ${hostPort}, the name resolved here`;
  if (proxy.protocol === 'socks5h:') return `${via}: SOCKS5 to ${hostPort}, the name resolved by the proxy`;
  return url.protocol === 'https:' ? `${via}: CONNECT ${hostPort}, TLS to the host inside` : `${via}: the request in absolute form`;
}

/** `direct` for requests no proxy applies to; the others go through theirs, with a --verbose line saying how. */
export function withProxy(direct: Transport, env: Env, configProxy: string | undefined, log?: (line: string) => void): Transport {
  return async (request) => {
    const choice = proxyFor(request.url, env, configProxy);
    if (choice === undefined) return direct(request);
    const proxy = parseProxy(choice);
    log?.(describeRoute(proxy, request.url));
    const { sendThroughProxy } = await import('./proxy-connect.js');
    return sendThroughProxy(proxy, request);
  };
}

// --- NO_PROXY ---------------------------------------------------------------------------

/**
 * Whether NO_PROXY exempts `url`. Entries, split on commas or spaces: `*`; a host name,
 * which covers its subdomains too (`example.com`, `.example.com`, `*.example.com`); any
 * of those with `:port`; an IP address (`10.1.2.3`, `::1`, `[::1]`, `[::1]:8443`); a
 * CIDR range (`10.0.0.0/8`, `fd00::/8`). Addresses match only a host written as an
 * address: names are never resolved to check them, as in curl.
 */
export function noProxyCovers(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const hostIp = parseIp(host);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .some((entry) => entry !== '' && entryCovers(entry, host, hostIp, port));
}

function entryCovers(entry: string, host: string, hostIp: Ip | undefined, port: string): boolean {
  if (entry === '*') return true;
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const range = parseIp(entry.slice(0, slash).replace(/^\[|\]$/g, ''));
    const bits = Number(entry.slice(slash + 1));
    return range !== undefined && hostIp !== undefined && /^\d+$/.test(entry.slice(slash + 1)) && inRange(hostIp, range, bits);
  }
  // An address alone (`::1` has colons, but no port), `[v6]` with an optional port, then `host[:port]`.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const whole = bracketed ? undefined : parseIp(entry);
  const [entryHost, entryPort] = bracketed ? [bracketed[1] ?? '', bracketed[2]] : whole ? [entry, undefined] : splitPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  const entryIp = whole ?? parseIp(entryHost);
  if (entryIp !== undefined) return hostIp !== undefined && inRange(hostIp, entryIp, entryIp.family === 4 ? 32 : 128);
  const name = entryHost.replace(/^\*?\./, '').replace(/\.$/, '');
  return name !== '' && (host === name || host.endsWith(`.${name}`));
}

function splitPort(entry: string): [string, string | undefined] {
  const match = /^(.*):(\d+)$/.exec(entry);
  return match ? [match[1] ?? '', match[2]] : [entry, undefined];
}

/** An IP address as a number of 32 (IPv4) or 128 (IPv6) bits. */
interface Ip {
  family: 4 | 6;
  value: bigint;
}

function inRange(ip: Ip, range: Ip, bits: number): boolean {
  const width = ip.family === 4 ? 32 : 128;
  if (ip.family !== range.family || bits > width) return false;
  const shift = BigInt(width - bits);
  return ip.value >> shift === range.value >> shift;
}

/**
 * Dotted IPv4 and IPv6 (with `::`, an embedded IPv4 tail, a zone id ignored). Written
 * here rather than with node:net's BlockList: proxyFor is synchronous, runs in commands
 * that never connect (config show, auth status --offline), and node:net costs 2–4 ms to load.
 */
export function parseIp(text: string): Ip | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const address = text.replace(/%.*$/, '');
  if (!address.includes(':')) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined): number[] | undefined => {
    if (part === undefined || part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const tail = parseIpv4(piece);
        if (tail === undefined) return undefined;
        out.push(Number(tail >> 16n), Number(tail & 0xffffn));
      } else if (/^[\da-f]{1,4}$/i.test(piece)) out.push(parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<number>(missing).fill(0), ...tail];
  return { family: 6, value: all.reduce((sum, group) => (sum << 16n) | BigInt(group), 0n) };
}

function parseIpv4(text: string): bigint | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n);
}
