/** The hidden prompt's line editor and the key character check, as pure functions. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyProblem } from '../../src/auth/key-check.js';
import { EMPTY_LINE, type SecretLine, feedSecret } from '../../src/cli/secret-line.js';

/** Feeds each read in turn, as the terminal delivers them. */
const typed = (...reads: string[]): SecretLine => reads.reduce(feedSecret, EMPTY_LINE);

describe('feedSecret: the hidden prompt as a terminal in raw mode delivers it', () => {
  it.each<[string, string[], string]>([
    ['plain typing, then Enter', ['sk-cp-abc\r'], 'sk-cp-abc'],
    ['Backspace deletes the last character (DEL and ^H)', ['sk-cp-abd\u007fc\bx\r'], 'sk-cp-abx'],
    ['Ctrl-U clears the line', ['wrong-key\u0015sk-cp-right\r'], 'sk-cp-right'],
    ['Ctrl-W clears the line (a key has no words)', ['wrong\u0017sk-cp-right\r'], 'sk-cp-right'],
    ['arrow keys (CSI) are dropped', ['sk-\u001b[Dcp\u001b[C-abc\u001b[A\r'], 'sk-cp-abc'],
    ['arrow keys in application mode (SS3) are dropped', ['sk-\u001bOAcp\r'], 'sk-cp'],
    ['Home, End, Delete, F5 (CSI with parameters) are dropped', ['a\u001b[1~b\u001b[4~c\u001b[3~d\u001b[15~\r'], 'abcd'],
    ['a bracketed paste keeps the text between its markers', ['\u001b[200~sk-cp-pasted\u001b[201~\r'], 'sk-cp-pasted'],
    ['an OSC string (ended by BEL or ST) is dropped', ['a\u001b]0;title\u0007b\u001b]52;c;eA==\u001b\\c\r'], 'abc'],
    ['Alt-x (ESC then a character) is dropped', ['a\u001bxb\r'], 'ab'],
    ['other control characters (Tab, Ctrl-A, BEL, C1) are ignored', ['a\tb\u0001c\u0007d\u009be\r'], 'abcde'],
    ['a sequence split across reads', ['sk-\u001b', '[', '1;5', 'Dcp\r'], 'sk-cp'],
    ['Ctrl-D ends the line like Enter', ['abc\u0004'], 'abc'],
    ['what follows Enter in the same read is not taken', ['abc\rdef'], 'abc'],
    ['non-ASCII is kept (the key check rejects it, with a message)', ['sk—cp\r'], 'sk—cp'],
  ])('%s', (_name, reads, value) => {
    const line = typed(...reads);
    expect(line.end).toBe('enter');
    expect(line.value).toBe(value);
  });

  it('Ctrl-C interrupts', () => {
    expect(typed('sk-cp-ab', '\u0003').end).toBe('interrupt');
  });

  it('no Enter yet: the line stays open', () => {
    expect(typed('sk-cp', '\u001b[')).toEqual({ value: 'sk-cp', escape: 'csi' });
  });

  it('whatever is typed, the line never holds a control character', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 6 }), (reads) => {
        const line = typed(...reads);
        expect(line.value).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
    );
  });
});

describe('keyProblem', () => {
  it.each<[string, string | undefined]>([
    ['sk-cp-abcdefghijklmnop0123', undefined],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_-', undefined],
    ['sk-cp-ab\u0015cd', 'a control character (U+0015, Ctrl-U) at position 9'],
    ['sk-\u001b[Acp', 'an escape character (U+001B: an arrow or another special key) at position 4'],
    ['sk-cp—abc', 'a non-ASCII character (U+2014) at position 6'],
    ['sk-cp abc', 'white space (U+0020) at position 6'],
    ['sk-cp\u00a0abc', 'white space (U+00A0) at position 6'],
    ['sk-cp\u200babc', 'a non-ASCII character (U+200B) at position 6'],
    ['sk-cp\u007f', 'a control character (U+007F) at position 6'],
    ['😀sk', 'a non-ASCII character (U+1F600) at position 1'],
  ])('%j → %s', (key, problem) => {
    expect(keyProblem(key)).toBe(problem);
  });
});
