/**
 * A required text input (a prompt) that is missing: a person at a terminal is
 * asked for it, as mmx-cli does; a script, CI or --non-interactive gets exit 2
 * naming the flag.
 */
import type { Context } from '../cli/context.js';
import { inCi } from '../config/settings.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { orAbort } from '../wait.js';

export async function requiredText(
  ctx: Context,
  given: string | undefined,
  s: { flag: string; question: string; usage: string; cancelled: string },
): Promise<string> {
  if (given !== undefined) {
    if (given.trim() === '') throw new UsageError(`${s.flag} is empty.`, { hint: s.usage });
    return given;
  }
  const { deps } = ctx;
  const canAsk = deps.stdin.isTTY && deps.stdout.isTTY && !ctx.settings.nonInteractive && !inCi(deps.env);
  if (!canAsk) {
    throw new UsageError(`Missing required argument: ${s.flag}`, {
      hint: `In non-interactive (CI / agent) environments all required flags must be provided: ${s.usage}`,
    });
  }
  ctx.claimStdin(`the ${s.flag} prompt`);
  const typed = (await orAbort(deps.stdin.readLine(`${s.question} `), deps.signal)).trim();
  if (typed === '') throw new CliError(ExitCode.GENERAL, s.cancelled);
  return typed;
}
