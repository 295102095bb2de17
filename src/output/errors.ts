/**
 * How an error reaches the user: one line plus a hint in text, one object in JSON; both on stderr.
 * Keys are masked in both; text mode also drops control characters (JSON escapes them).
 */
import type { OutStream } from '../deps.js';
import { redactKeys } from '../auth/strategy.js';
import { CliError, ExitCode, type ExitCodeValue } from '../errors.js';
import { terminalSafe } from './terminal-text.js';
import type { Theme } from './theme.js';

export function renderError(
  error: unknown,
  out: { stderr: OutStream; json: boolean; theme: Theme; verbose: boolean; secrets?: readonly string[] },
): ExitCodeValue {
  const known = error instanceof CliError;
  const exitCode = known ? error.exitCode : ExitCode.GENERAL;
  const redact = (text: string) => redactKeys(text, out.secrets);
  const message = redact(known ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  const rawHint = known ? error.hint : 'This is a bug in mmx; run again with --verbose and report what it prints.';
  const hint = rawHint === undefined ? undefined : redact(rawHint);
  if (out.json) {
    const body: Record<string, unknown> = { code: exitCode, message };
    if (hint) body.hint = hint;
    if (known && error.apiCode !== undefined) body.api_code = error.apiCode;
    if (known && error.requestId !== undefined) body.request_id = error.requestId;
    if (known && error.extra) Object.assign(body, error.extra);
    out.stderr.write(`${JSON.stringify({ error: body })}\n`);
  } else {
    // Messages carry server text (an error message, a header): no escape sequence reaches the terminal.
    out.stderr.write(`${out.theme.bad('Error:')} ${terminalSafe(message)}\n`);
    if (hint) out.stderr.write(`  ${out.theme.dim(terminalSafe(hint, { multiline: true }))}\n`);
    if (known && error.requestId) out.stderr.write(`  ${out.theme.dim(`request id: ${terminalSafe(error.requestId)}`)}\n`);
  }
  if (!known && out.verbose && error instanceof Error && error.stack) {
    out.stderr.write(`${out.json ? redact(error.stack) : terminalSafe(redact(error.stack), { multiline: true })}\n`);
  }
  return exitCode;
}
