/**
 * How many terminal columns plain text takes, and cutting text to a number of columns.
 *
 * East Asian Wide and Fullwidth characters (CJK, Hangul, most emoji) take two columns, from the
 * Unicode data maintained in get-east-asian-width; control characters, combining marks, zero-width
 * spaces and joiners, and variation selectors take none; everything else takes one. Measure text
 * before it is styled: ANSI escapes are control characters plus printable bytes and would count.
 */
import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Drawn over the previous character or not drawn at all: nonspacing and enclosing combining marks
 * (the variation selectors U+FE00–U+FE0F are among them), and U+200B–U+200F (zero-width space,
 * non-joiner, joiner, left-to-right and right-to-left marks), which are format characters.
 */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F]/u;

/** Columns taken by one code point (`ch` as yielded by a string's iterator). */
function charWidth(ch: string): number {
  const codePoint = ch.codePointAt(0) ?? 0;
  // C0 and C1 control characters (including ESC) move the cursor or do nothing; they take no column.
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if (ZERO_WIDTH.test(ch)) return 0;
  // Ambiguous characters (…, ×, the block elements █ ░) are narrow, as UAX #11 advises when the
  // context is unknown. Passed explicitly: the package's typings document the opposite default.
  return eastAsianWidth(codePoint, { ambiguousAsWide: false });
}

/** Terminal columns taken by plain (un-styled) text. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/**
 * `text` unchanged when it fits in `max` columns; otherwise cut at a character boundary and ended
 * with `…`, at most `max` columns in all (one less when a wide character would straddle the end).
 * `max` 1 gives `…`, 0 or less gives the empty string.
 */
export function truncateToWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 1) return max === 1 ? '…' : '';
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}
