/**
 * Text from a server made safe for a terminal. A server's message, a model's answer or a
 * header is written where a person reads it, and a terminal obeys what it is sent: OSC 52
 * writes the clipboard, OSC 0 retitles the window, CSI sequences move the cursor and erase
 * lines (hiding what came before), C1 codes do the same in one byte. As gh does, control
 * characters are removed before such text is shown: every escape sequence whole (CSI, OSC, DCS
 * and the other strings up to their terminator, two-character escapes), the C1 range, DEL, and
 * C0 except tab and newline in multi-line text (a carriage return would overwrite the line).
 * JSON output is left as received: JSON escapes control characters itself.
 *
 * `TerminalFilter` keeps its state between pieces, so a sequence split across two chunks of a
 * stream is still removed whole; `terminalSafe` is the one-shot form.
 */

type State = 'text' | 'esc' | 'csi' | 'string' | 'string-esc';

/** Anything that needs the slow path: C0 but tab and newline, DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export class TerminalFilter {
  #state: State = 'text';

  /** `multiline`: keep newlines and tabs; otherwise each run of them becomes one space. */
  constructor(private readonly multiline = true) {}

  /** The safe part of `text`; what ends inside an escape sequence is held as state, not text. */
  push(text: string): string {
    if (this.#state === 'text' && !CONTROL.test(text)) return this.multiline ? text : text.replace(/[\t\n]+/g, ' ');
    let out = '';
    for (const char of text) {
      const code = char.charCodeAt(0);
      switch (this.#state) {
        case 'esc':
          // ESC [ → CSI; ESC ] P X ^ _ → a string up to ST or BEL; anything else ends a two-character escape.
          this.#state = char === '[' ? 'csi' : ']PX^_'.includes(char) ? 'string' : 'text';
          continue;
        case 'csi':
          if (code >= 0x40 && code <= 0x7e) this.#state = 'text';
          continue;
        case 'string':
          if (char === '\u0007' || code === 0x9c) this.#state = 'text';
          else if (char === '\u001b') this.#state = 'string-esc';
          continue;
        case 'string-esc':
          this.#state = char === '\\' ? 'text' : 'string';
          continue;
        case 'text':
          break;
      }
      if (char === '\u001b') this.#state = 'esc';
      else if (code === 0x9b) this.#state = 'csi';
      else if (code === 0x90 || code === 0x98 || code === 0x9d || code === 0x9e || code === 0x9f) this.#state = 'string';
      else if (char === '\n' || char === '\t' || (code >= 0x20 && !(code >= 0x7f && code <= 0x9f))) out += char;
      // every other control character is dropped
    }
    return this.multiline ? out : out.replace(/[\t\n]+/g, ' ');
  }
}

/** `text` without control characters or escape sequences; one line unless `multiline`. */
export function terminalSafe(text: string, options: { multiline?: boolean } = {}): string {
  return new TerminalFilter(options.multiline ?? false).push(text);
}
