import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonErrorPlace } from '../../src/config/json-error.js';

describe('jsonErrorPlace', () => {
  it('places the usual hand-editing mistakes', () => {
    expect(jsonErrorPlace('{\n  "region": "cn",\n  "api_key": \n}\n')).toBe(' at line 4, column 1');
    expect(jsonErrorPlace('{\n  "region": "cn",\n}')).toBe(' at line 3, column 1');
    expect(jsonErrorPlace('{"a": 1 "b": 2}')).toBe(' at line 1, column 9');
    expect(jsonErrorPlace("{'a': 1}")).toBe(' at line 1, column 2');
    expect(jsonErrorPlace('{"a": "unterminated')).toBe(' at line 1, column 20');
    expect(jsonErrorPlace('{"a": 1} trailing')).toBe(' at line 1, column 10');
  });
  it('finds no error exactly when JSON.parse accepts the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonErrorOffset(text) === undefined).toBe(valid);
      }),
      { numRuns: 500 },
    );
  });
});
