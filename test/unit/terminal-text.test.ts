/** Server text made safe for a terminal: escape sequences and control characters removed, text kept. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TerminalFilter, terminalSafe } from '../../src/output/terminal-text.js';

describe('terminalSafe', () => {
  it.each<[string, string, string]>([
    ['plain text, untouched', 'invalid api key (2049)', 'invalid api key (2049)'],
    ['OSC 52 (clipboard write) ended by BEL', 'bad key\u001b]52;c;Y3VybCBldmlsLnNofHNo\u0007 (1004)', 'bad key (1004)'],
    ['OSC 0 (window title) ended by ST', 'x\u001b]0;pwned\u001b\\y', 'xy'],
    ['CSI: erase the line, move the cursor up, colours', 'a\u001b[2K\u001b[1A\u001b[31mred\u001b[0m', 'ared'],
    ['C1 CSI (one byte) and other C1 codes', 'a\u009b2Kb\u0085c', 'abc'],
    ['C1 OSC up to C1 ST', 'a\u009d52;c;eA==\u009cb', 'ab'],
    ['DCS and APC strings', 'a\u001bPq#0\u001b\\b\u001b_apc\u0007c', 'abc'],
    ['a two-character escape (ESC c resets the terminal)', 'a\u001bcb', 'ab'],
    ['carriage return, backspace, bell, NUL, DEL', 'over\rwrite\b\u0007\u0000\u007f!', 'overwrite!'],
    ['newlines and tabs become one space on one line', 'line one\n\n\tline two', 'line one line two'],
    ['non-ASCII stays', '当前服务集群负载较高 — (2064)', '当前服务集群负载较高 — (2064)'],
  ])('%s', (_name, input, output) => {
    expect(terminalSafe(input)).toBe(output);
  });

  it('multi-line text keeps newlines and tabs, drops carriage returns', () => {
    expect(terminalSafe('a\r\n\tb\u001b[2Jc', { multiline: true })).toBe('a\n\tbc');
  });

  it('the output never holds a control character but tab and newline', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(terminalSafe(text, { multiline: true })).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
    );
  });
});

describe('TerminalFilter on a stream', () => {
  it('a sequence split across chunks is removed whole', () => {
    const filter = new TerminalFilter();
    const chunks = ['Hello \u001b', ']52;c;', 'ZXZpbA==', '\u0007world', ' \u001b[', '31', 'mred'];
    expect(chunks.map((c) => filter.push(c)).join('')).toBe('Hello world red');
  });

  it('chunked anywhere, the result is the same as at once', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at, text.length].slice(1).map((end, i, ends) => text.slice(i === 0 ? 0 : ends[i - 1], end));
        const filter = new TerminalFilter();
        expect(pieces.map((p) => filter.push(p)).join('')).toBe(new TerminalFilter().push(text));
      }),
    );
  });
});
