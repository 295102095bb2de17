/**
 * Asking the person at a terminal, as mmx-cli does, and never a script: for a
 * value a command needs and was not given (`mmx vision describe` alone), and
 * before something that cannot be undone (`mmx file delete`). Each question
 * claims stdin, so it never competes with stdin read as data.
 */
import { isYes } from '../api/download.js';
import { inCi } from '../config/settings.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { orAbort } from '../wait.js';
import type { Context } from './context.js';

/** One claim for every question a command asks: asking for a value and then to confirm is one use of stdin. */
const TERMINAL_QUESTIONS = 'a question on the terminal';

export interface Terminal {
  stdinIsTTY: boolean;
  /** The stream the question's answer matters to: stdout for a missing value (as mmx-cli), stderr for a confirmation. */
  outputIsTTY: boolean;
  /** --non-interactive or CI. */
  nonInteractive: boolean;
}

/** Whether a person can be asked: both ends are a terminal and nobody said not to. */
export function mayAsk(t: Terminal): boolean {
  return t.stdinIsTTY && t.outputIsTTY && !t.nonInteractive;
}

/** A confirmation is asked only where a person can answer, and not when `--yes` answered it already. */
export function confirmationNeeded(t: Terminal & { yes: boolean }): boolean {
  return !t.yes && mayAsk(t);
}

function terminal(ctx: Context, output: 'stdout' | 'stderr'): Terminal {
  return {
    stdinIsTTY: ctx.deps.stdin.isTTY,
    outputIsTTY: ctx.deps[output].isTTY,
    nonInteractive: ctx.settings.nonInteractive || inCi(ctx.deps.env),
  };
}

/**
 * A missing value, asked for on a terminal (mmx-cli's rule: stdin and stdout are
 * terminals); undefined when nobody can be asked. An empty answer cancels (exit 1).
 */
export async function askForValue(ctx: Context, prompt: string, cancelled: string): Promise<string | undefined> {
  const claimed = ctx.stdinClaimedBy;
  if (!mayAsk(terminal(ctx, 'stdout')) || (claimed !== undefined && claimed !== TERMINAL_QUESTIONS)) return undefined;
  ctx.claimStdin(TERMINAL_QUESTIONS);
  const answer = (await orAbort(ctx.deps.stdin.readLine(`${prompt} `), ctx.deps.signal)).trim();
  if (answer === '') throw new CliError(ExitCode.GENERAL, cancelled);
  return answer;
}

/** Asks `question` ([y/N]) where a person can answer and `yes` is false; true when the action may go ahead. */
export async function confirm(ctx: Context, question: string, yes: boolean): Promise<boolean> {
  if (!confirmationNeeded({ ...terminal(ctx, 'stderr'), yes })) return true;
  ctx.claimStdin(TERMINAL_QUESTIONS);
  return isYes(await orAbort(ctx.deps.stdin.readLine(`${question} [y/N] `), ctx.deps.signal));
}

/** mmx-cli's message for a required flag that nobody could be asked for. */
export function missingFlag(name: string, usage: string): UsageError {
  return new UsageError(`Missing required argument: --${name}`, {
    hint: `${usage}\nIn non-interactive (CI / agent) environments all required flags must be provided; on a terminal mmx asks for it.`,
  });
}
