/**
 * URLs as mmx shows them (in --verbose lines and errors): a signed CDN link's
 * query is its credential (`Signature=…`, `OSSAccessKeyId=…`), so every query
 * value, a bare query token, user info and the fragment are replaced with `…`;
 * the scheme, host, path and parameter names stay, which is what a reader
 * needs to tell links apart.
 */

const MASK = '…';

function maskParameter(pair: string): string {
  if (pair === '') return pair;
  const eq = pair.indexOf('=');
  // A bare token (`?AbC123`) may itself be the signature.
  if (eq < 0) return MASK;
  return eq === pair.length - 1 ? pair : `${pair.slice(0, eq)}=${MASK}`;
}

/** `https://cdn.example/v/a.mp4?Expires=1&Signature=s` → `https://cdn.example/v/a.mp4?Expires=…&Signature=…`. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(not a valid URL)';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol}${MASK}`;
  const userInfo = parsed.username !== '' || parsed.password !== '' ? `${MASK}@` : '';
  const query = parsed.search === '' ? '' : `?${parsed.search.slice(1).split('&').map(maskParameter).join('&')}`;
  const fragment = parsed.hash === '' ? '' : `#${MASK}`;
  return `${parsed.protocol}//${userInfo}${parsed.host}${parsed.pathname}${query}${fragment}`;
}

/**
 * A proxy URL as mmx shows it, whatever its shape (it may not parse): the scheme
 * (`http://` when none is written, as curl reads `host:port`), then the host and
 * port. User info is replaced with `…` up to the last `@`, so a password with a
 * stray `@` or `/` in it is hidden too; a path is dropped.
 * `http://user:secret@10.0.0.1:3128` → `http://…@10.0.0.1:3128`.
 */
export function maskProxyUrl(raw: string): string {
  const text = raw.trim();
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(text);
  let rest = scheme ? text.slice(scheme[0].length) : text;
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(at + 1);
  const host = rest.split(/[/?#]/, 1)[0] ?? '';
  return `${scheme ? scheme[1]?.toLowerCase() : 'http'}://${at >= 0 ? `${MASK}@` : ''}${host}`;
}
