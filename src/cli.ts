/**
 * The one entry: `run(argv, deps)` returns the exit code; only bin/ sets
 * process.exitCode.
 */
import type { Deps } from './deps.js';
import { runProgram } from './program.js';
import { VERSION } from './version.js';

export async function run(argv: string[], deps: Deps): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    deps.stdout.write(`mmx ${VERSION}\n`);
    return 0;
  }
  return runProgram(argv, deps);
}
