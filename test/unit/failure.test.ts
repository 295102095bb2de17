/** How an API failure reads: the server's text, its code once, the HTTP status only when it adds something. */
import { describe, expect, it } from 'vitest';
import { failureMessage, localTime } from '../../src/api/failure.js';

describe('failureMessage', () => {
  it.each([
    [{ status: 529, message: 'under high load (2064) (529)', apiCode: 2064 }, 'API error: under high load (2064) (529)'],
    [{ status: 404, message: 'HTTP 404' }, 'API error: HTTP 404'],
    [{ status: 200, message: 'invalid params', apiCode: 2013 }, 'API error: invalid params (2013)'],
    [{ status: 200, message: 'invalid params (2013)', apiCode: 2013 }, 'API error: invalid params (2013)'],
    [{ status: 401, message: 'invalid api key', apiCode: 2049 }, 'API error: invalid api key (2049) (HTTP 401)'],
    [{ status: 401, message: 'invalid api key' }, 'API error: invalid api key (HTTP 401)'],
    [
      { status: 502, message: 'the server answered HTTP 502 with a body that is not JSON (text/html)', nonJson: true },
      'API error: the server answered HTTP 502 with a body that is not JSON (text/html)',
    ],
  ])('%j → %s', (failure, expected) => {
    expect(failureMessage(failure)).toBe(expected);
  });
});

describe('localTime', () => {
  it('the local wall time with its UTC offset', () => {
    const at = Date.parse('2026-11-28T17:05:00Z');
    const d = new Date(at);
    const text = localTime(at);
    expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d \(UTC[+-]\d\d:\d\d\)$/);
    expect(text.slice(11, 16)).toBe(`${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`);
  });
});
