/**
 * Proxies: HTTPS_PROXY for https targets, HTTP_PROXY for http targets, ALL_PROXY
 * as the fallback for both (undici's EnvHttpProxyAgent does not read it), then
 * the config `proxy`; NO_PROXY exempts hosts. Lower-case forms win, as in curl.
 * undici is imported only when a request really goes through a proxy.
 */
import { type Env, quoteUrl } from '../config/settings.js';
import { UsageError } from '../errors.js';
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

/** Which spelling `envValue` read (the lower-case one when it is set at all), for messages. */
function envName(env: Env, name: string): string {
  return env[name.toLowerCase()] !== undefined ? name.toLowerCase() : name.toUpperCase();
}

/** The proxy for `target` and where it was set, or undefined for a direct connection. */
function chosenProxy(target: string, env: Env, configProxy?: string | undefined): { url: string; setBy: string } | undefined {
  const url = new URL(target);
  if (bypassed(url, envValue(env, 'no_proxy'))) return undefined;
  for (const name of [url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY', 'ALL_PROXY']) {
    const value = envValue(env, name);
    if (value !== undefined) return { url: value, setBy: envName(env, name) };
  }
  const stored = configProxy?.trim();
  return stored ? { url: stored, setBy: 'config proxy' } : undefined;
}

/** The proxy URL a request to `target` should use, or undefined for a direct connection. */
export function proxyFor(target: string, env: Env, configProxy?: string | undefined): string | undefined {
  return chosenProxy(target, env, configProxy)?.url;
}

export function withProxy(direct: Transport, env: Env, configProxy?: string | undefined): Transport {
  return async (request) => {
    const chosen = chosenProxy(request.url, env, configProxy);
    if (chosen === undefined) return direct(request);
    const proxy = chosen.url;
    const scheme = URL.canParse(proxy) ? new URL(proxy).protocol : undefined;
    if (scheme !== 'http:' && scheme !== 'https:') {
      // A setting of the user's environment, not a network failure (and not a bug in mmx).
      throw new UsageError(`${chosen.setBy} is not an http:// or https:// proxy URL (got "${quoteUrl(proxy)}").`, {
        hint: 'Write it as http://host:port, or unset it to connect directly.',
      });
    }
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
