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

  it('property: only the two known signatures ever count', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AuthStyle>('bearer', 'x-api-key'),
        fc.integer({ min: 100, max: 599 }),
        fc.option(fc.integer({ min: 0, max: 9999 }), { nil: undefined }),
        fc.string(),
        (sent, status, apiCode, message) => {
          const result = rejectsStyle(sent, { status, apiCode, message });
          const is1033 = sent === 'x-api-key' && status === 500 && /\(1033\)\s*$/.test(message);
          const names = /carry the API secret key in the '([^']+)' field/i.test(message);
          if (result) expect(is1033 || names).toBe(true);
          if (!/\(10(?:33|04)\)/.test(message) && apiCode !== 1004) expect(result).toBe(false);
        },
      ),
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
