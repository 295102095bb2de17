/**
 * The one entry: `run(argv, deps)` returns the exit code; only bin/ sets
 * process.exitCode.
 */
import { runProgram } from './cli/program.js';
import type { Deps } from './deps.js';

export async function run(argv: string[], deps: Deps): Promise<number> {
  return runProgram(argv, deps);
}
