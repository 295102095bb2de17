'use strict';
// Answers `mmx --version`, `mmx [command] --help` and `mmx __complete …` without
// starting Node's ESM loader or the CLI bundle: the version from package.json, the
// help from dist/help.json, which the build renders through the real run() (a test
// keeps the two identical), completions from dist/completion.json with the engine
// the bundle uses too (complete.js). Anything else, and a completion that needs
// values known only at run time, returns false and goes to run(argv, deps).
const { writeSync } = require('node:fs');

/**
 * Writes `text` to stdout whole. A reader that left (EPIPE) is not an error (`mmx --help | head -1`);
 * any other failure (a full disk: ENOSPC) is said on stderr, as the bundle says it, and is exit 1.
 * @param {string} text @returns {number} the exit code
 */
function writeOut(text) {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code;
      if (code === 'EAGAIN') continue; // a non-blocking pipe that is full: its reader will take it
      if (code === 'EPIPE') return 0;
      const what = String(/** @type {Error} */ (error).message)
        .replace(/^[A-Z0-9_]+: /, '')
        .replace(/, \w+$/, '');
      try {
        writeSync(2, `Error: write error: ${what}${code ? ` (${code})` : ''}.\n`);
      } catch {
        // stderr cannot be written either: the exit code is all that is left
      }
      return 1;
    }
  }
  return 0;
}

/**
 * `mmx __complete <words…>` from the build's table (protocol: complete.js).
 * @param {string[]} words @param {unknown} [table] the table, when not dist/completion.json (tests)
 * @returns {number | false} the exit code, or false when the bundle must answer: no table, or a dynamic source
 */
function fastComplete(words, table) {
  if (table === undefined) {
    try {
      table = require('../dist/completion.json');
    } catch {
      return false;
    }
  }
  const { complete, formatAnswer } = require('./complete.js');
  const answer = complete(table, words);
  if ('dynamic' in answer) return false;
  return writeOut(formatAnswer(answer));
}

/** @param {string[]} argv @returns {number | false} the exit code when it answered, false when the bundle must */
function fastPath(argv) {
  if (argv[0] === '__complete') return fastComplete(argv.slice(1));
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    return writeOut(`mmx ${require('../package.json').version}\n`);
  }
  const last = argv[argv.length - 1];
  if (argv.length > 0 && last !== '--help' && last !== '-h') return false;
  const path = argv.slice(0, -1).join(' ');
  // On a terminal narrower than 80 columns the live help wraps to fit.
  if (require('node:tty').isatty(1) && (process.stdout.columns ?? 80) < 80) return false;
  let help;
  try {
    help = require('../dist/help.json');
  } catch {
    return false;
  }
  if (!Object.prototype.hasOwnProperty.call(help, path)) return false;
  return writeOut(help[path]);
}

module.exports = { fastComplete, fastPath };
