/** The auth-header strategy as pure functions: the region table, rejections, masking. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuthStyle,
  type EndpointFamily,
  type RememberedStyles,
  chooseAuth,
  maskHeaders,
  maskKey,
  namedHeaders,
  redactKeys,
  rejectsStyle,
} from '../../src/auth/strategy.js';

const CARRY = (field: string) => `login fail: Please carry the API secret key in the '${field}' field of the request header`;

describe('rejectsStyle', () => {
  it('HTTP 500 "system error (1033)" after x-api-key is a rejection of the style (the cn gateway, mmx-cli #59)', () => {
    expect(rejectsStyle('x-api-key', { status: 500, apiCode: 1033, message: 'system error (1033)' })).toBe(true);
    // The code is read from the message, so a failure without apiCode counts too.
    expect(rejectsStyle('x-api-key', { status: 500, message: 'system error (1033)' })).toBe(true);
    expect(rejectsStyle('x-api-key', { status: 500, message: 'system error (1033)  ' })).toBe(true);
  });

  it('the same 1033 after Bearer is not (Bearer is what the gateway wants)', () => {
    expect(rejectsStyle('bearer', { status: 500, apiCode: 1033, message: 'system error (1033)' })).toBe(false);
  });

  it('1033 needs HTTP 500 and the code at the end of the message', () => {
    expect(rejectsStyle('x-api-key', { status: 502, message: 'system error (1033)' })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 200, apiCode: 1033, message: 'system error' })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 500, message: 'system error (1033) then something' })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 500, apiCode: 1000, message: 'unknown error (1000)' })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 500, message: 'Internal server error' })).toBe(false);
  });

  it('1004 naming the other header field is a rejection of the style, in either direction', () => {
    expect(rejectsStyle('x-api-key', { status: 200, apiCode: 1004, message: CARRY('Authorization') })).toBe(true);
    expect(rejectsStyle('bearer', { status: 200, apiCode: 1004, message: CARRY('X-Api-Key') })).toBe(true);
    // The Anthropic envelope: HTTP 401, code only in the message suffix.
    expect(rejectsStyle('bearer', { status: 401, message: `${CARRY('X-Api-Key')} (1004)` })).toBe(true);
    expect(rejectsStyle('x-api-key', { status: 401, message: `${CARRY('Authorization')} (1004)` })).toBe(true);
    // Field names are case-insensitive.
    expect(rejectsStyle('bearer', { status: 200, apiCode: 1004, message: CARRY('x-api-key') })).toBe(true);
    expect(rejectsStyle('x-api-key', { status: 200, apiCode: 1004, message: CARRY('AUTHORIZATION') })).toBe(true);
  });

  it('1004 naming the header that was sent means the key is bad, not the style', () => {
    expect(rejectsStyle('bearer', { status: 200, apiCode: 1004, message: CARRY('Authorization') })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 200, apiCode: 1004, message: CARRY('X-Api-Key') })).toBe(false);
  });

  it('1004 that names no known header field, or no field at all, is not a rejection of the style', () => {
    expect(rejectsStyle('bearer', { status: 200, apiCode: 1004, message: CARRY('Cookie') })).toBe(false);
    expect(rejectsStyle('bearer', { status: 200, apiCode: 1004, message: 'not token plan token' })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 401, message: 'unauthorized (1004)' })).toBe(false);
  });

  it('a header named in a message with another code is not a 1004 rejection', () => {
    expect(rejectsStyle('bearer', { status: 200, apiCode: 2049, message: CARRY('X-Api-Key') })).toBe(false);
  });

  it('ordinary auth failures are never style rejections', () => {
    for (const style of ['bearer', 'x-api-key'] as const) {
      expect(rejectsStyle(style, { status: 401, message: 'invalid api key' })).toBe(false);
      expect(rejectsStyle(style, { status: 401, apiCode: 2049, message: 'invalid api key (2049)' })).toBe(false);
      expect(rejectsStyle(style, { status: 200, apiCode: 2049, message: 'invalid api key' })).toBe(false);
      expect(rejectsStyle(style, { status: 429, apiCode: 2056, message: 'usage limit exceeded (2056)' })).toBe(false);
      expect(rejectsStyle(style, { status: 500 })).toBe(false);
    }
  });

  it('the 401 shapes without a code count too (S2, S4, S5): the message names where the key belongs', () => {
    // S2: authentication_error, no code.
    expect(rejectsStyle('x-api-key', { status: 401, errorType: 'authentication_error', message: CARRY('Authorization') })).toBe(true);
    // S4: the Bearer scheme named as well; both names mean Bearer.
    const s4 = `${CARRY('Authorization')}, using the 'Bearer' authentication scheme.`;
    expect(rejectsStyle('x-api-key', { status: 401, errorType: 'authentication_error', message: s4 })).toBe(true);
    expect(rejectsStyle('bearer', { status: 401, errorType: 'authentication_error', message: s4 })).toBe(false);
    // S5: the X-Api-Key variant, after Bearer.
    expect(rejectsStyle('bearer', { status: 401, errorType: 'authentication_error', message: CARRY('X-Api-Key') })).toBe(true);
    expect(rejectsStyle('x-api-key', { status: 401, errorType: 'authentication_error', message: CARRY('X-Api-Key') })).toBe(false);
  });

  it('by meaning, not by one wording: other phrasings that name a header as the place for the key', () => {
    expect(rejectsStyle('x-api-key', { status: 401, message: 'Missing Authorization header' })).toBe(true);
    expect(rejectsStyle('bearer', { status: 401, message: 'x-api-key header is required' })).toBe(true);
    expect(rejectsStyle('bearer', { status: 401, message: 'Send the key as "X-API-KEY".' })).toBe(true);
    expect(rejectsStyle('x-api-key', { status: 403, message: 'use Authorization: Bearer <key>' })).toBe(true);
    expect(rejectsStyle('x-api-key', { status: 200, apiCode: 1004, message: '请在请求头的 `Authorization` 字段中携带密钥' })).toBe(true);
  });

  it('a header word in prose, a message naming both headers, or no auth failure: not a rejection of the style', () => {
    // "invalid x-api-key" speaks of the key's value (Anthropic's wording for a bad key).
    expect(rejectsStyle('bearer', { status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 403, message: 'authorization failed for this plan' })).toBe(false);
    // Naming both leaves the sent one among them: ambiguous, so the key is blamed.
    expect(rejectsStyle('bearer', { status: 401, message: "carry the key in the 'Authorization' or 'X-Api-Key' field" })).toBe(false);
    // The same text outside an authentication failure (a 400, a 500, a 2049 in a 200).
    expect(rejectsStyle('x-api-key', { status: 400, errorType: 'invalid_request_error', message: CARRY('Authorization') })).toBe(false);
    expect(rejectsStyle('x-api-key', { status: 500, message: CARRY('Authorization') })).toBe(false);
  });

  it('an auth error type is an authentication failure whatever the status (a relay that rewrote it)', () => {
    expect(rejectsStyle('x-api-key', { status: 500, errorType: 'authorized_error', message: CARRY('Authorization') })).toBe(true);
  });

  it('namedHeaders: quoted, called a field/header/scheme, or a header line; never a bare word', () => {
    expect([...namedHeaders(CARRY('Authorization'))]).toEqual(['bearer']);
    expect([...namedHeaders(`${CARRY('Authorization')}, using the 'Bearer' authentication scheme.`)]).toEqual(['bearer']);
    expect([...namedHeaders(CARRY('X-Api-Key'))]).toEqual(['x-api-key']);
    expect([...namedHeaders('the x_api_key field')]).toEqual(['x-api-key']);
    expect([...namedHeaders('Authorization: Bearer sk-…')]).toEqual(['bearer']);
    expect([...namedHeaders('invalid x-api-key')]).toEqual([]);
    expect([...namedHeaders('authorization failed')]).toEqual([]);
    expect([...namedHeaders('\'Authorization"')]).toEqual([]);
    expect([...namedHeaders('the API secret key')]).toEqual([]);
  });

  it('property: a switch needs the 1033 signature after x-api-key, or an auth failure naming only the other header', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AuthStyle>('bearer', 'x-api-key'),
        fc.integer({ min: 100, max: 599 }),
        fc.option(fc.integer({ min: 0, max: 9999 }), { nil: undefined }),
        fc.option(fc.constantFrom('authentication_error', 'authorized_error', 'api_error', 'invalid_request_error'), { nil: undefined }),
        fc.oneof(
          fc.string(),
          fc.constantFrom(CARRY('Authorization'), CARRY('X-Api-Key'), 'system error (1033)', 'invalid api key', 'invalid x-api-key'),
        ),
        (sent, status, apiCode, errorType, message) => {
          const result = rejectsStyle(sent, { status, apiCode, errorType, message });
          const is1033 = sent === 'x-api-key' && status === 500 && /\(1033\)\s*$/.test(message);
          const named = namedHeaders(message);
          if (result && !is1033) {
            expect(named.size).toBeGreaterThan(0);
            expect(named.has(sent)).toBe(false);
          }
          // Naming the header that was sent never switches.
          if (named.has(sent)) expect(result).toBe(is1033);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('chooseAuth', () => {
  const families: EndpointFamily[] = ['anthropic', 'v1', 'account'];

  it('the region table: cn → Bearer for everything; global → x-api-key on /anthropic, Bearer on /v1 and /account', () => {
    const table = (region: 'cn' | 'global') =>
      Object.fromEntries(families.map((family) => [family, chooseAuth({ region, family, setting: 'auto', origin: 'https://h' }).style]));
    expect(table('cn')).toEqual({ anthropic: 'bearer', v1: 'bearer', account: 'bearer' });
    expect(table('global')).toEqual({ anthropic: 'x-api-key', v1: 'bearer', account: 'bearer' });
  });

  it('says why: the region table', () => {
    expect(chooseAuth({ region: 'cn', family: 'anthropic', setting: 'auto', origin: 'https://api.minimaxi.com' })).toEqual({
      style: 'bearer',
      reason: 'region',
      why: 'region cn table',
    });
  });

  it('an explicit setting wins over the table and the memory, and names its source', () => {
    const choice = chooseAuth({
      region: 'cn',
      family: 'anthropic',
      setting: 'x-api-key',
      setBy: '--auth-style',
      origin: 'https://api.minimaxi.com',
      remembered: { 'https://api.minimaxi.com': { anthropic: 'bearer' } },
    });
    expect(choice).toEqual({ style: 'x-api-key', reason: 'explicit', why: 'explicit style from --auth-style' });
    expect(chooseAuth({ region: 'global', family: 'v1', setting: 'x-api-key', origin: 'https://h' }).style).toBe('x-api-key');
    expect(chooseAuth({ region: 'global', family: 'anthropic', setting: 'bearer', origin: 'https://h' }).style).toBe('bearer');
  });

  it('a remembered style applies to its origin and family only', () => {
    const remembered = { 'https://api.minimaxi.com': { anthropic: 'bearer' as const } };
    expect(chooseAuth({ region: 'global', family: 'anthropic', setting: 'auto', origin: 'https://api.minimaxi.com', remembered })).toEqual({
      style: 'bearer',
      reason: 'remembered',
      why: 'remembered after a switch on https://api.minimaxi.com',
    });
    expect(
      chooseAuth({ region: 'global', family: 'anthropic', setting: 'auto', origin: 'https://api.minimax.io', remembered }),
    ).toMatchObject({
      style: 'x-api-key',
      reason: 'region',
    });
    expect(
      chooseAuth({
        region: 'cn',
        family: 'v1',
        setting: 'auto',
        origin: 'https://api.minimaxi.com',
        remembered: { 'https://api.minimaxi.com': { anthropic: 'x-api-key' } },
      }),
    ).toMatchObject({ style: 'bearer', reason: 'region' });
  });

  it('property: with auto, the style is the remembered one when there is one, else the table', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'cn' | 'global'>('cn', 'global'),
        fc.constantFrom(...families),
        fc.option(fc.constantFrom<AuthStyle>('bearer', 'x-api-key'), { nil: undefined }),
        (region, family, memory) => {
          const origin = 'https://example.test';
          const remembered: RememberedStyles = memory === undefined ? {} : { [origin]: { [family]: memory } };
          const choice = chooseAuth({ region, family, setting: 'auto', origin, remembered });
          const table = region === 'global' && family === 'anthropic' ? 'x-api-key' : 'bearer';
          expect(choice.style).toBe(memory ?? table);
          expect(choice.reason).toBe(memory === undefined ? 'region' : 'remembered');
        },
      ),
    );
  });
});

describe('maskKey', () => {
  it('keeps "sk-" and the last four characters only', () => {
    expect(maskKey('sk-cp-emulator-cn-demo-7Qm2Lp9Vt4Rk8Nw3Zs6Hb1Jd5Fg0YaXe')).toBe('sk-…YaXe');
    expect(maskKey('sk-api-0123456789abcdef')).toBe('sk-…cdef');
  });

  it('keys without the sk- prefix get no prefix', () => {
    expect(maskKey('eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.abcd')).toBe('…abcd');
  });

  it('short keys (under 12 characters) show no tail at all', () => {
    expect(maskKey('sk-short')).toBe('sk-…');
    expect(maskKey('12345678901')).toBe('…');
    expect(maskKey('')).toBe('…');
    expect(maskKey('123456789012')).toBe('…9012');
  });

  it('property: never more than the prefix and four characters of the key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 80 }), (key) => {
        const out = maskKey(key);
        const prefix = key.startsWith('sk-') ? 'sk-' : '';
        expect(out).toBe(`${prefix}…${key.length >= 12 ? key.slice(-4) : ''}`);
      }),
    );
  });
});

describe('maskHeaders', () => {
  const key = 'sk-cp-0123456789abcdefWXYZ';

  it('masks the key in Authorization (keeping the scheme) and in x-api-key, any case, and leaves other headers', () => {
    const input = {
      authorization: `Bearer ${key}`,
      'X-Api-Key': key,
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'user-agent': 'mmx/0.1.0',
    };
    const copy = { ...input };
    expect(maskHeaders(input)).toEqual({
      authorization: 'Bearer sk-…WXYZ',
      'X-Api-Key': 'sk-…WXYZ',
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'user-agent': 'mmx/0.1.0',
    });
    expect(input).toEqual(copy); // not mutated
  });

  it('an Authorization value without a scheme is masked whole', () => {
    expect(maskHeaders({ Authorization: key })).toEqual({ Authorization: 'sk-…WXYZ' });
  });

  it('property: no header value of the result contains the key', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^sk-[A-Za-z0-9]{12,40}$/),
        fc.constantFrom('authorization', 'Authorization', 'x-api-key', 'X-API-KEY'),
        (k, name) => {
          const value = name.toLowerCase() === 'authorization' ? `Bearer ${k}` : k;
          const out = maskHeaders({ [name]: value, accept: 'application/json' });
          expect(Object.values(out).join('\n')).not.toContain(k);
          expect(out.accept).toBe('application/json');
        },
      ),
    );
  });
});

describe('redactKeys', () => {
  it('masks sk- keys and JWT keys (base64url or standard base64), and the known keys, wherever they appear', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJHcm91cElEIjoiMSJ9.c2lnbmF0dXJl';
    const padded = 'eyJhbGciOiJSUzI1NiJ9.eyJHcm91+cElEIjoiMSJ9.c2ln/bmF0dXJl==';
    expect(redactKeys(`Unknown option '--apikey=${jwt}'.`)).toBe(`Unknown option '--apikey=…${jwt.slice(-4)}'.`);
    expect(redactKeys(`got "${padded}"`)).toBe(`got "…${padded.slice(-4)}"`);
    expect(redactKeys('key sk-cp-abcdefgh12345678 here')).toBe('key sk-…5678 here');
    expect(redactKeys('a custom-key-0123456789 here', ['custom-key-0123456789'])).toBe('a …6789 here');
    expect(redactKeys('eyJ is short, sk-short too')).toBe('eyJ is short, sk-short too');
  });
});
