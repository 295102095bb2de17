'use strict';
// Answers `mmx --version`, `mmx [command] --help` and `mmx __complete …` without
// starting Node's ESM loader or the CLI bundle: the version from package.json, the
// help from dist/help.json, which the build renders through the real run() (a test
// keeps the two identical), completions from dist/completion.json with the engine
// the bundle uses too (complete.js). Anything else, and a completion that needs
// values known only at run time, returns false and goes to run(argv, deps).
const { writeSync } = require('node:fs');

/**
 * `mmx __complete <words…>` from the build's table (protocol: complete.js).
 * @param {string[]} words @param {unknown} [table] the table, when not dist/completion.json (tests)
 * @returns {boolean} false when the bundle must answer: no table, or a dynamic source
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
  writeSync(1, formatAnswer(answer));
  return true;
}

/** @param {string[]} argv @returns {boolean} true when it answered */
function fastPath(argv) {
  if (argv[0] === '__complete') return fastComplete(argv.slice(1));
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    writeSync(1, `mmx ${require('../package.json').version}\n`);
    return true;
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
  writeSync(1, help[path]);
  return true;
}

module.exports = { fastComplete, fastPath };
