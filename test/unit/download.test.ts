/** The pure decisions of downloads: how a link is shown, when to overwrite, what a status exits with, where a redirect goes. */
import { describe, expect, it } from 'vitest';
import { downloadExitCode, isYes, overwriteAction, redirectTarget } from '../../src/api/download.js';
import { maskUrl } from '../../src/http/mask-url.js';

describe('maskUrl', () => {
  it.each([
    [
      'https://cdn.example/v/abc.mp4?Expires=1767225600&OSSAccessKeyId=LTAI5t&Signature=s%2Bg%3D',
      'https://cdn.example/v/abc.mp4?Expires=…&OSSAccessKeyId=…&Signature=…',
    ],
    ['https://cdn.example/v/abc.mp4', 'https://cdn.example/v/abc.mp4'],
    ['http://127.0.0.1:8080/a?x=1', 'http://127.0.0.1:8080/a?x=…'],
    // A bare token may be the signature itself; an empty value shows as empty.
    ['https://cdn.example/a?AbCdEf0123456789', 'https://cdn.example/a?…'],
    ['https://cdn.example/a?token=&x=1&&y', 'https://cdn.example/a?token=&x=…&&…'],
    ['https://user:pass@cdn.example/a#frag', 'https://…@cdn.example/a#…'],
    ['https://cdn.example/a?', 'https://cdn.example/a'],
    ['ftp://files.example/a.mp4?Signature=s', 'ftp:…'],
    ['file:///etc/passwd', 'file:…'],
    ['not a url ?Signature=s', '(not a valid URL)'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it('never shows a query value, whatever the parameters', () => {
    for (const value of ['secret', 's%2Fg', 'a=b', '…']) {
      const masked = maskUrl(`https://cdn.example/x?p=${value}&q=1`);
      expect(masked).toBe('https://cdn.example/x?p=…&q=…');
    }
  });
});

describe('overwriteAction', () => {
  const base = { exists: true, force: false, terminal: true, nonInteractive: false };
  it.each([
    [{ exists: false }, 'write'],
    [{ exists: false, nonInteractive: true }, 'write'],
    [{ force: true }, 'write'],
    [{ force: true, nonInteractive: true }, 'write'],
    [{ terminal: false }, 'write'],
    [{ terminal: false, nonInteractive: true }, 'write'],
    [{}, 'ask'],
    [{ nonInteractive: true }, 'refuse'],
  ] as const)('%o → %s', (change, action) => {
    expect(overwriteAction({ ...base, ...change })).toBe(action);
  });
});

describe('isYes', () => {
  it('y and yes in any case, with spaces; anything else is no', () => {
    expect(['y', 'Y', 'yes', 'YES', ' y ', 'Yes'].map(isYes)).toEqual([true, true, true, true, true, true]);
    expect(['', 'n', 'no', 'yep', 'ye', 'y y', 'sure'].map(isYes)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('downloadExitCode', () => {
  it('408 and 504 are timeouts (5); every other error status, 401/403 included, is 1', () => {
    expect([400, 401, 403, 404, 410, 429, 500, 502, 503].map(downloadExitCode)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect([408, 504].map(downloadExitCode)).toEqual([5, 5]);
  });
});

describe('redirectTarget', () => {
  it('resolves a Location of a redirect status against the URL that sent it', () => {
    expect(redirectTarget(302, '/b?s=1', 'https://cdn.example/a/x?q')).toBe('https://cdn.example/b?s=1');
    expect(redirectTarget(301, '../c', 'https://cdn.example/a/b/x')).toBe('https://cdn.example/a/c');
    expect(redirectTarget(307, 'https://edge.example/z', 'https://cdn.example/a')).toBe('https://edge.example/z');
    expect(redirectTarget(308, ' /t ', 'http://h/')).toBe('http://h/t');
    expect(redirectTarget(303, 'ftp://x/y', 'http://h/')).toBe('ftp://x/y');
  });

  it('undefined for other statuses and for a missing or empty Location', () => {
    expect(redirectTarget(200, '/b', 'https://cdn.example/a')).toBeUndefined();
    expect(redirectTarget(304, '/b', 'https://cdn.example/a')).toBeUndefined();
    expect(redirectTarget(302, undefined, 'https://cdn.example/a')).toBeUndefined();
    expect(redirectTarget(302, '  ', 'https://cdn.example/a')).toBeUndefined();
  });
});
