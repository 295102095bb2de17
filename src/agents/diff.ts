/**
 * The `--dry-run` view of a planned file: a unified diff (`--- path`, `+++ path`, hunks with 3
 * lines of context; `/dev/null` for a file that does not exist yet) with the key masked wherever
 * it appears. Pure.
 */
import { createTwoFilesPatch } from 'diff';
import { maskKey } from '../auth/strategy.js';
import type { FileChange } from './types.js';

/** Every occurrence of `secret` replaced by its masked form. */
export function maskSecret(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join(maskKey(secret));
}

export function unifiedDiff(change: FileChange, secret: string): string {
  const patch = createTwoFilesPatch(
    change.before === null ? '/dev/null' : change.path,
    change.path,
    maskSecret(change.before ?? '', secret),
    maskSecret(change.after, secret),
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff begins with `Index: <file>` and a line of '=' (headers for patch files holding several): not part of a unified diff.
  return patch.replace(/^(?:Index: [^\n]*\n)?=+\n/, '');
}
