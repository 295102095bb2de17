/**
 * The line editor of the hidden key prompt, pure: raw terminal input in, the line so far out.
 * Raw mode hands over every key as bytes, so editing keys must be handled here or they end up
 * inside the key: Backspace deletes, Ctrl-U and Ctrl-W clear the line, and escape sequences
 * (arrows, Home/End, function keys, the markers of a bracketed paste) are dropped whole, even
 * when a sequence is split across reads. Other control characters are ignored; what is left is
 * checked as a key afterwards (non-ASCII is rejected there, with a message).
 */

export interface SecretLine {
  readonly value: string;
  /** Inside an escape sequence: after ESC, in a CSI (`ESC [`), an SS3 (`ESC O`), or a string (`ESC ]`, `ESC P` … ST or BEL). */
  readonly escape: 'none' | 'esc' | 'csi' | 'ss3' | 'string' | 'string-esc';
  /** Set once the line is over: Enter or Ctrl-D (`enter`), or Ctrl-C (`interrupt`). */
  readonly end?: 'enter' | 'interrupt';
}

export const EMPTY_LINE: SecretLine = { value: '', escape: 'none' };

const ESC = '\u001b';

/** Feeds `input` (one read from the terminal); stops at the end of the line and ignores the rest. */
export function feedSecret(line: SecretLine, input: string): SecretLine {
  let { value, escape } = line;
  if (line.end) return line;
  for (const char of input) {
    const code = char.codePointAt(0) as number;
    switch (escape) {
      case 'esc':
        // ESC [ → CSI, ESC O → SS3, ESC ] / P / X / ^ / _ → a string ended by ST or BEL; else a two-character sequence.
        escape = char === '[' ? 'csi' : char === 'O' ? 'ss3' : ']PX^_'.includes(char) ? 'string' : 'none';
        continue;
      case 'csi':
        // Parameters and intermediates (0x20–0x3F) until the final byte (0x40–0x7E).
        if (code >= 0x40 && code <= 0x7e) escape = 'none';
        continue;
      case 'ss3':
        escape = 'none';
        continue;
      case 'string':
        if (char === '\u0007') escape = 'none';
        else if (char === ESC) escape = 'string-esc';
        continue;
      case 'string-esc':
        escape = char === '\\' ? 'none' : 'string';
        continue;
      case 'none':
        break;
    }
    if (char === '\r' || char === '\n' || char === '\u0004') return { value, escape, end: 'enter' };
    if (char === '\u0003') return { value, escape, end: 'interrupt' };
    if (char === ESC) escape = 'esc';
    else if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
    else if (char === '\u0015' || char === '\u0017')
      value = ''; // Ctrl-U, Ctrl-W: a key has no words
    else if (code >= 0x20 && !(code >= 0x80 && code <= 0x9f)) value += char;
    // any other control character (Tab, Ctrl-A, C1 codes): ignored
  }
  return { value, escape };
}
