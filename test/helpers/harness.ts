/** `runAction`: runs a test's action as the `__harness` command through `runCli` (see harness-command.ts). */
import { type HarnessAction, harnessSlot } from './harness-command.js';
import { type RunOptions, type RunResult, runCli } from './run-cli.js';

export async function runAction(argv: string[], action: HarnessAction, options: RunOptions = {}): Promise<RunResult> {
  harnessSlot.action = action;
  try {
    return await runCli(['__harness', ...argv], options);
  } finally {
    harnessSlot.action = undefined;
  }
}
