'use strict';
// Answers `mmx --version` and `mmx [command] --help` without starting Node's ESM
// loader or the CLI bundle: the version from package.json, the help from
// dist/help.json, which the build renders through the real run() (a test keeps
// the two identical). Anything else returns false and goes to run(argv, deps).
const { writeSync } = require('node:fs');

/** @param {string[]} argv @returns {boolean} true when it answered */
function fastPath(argv) {
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

module.exports = { fastPath };
