/**
 * The auth-header strategy: the only module that knows which header carries the
 * key. Everything else asks it for headers, for the reason of a choice, and
 * whether a response rejected the header style that was sent.
 */
import type { Region } from '../config/regions.js';

export const AUTH_STYLES = ['bearer', 'x-api-key'] as const;
export type AuthStyle = (typeof AUTH_STYLES)[number];
export type AuthStyleSetting = 'auto' | AuthStyle;
export const AUTH_STYLE_SETTINGS: readonly AuthStyleSetting[] = ['auto', ...AUTH_STYLES];

/** Endpoint families: MiniMax's Anthropic gateway, its native API, and the account API. */
export const FAMILIES = ['anthropic', 'v1', 'account'] as const;
export type EndpointFamily = (typeof FAMILIES)[number];

/**
 * How a family is named to a person. `v1` is MiniMax's native API, which also
 * has `/v2/…` paths (video), so it reads "native"; JSON and config keep `v1`.
 */
export function familyLabel(family: EndpointFamily): string {
  return family === 'v1' ? 'native (/v1, /v2)' : `/${family}/*`;
}

export function familyOf(path: string): EndpointFamily {
  if (path.startsWith('/anthropic/')) return 'anthropic';
  if (path.startsWith('/account/')) return 'account';
  return 'v1';
}

/**
 * cn rejects x-api-key on /anthropic with HTTP 500 "system error (1033)" (mmx-cli
 * #59) and wants Authorization on /v1; global takes x-api-key on /anthropic (what
 * MiniMax's own CLI and the Anthropic SDK send) and Bearer on the native API.
 * Evidence per family and region: docs/minimax-api-notes.md, Auth headers.
 */
const REGION_TABLE: Readonly<Record<Region, Readonly<Record<EndpointFamily, AuthStyle>>>> = {
  cn: { anthropic: 'bearer', v1: 'bearer', account: 'bearer' },
  global: { anthropic: 'x-api-key', v1: 'bearer', account: 'bearer' },
};

export type AuthReason = 'explicit' | 'region' | 'remembered' | 'switched';

export interface AuthChoice {
  style: AuthStyle;
  reason: AuthReason;
  /** Human wording of the reason, for `auth status` and `--verbose`. */
  why: string;
}

/** Remembered working styles: base-URL origin → family → style (config `auth_styles`). */
export type RememberedStyles = Readonly<Record<string, Partial<Record<EndpointFamily, AuthStyle>>>>;

export function chooseAuth(input: {
  region: Region;
  family: EndpointFamily;
  setting: AuthStyleSetting;
  /** Where an explicit style was set, as the user wrote it. */
  setBy?: string | undefined;
  origin: string;
  remembered?: RememberedStyles | undefined;
}): AuthChoice {
  if (input.setting !== 'auto') {
    return { style: input.setting, reason: 'explicit', why: `explicit style from ${input.setBy ?? 'settings'}` };
  }
  const remembered = input.remembered?.[input.origin]?.[input.family];
  if (remembered !== undefined) {
    return { style: remembered, reason: 'remembered', why: `remembered after a switch on ${input.origin}` };
  }
  const style = REGION_TABLE[input.region][input.family];
  return { style, reason: 'region', why: `region ${input.region} table` };
}

export function otherStyle(style: AuthStyle): AuthStyle {
  return style === 'bearer' ? 'x-api-key' : 'bearer';
}

export function authHeaders(style: AuthStyle, key: string): Record<string, string> {
  return style === 'bearer' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key };
}

/** How a header style is named in messages (`Authorization: Bearer`, `x-api-key`). */
export function styleLabel(style: AuthStyle): string {
  return style === 'bearer' ? 'Authorization: Bearer' : 'x-api-key';
}

/** How a message may name each header: the field, or for Bearer also its scheme. */
const HEADER_NAMES: readonly (readonly [RegExp, AuthStyle])[] = [
  [/^(?:authorization|bearer)$/i, 'bearer'],
  [/^x[-_]?api[-_]?key$/i, 'x-api-key'],
];

/**
 * The header styles a message names as where the key belongs: a header name that is quoted
 * (`'Authorization'`, `"X-Api-Key"`, the `'Bearer'` scheme) or called a field, header or scheme
 * (`x-api-key header`, `Authorization field`), or written as a header line (`Authorization:`). A bare word in prose ("invalid x-api-key") does
 * not count: it speaks of the key, not of where to put it.
 */
export function namedHeaders(message: string): Set<AuthStyle> {
  const named = new Set<AuthStyle>();
  const candidate =
    /(['"`]?)\b(authorization|bearer|x[-_]?api[-_]?key)\b(['"`]?)(\s*(?:(?:authentication\s+)?(?:field|header|scheme)\b|:))?/gi;
  for (const m of message.matchAll(candidate)) {
    const [, open, name = '', close, called] = m;
    const quoted = open !== '' && open === close;
    if (!quoted && called === undefined) continue;
    for (const [pattern, style] of HEADER_NAMES) if (pattern.test(name)) named.add(style);
  }
  return named;
}

/** Anthropic error types MiniMax answers an authentication failure with. */
const AUTH_ERROR_TYPES = new Set(['authentication_error', 'authorized_error', 'permission_error']);

/**
 * Did the server reject the header *style* (not the key)? Decided by meaning, not by one wording
 * (every reported shape, S1–S6 with sources: docs/minimax-api-notes.md, Auth headers):
 * - a known style-only failure: HTTP 500 code 1033 after x-api-key (cn /anthropic, mmx-cli #59);
 * - an authentication failure (HTTP 401/403, code 1004, or an auth error type) whose message names
 *   only header fields other than the one sent ("carry the key in the 'Authorization' field",
 *   "… using the 'Bearer' authentication scheme", "… in the 'X-Api-Key' field").
 * Directional: a message naming the header that *was* sent means the key itself is bad (MiniMax
 * sends the same text for a bad key), so it is not a rejection of the style, and neither is one
 * that names no header.
 */
export function rejectsStyle(
  sent: AuthStyle,
  failure: { status: number; apiCode?: number | undefined; errorType?: string | undefined; message?: string | undefined },
): boolean {
  const message = failure.message ?? '';
  if (sent === 'x-api-key' && failure.status === 500 && /\(1033\)\s*$/.test(message)) return true;
  // The code, from base_resp or the ` (NNNN)` an Anthropic-envelope message ends with.
  const code = failure.apiCode ?? Number(/\((\d+)\)\s*$/.exec(message)?.[1]);
  const authFailure =
    failure.status === 401 ||
    failure.status === 403 ||
    code === 1004 ||
    (failure.errorType !== undefined && AUTH_ERROR_TYPES.has(failure.errorType));
  if (!authFailure) return false;
  const named = namedHeaders(message);
  return named.size > 0 && !named.has(sent);
}

/** `sk-…a1b2`: never more than the last four characters of a key. */
export function maskKey(key: string): string {
  const tail = key.length >= 12 ? key.slice(-4) : '';
  return `${key.startsWith('sk-') ? 'sk-' : ''}…${tail}`;
}

/** A copy of request headers fit for logs: auth headers keep only their masked key. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const [scheme, ...rest] = value.split(' ');
      out[name] = rest.length > 0 ? `${scheme} ${maskKey(rest.join(' '))}` : maskKey(value);
    } else if (lower === 'x-api-key') {
      out[name] = maskKey(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** Keys shorter than this are not masked inside text: a stray short value would mask common words. */
const MIN_MASKED_KEY = 6;

/**
 * Masks each of the `known` keys (whatever their shape) wherever it appears in `text`, and
 * nothing else: for data (stdout), where key-shaped text that is not a key stays as it is.
 */
export function maskKnownKeys(text: string, known: Iterable<string>): string {
  let out = text;
  for (const key of known) if (key.length >= MIN_MASKED_KEY && out.includes(key)) out = out.split(key).join(maskKey(key));
  return out;
}

/**
 * Masks the known keys and anything key-shaped in a message (`sk-…`, JWT-like `eyJ…` keys,
 * which may carry standard base64's `+`, `/` and `=`): a mistyped flag echoes its argument,
 * and that can be a key the run does not know as one.
 */
export function redactKeys(text: string, known: Iterable<string> = []): string {
  return maskKnownKeys(text, known)
    .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, (key) => maskKey(key))
    .replace(/\beyJ[A-Za-z0-9_.+/=-]{20,}/g, (key) => maskKey(key));
}
