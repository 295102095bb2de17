import { keyKind } from './keys.js';
import { anthropicError, baseRespError, type EmuResponse } from './responses.js';
import type { AuthFamily, AuthPolicy, AuthStyle, HeaderField, HeaderRejection, KeyKind, KeyRegistry, Region } from './types.js';

export interface Credentials {
  style: AuthStyle;
  bearer?: string;
  apiKey?: string;
  /** What the request presented: Bearer token first, else x-api-key. */
  key?: string;
}

/** Only a well-formed `Bearer <token>` counts; a bare `Authorization: <key>` is treated as no credential. */
export function readCredentials(headers: Headers): Credentials {
  const authorization = headers.get('authorization');
  const match = authorization === null ? null : /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  const bearer = match?.[1];
  const rawApiKey = headers.get('x-api-key')?.trim();
  const apiKey = rawApiKey === undefined || rawApiKey === '' ? undefined : rawApiKey;
  const style: AuthStyle =
    bearer !== undefined && apiKey !== undefined ? 'both' : bearer !== undefined ? 'bearer' : apiKey !== undefined ? 'x-api-key' : 'none';
  const credentials: Credentials = { style };
  if (bearer !== undefined) credentials.bearer = bearer;
  if (apiKey !== undefined) credentials.apiKey = apiKey;
  const key = bearer ?? apiKey;
  if (key !== undefined) credentials.key = key;
  return credentials;
}

export function familyOf(path: string): AuthFamily | undefined {
  if (path.startsWith('/anthropic/')) return 'anthropic';
  // The native API: /v1/… and, for MiniMax-H3 video, /v2/….
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) return 'v1';
  if (path.startsWith('/account/')) return 'account';
  return undefined;
}

/** `cn-anthropic` is the April-2026 CN gateway: Bearer required, and x-api-key alone blows up with 1033. */
type EffectivePolicy = 'either' | 'bearer-only' | 'x-api-key-only' | 'cn-anthropic';

function effectivePolicy(policy: AuthPolicy, region: Region, family: AuthFamily, strict: boolean): EffectivePolicy {
  if (policy !== 'region-default') return policy;
  if (region === 'global') return strict && family !== 'anthropic' ? 'bearer-only' : 'either';
  return family === 'anthropic' ? 'cn-anthropic' : 'bearer-only';
}

export type AuthOutcome = { ok: true; key: string; kind: KeyKind } | { ok: false; response: EmuResponse };

export interface AuthContext {
  family: AuthFamily;
  region: Region;
  policy: AuthPolicy;
  /** See `EmulatorOptions.strictAuth`. */
  strict?: boolean;
  /** See `EmulatorOptions.headerRejection`. */
  rejection?: HeaderRejection | undefined;
  credentials: Credentials;
  keys: KeyRegistry;
  requestId: string;
  /** Access tokens the emulator's OAuth side issued: valid, expired, or not one of its own. */
  accessToken?: (token: string) => 'valid' | 'expired' | undefined;
}

function carryMessage(field: HeaderField): string {
  return `login fail: Please carry the API secret key in the '${field}' field of the request header`;
}

/** The answer of a gateway that wants the key in `field`, in the shape `signature` (see `HeaderRejection`). */
export function headerRejectionResponse(signature: HeaderRejection, field: HeaderField, requestId: string): EmuResponse {
  const message = carryMessage(field);
  switch (signature) {
    case 'system-error-1033':
      return anthropicError(500, 'api_error', 'system error (1033)', requestId);
    case 'carry':
      return anthropicError(401, 'authentication_error', message, requestId);
    case 'carry-1004':
      return anthropicError(401, 'authorized_error', `${message} (1004)`, requestId, true);
    case 'carry-bearer-scheme':
      return anthropicError(
        401,
        'authentication_error',
        field === 'Authorization' ? `${message}, using the 'Bearer' authentication scheme.` : message,
        requestId,
      );
    case 'base-resp-1004':
      return baseRespError(200, 1004, message);
  }
}

/**
 * Header policy is checked before the key itself, as MiniMax's gateway does: the CN 1033 was reported with a
 * perfectly valid key (MiniMax-AI/cli#59).
 */
export function authenticate(ctx: AuthContext): AuthOutcome {
  const { family, credentials, requestId } = ctx;
  const policy = effectivePolicy(ctx.policy, ctx.region, family, ctx.strict === true);
  const anthropic = family === 'anthropic';
  const fail = (response: EmuResponse): AuthOutcome => ({ ok: false, response });

  if (credentials.style === 'none') {
    const message = carryMessage(policy === 'x-api-key-only' ? 'X-Api-Key' : 'Authorization');
    return fail(anthropic ? anthropicError(401, 'authentication_error', message, requestId) : baseRespError(401, 1004, message));
  }

  let key: string | undefined;
  switch (policy) {
    case 'cn-anthropic':
      if (credentials.bearer === undefined) {
        return fail(headerRejectionResponse(ctx.rejection ?? 'system-error-1033', 'Authorization', requestId));
      }
      key = credentials.bearer;
      break;
    case 'bearer-only':
      if (credentials.bearer === undefined) return fail(headerRequired('Authorization', anthropic, ctx.rejection, requestId));
      key = credentials.bearer;
      break;
    case 'x-api-key-only':
      if (credentials.apiKey === undefined) return fail(headerRequired('X-Api-Key', anthropic, ctx.rejection, requestId));
      key = credentials.apiKey;
      break;
    case 'either':
      key = credentials.bearer ?? credentials.apiKey;
      break;
  }
  if (key === undefined) return fail(headerRequired('Authorization', anthropic, ctx.rejection, requestId));

  const entry = Object.hasOwn(ctx.keys, key) ? ctx.keys[key] : undefined;
  const token = entry === undefined ? ctx.accessToken?.(key) : undefined;
  // An OAuth access token is a Token Plan credential of the emulator's own region.
  if (token === 'valid') return { ok: true, key, kind: 'token-plan' };
  if (token === 'expired') {
    return fail(
      anthropic ? anthropicError(401, 'authentication_error', 'token expired', requestId) : baseRespError(200, 1004, 'token expired'),
    );
  }
  if (entry === undefined) {
    return fail(
      anthropic ? anthropicError(401, 'authentication_error', 'invalid api key', requestId) : baseRespError(401, 2049, 'invalid api key'),
    );
  }
  if (entry.region !== ctx.region) {
    return fail(
      anthropic
        ? anthropicError(401, 'authorized_error', 'invalid api key (2049)', requestId, true)
        : baseRespError(200, 2049, 'invalid api key'),
    );
  }
  return { ok: true, key, kind: keyKind(key) };
}

function headerRequired(field: HeaderField, anthropic: boolean, rejection: HeaderRejection | undefined, requestId: string): EmuResponse {
  return headerRejectionResponse(rejection ?? (anthropic ? 'carry-1004' : 'base-resp-1004'), field, requestId);
}
