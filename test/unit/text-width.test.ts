import { describe, it, expect } from 'vitest';
import { displayWidth, truncateToWidth } from '../../src/output/text-width.js';

describe('displayWidth', () => {
  it('counts ASCII one column per character', () => {
    expect(displayWidth('')).toBe(0);
    expect(displayWidth('MiniMax-M*')).toBe(10);
    expect(displayWidth('resets in 1h 59m')).toBe(16);
  });

  it('counts CJK, Hangul and fullwidth forms as two columns', () => {
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('语音 speech')).toBe(11);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('Ａ')).toBe(2); // U+FF21 fullwidth A
    expect(displayWidth('ｱ')).toBe(1); // U+FF71 halfwidth katakana
    expect(displayWidth('\u{20000}')).toBe(2); // CJK Extension B, outside the BMP
  });

  it('counts wide emoji as two columns, including ranges the old hand-written table missed', () => {
    expect(displayWidth('🚀')).toBe(2); // U+1F680, transport and map symbols
    expect(displayWidth('🛑')).toBe(2); // U+1F6D1
    expect(displayWidth('☕')).toBe(2); // U+2615, miscellaneous symbols
    expect(displayWidth('✅')).toBe(2); // U+2705, dingbats
    expect(displayWidth('⛔')).toBe(2); // U+26D4
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('🤖')).toBe(2);
  });

  it('counts neutral symbols from the same blocks as one column', () => {
    expect(displayWidth('☀')).toBe(1); // U+2600, text presentation by default
    expect(displayWidth('❤')).toBe(1); // U+2764
  });

  it('treats ambiguous characters as narrow (the bar, the ellipsis, the boost sign)', () => {
    expect(displayWidth('█░')).toBe(2);
    expect(displayWidth('…')).toBe(1);
    expect(displayWidth('×2')).toBe(2);
    expect(displayWidth('é')).toBe(1);
  });

  it('gives combining marks no column', () => {
    expect(displayWidth('e\u0301')).toBe(1); // e + combining acute accent
    expect(displayWidth('a\u20DD')).toBe(1); // enclosing circle (Me)
    expect(displayWidth('क\u094D')).toBe(1); // Devanagari virama (Mn)
  });

  it('gives zero-width spaces, joiners, direction marks and variation selectors no column', () => {
    expect(displayWidth('a\u200Bb')).toBe(2);
    expect(displayWidth('a\u200Cb\u200Dc')).toBe(3);
    expect(displayWidth('\u200E\u200F')).toBe(0);
    expect(displayWidth('❤\uFE0F')).toBe(1);
    expect(displayWidth('👩\u200D💻')).toBe(4); // a ZWJ sequence is measured per code point
  });

  it('gives C0 and C1 control characters no column', () => {
    expect(displayWidth('a\u0000b\tc\nd\u001b')).toBe(4);
    expect(displayWidth('\u007f\u0085\u009f')).toBe(0);
    expect(displayWidth('\u00a0')).toBe(1); // no-break space is printable
  });
});

describe('truncateToWidth', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateToWidth('image-01', 8)).toBe('image-01');
    expect(truncateToWidth('中文', 4)).toBe('中文');
    expect(truncateToWidth('', 0)).toBe('');
    expect(truncateToWidth('a', 1)).toBe('a');
  });

  it('cuts ASCII and ends with an ellipsis, the ellipsis included in the width', () => {
    expect(truncateToWidth('MiniMax-Hailuo-02', 8)).toBe('MiniMax…');
    expect(displayWidth(truncateToWidth('MiniMax-Hailuo-02', 8))).toBe(8);
  });

  it('never splits a wide character: an odd width leaves one column unused', () => {
    expect(truncateToWidth('中文字幕', 5)).toBe('中文…'); // 2 + 2 + 1
    expect(truncateToWidth('中文字幕', 4)).toBe('中…'); // 文 would need columns 3-4, the … needs 4
    expect(displayWidth(truncateToWidth('中文字幕', 4))).toBe(3);
    expect(truncateToWidth('a中文', 4)).toBe('a中…');
    expect(truncateToWidth('🚀🚀🚀', 4)).toBe('🚀…');
    expect(truncateToWidth('中文', 2)).toBe('…');
  });

  it('keeps combining marks with the character they belong to', () => {
    expect(truncateToWidth('e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301e\u0301');
    expect(truncateToWidth('e\u0301e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301…');
  });

  it('gives … for a width of 1 and nothing below', () => {
    expect(truncateToWidth('abc', 1)).toBe('…');
    expect(truncateToWidth('abc', 0)).toBe('');
    expect(truncateToWidth('abc', -3)).toBe('');
  });

  it('never exceeds the width', () => {
    const samples = ['MiniMax-M*', '语音合成-高清', 'a🚀b☕c', 'e\u0301中\u200Bx'];
    for (const s of samples) {
      for (let max = 0; max <= displayWidth(s) + 1; max++) {
        expect(displayWidth(truncateToWidth(s, max))).toBeLessThanOrEqual(Math.max(0, max));
      }
    }
  });
});
