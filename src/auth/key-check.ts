/**
 * What a key may contain. Keys are printable ASCII (`sk-…`, JWT-like `eyJ…`), and a key goes
 * into an HTTP header, which cannot carry control characters at all: a key typed at the hidden
 * prompt with a stray Ctrl-U or arrow key, or pasted with a non-ASCII dash, would otherwise fail
 * deep in the HTTP layer as a "network error" with a proxy hint.
 */
import { UsageError } from '../errors.js';

/** Names a character for a message; the key itself is never quoted. */
function describeCharacter(char: string): string {
  const code = char.codePointAt(0) as number;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0x1b) return `an escape character (${hex}: an arrow or another special key)`;
  if (code < 0x20) return `a control character (${hex}, Ctrl-${String.fromCharCode(code + 0x40)})`;
  if (code === 0x7f || (code >= 0x80 && code <= 0x9f)) return `a control character (${hex})`;
  if (/\s/u.test(char)) return `white space (${hex})`;
  return `a non-ASCII character (${hex})`;
}

/**
 * Why `key` cannot be a key, or undefined when it can: its first character outside printable
 * ASCII (U+0021 to U+007E), with its 1-based position.
 */
export function keyProblem(key: string): string | undefined {
  let position = 0;
  for (const char of key) {
    position++;
    const code = char.codePointAt(0) as number;
    if (code < 0x21 || code > 0x7e) return `${describeCharacter(char)} at position ${position}`;
  }
  return undefined;
}

/** How each source of a key is named in messages. */
const SOURCE_NAMES: Readonly<Record<string, string>> = {
  flag: '--api-key',
  env: 'MINIMAX_API_KEY',
  config: 'config.json',
  stdin: 'stdin (--api-key -)',
  prompt: 'the prompt',
};

/** Throws a usage error (exit 2) naming the source when `key` holds a character a key cannot have. */
export function assertKeyCharacters(key: string, source: string): void {
  const problem = keyProblem(key);
  if (problem === undefined) return;
  throw new UsageError(`The API key from ${SOURCE_NAMES[source] ?? source} contains characters that are not allowed: ${problem}.`, {
    hint: 'A key is printable ASCII without spaces (sk-…); copy it again, or pipe it in: printenv MY_KEY | mmx auth login --api-key -',
  });
}
