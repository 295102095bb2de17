/**
 * The one entry: `run(argv, deps)` returns the exit code; only bin/ sets
 * process.exitCode. `--version` answers before anything else is loaded.
 */
import type { Deps } from './deps.js';
import { VERSION } from './version.js';

export async function run(argv: string[], deps: Deps): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    deps.stdout.write(`mmx ${VERSION}\n`);
    return 0;
  }
  const { runProgram } = await import('./program.js');
  return runProgram(argv, deps);
}
