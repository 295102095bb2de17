/**
 * A hidden, test-only command, `mmx __harness [--force]`, that runs the action a
 * test hands it with the real Context inside the real `run(argv, deps)`: global
 * flags parsed by commander, settings resolved, errors rendered and exit codes
 * returned as for any command. It drives helpers no command uses yet (download,
 * poll). It exists only in test files that add it to the registry:
 *
 *   vi.mock(import('../../src/cli/registry.js'), async (original) =>
 *     (await import('../helpers/harness-command.js')).withHarness(await original()));
 *
 * This module imports no part of the CLI's entry, so the mock cannot loop.
 */
import type { AnyCommand } from '../../src/cli/command.js';
import { defineCommand } from '../../src/cli/command.js';
import type { Context } from '../../src/cli/context.js';
import { flag } from '../../src/cli/flags.js';

export type HarnessAction = (ctx: Context, input: { force: boolean }) => Promise<number | void>;

/** The action of the run in progress (runs in a file are sequential); set by `runAction`. */
export const harnessSlot: { action: HarnessAction | undefined } = { action: undefined };

export const HARNESS_COMMAND = defineCommand({
  path: ['__harness'],
  summary: 'test only: runs the action the test set',
  hidden: true,
  flags: { force: flag.boolean('--force', 'overwrite without asking') },
  needs: { key: false },
  async run(ctx, input) {
    const action = harnessSlot.action;
    if (!action) throw new Error('__harness: no action set (use runAction)');
    return action(ctx, { force: input.force === true });
  },
});

export function withHarness<R extends { COMMANDS: readonly AnyCommand[] }>(registry: R): R {
  return { ...registry, COMMANDS: [...registry.COMMANDS, HARNESS_COMMAND] };
}
