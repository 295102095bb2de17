/**
 * Proxies: HTTPS_PROXY for https targets, HTTP_PROXY for http targets, ALL_PROXY
 * as the fallback for both (undici's EnvHttpProxyAgent does not read it), then
 * the config `proxy`; NO_PROXY exempts hosts. Lower-case forms win, as in curl.
 * undici is imported only when a request really goes through a proxy.
 */
import type { Env } from '../config/settings.js';
import { Readable } from 'node:stream';
import { bodyLength, flattenHeaders, readText, type HttpResponse, type Transport } from './transport.js';

function envValue(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function bypassed(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const [entryHost = '', entryPort] = entry.replace(/^\*?\./, '.').split(/:(?=\d+$)/);
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = entryHost.replace(/^\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** The proxy URL a request to `target` should use, or undefined for a direct connection. */
export function proxyFor(target: string, env: Env, configProxy?: string | undefined): string | undefined {
  const url = new URL(target);
  if (bypassed(url, envValue(env, 'no_proxy'))) return undefined;
  const scheme = url.protocol === 'https:' ? envValue(env, 'https_proxy') : envValue(env, 'http_proxy');
  return scheme ?? envValue(env, 'all_proxy') ?? (configProxy?.trim() || undefined);
}

export function withProxy(direct: Transport, env: Env, configProxy?: string | undefined): Transport {
  return async (request) => {
    const proxy = proxyFor(request.url, env, configProxy);
    if (proxy === undefined) return direct(request);
    const { request: undiciRequest, ProxyAgent } = await import('undici');
    const dispatcher = new ProxyAgent(proxy);
    const body = request.body;
    const length = bodyLength(body);
    const res = await undiciRequest(request.url, {
      method: request.method as 'GET',
      headers: length === undefined ? request.headers : { ...request.headers, 'content-length': String(length) },
      body: body === undefined || typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body.open()),
      signal: request.signal,
      dispatcher,
    });
    const response: HttpResponse = {
      status: res.statusCode,
      headers: flattenHeaders(res.headers as Record<string, string | string[] | undefined>),
      body: res.body,
      text: () => readText(res.body),
    };
    return response;
  };
}
