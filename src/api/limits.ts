/**
 * How much of a response mmx holds in memory. Far above any real answer (MiniMax's longest
 * answers are a few MB), these only stop a server that never stops: without them an endless
 * JSON body, SSE line or answer grows until V8 aborts with a native stack trace. Exceeding one
 * is exit 1, "Response too large", naming the limit. `Deps.limits` replaces them (tests use
 * small ones).
 */
import { CliError, ExitCode } from '../errors.js';

export interface ResponseLimits {
  /** Bytes of a response read whole (JSON answers, error bodies). */
  readonly bodyBytes: number;
  /** Characters of one SSE event, its lines together, before it is complete. */
  readonly sseEventChars: number;
  /** Characters of a streamed answer held as one message (text, thinking and tool input together). */
  readonly answerChars: number;
}

const MI = 1024 * 1024;

export const DEFAULT_LIMITS: ResponseLimits = Object.freeze({
  bodyBytes: 64 * MI,
  sseEventChars: 16 * MI,
  // Also well under V8's longest string (2^29 - 24 characters), which joining the answer needs.
  answerChars: 256 * MI,
});

/** `64 MiB`, `4 KiB`, `1000 bytes`; `16 Mi characters`, `100 characters`. */
export function formatAmount(amount: number, unit: 'bytes' | 'characters'): string {
  const [value, prefix] =
    amount >= MI && amount % MI === 0 ? [amount / MI, 'Mi'] : amount >= 1024 && amount % 1024 === 0 ? [amount / 1024, 'Ki'] : [amount, ''];
  if (prefix === '') return `${value} ${unit}`;
  return unit === 'bytes' ? `${value} ${prefix}B` : `${value} ${prefix} characters`;
}

/** A response that passed one of the limits: exit 1, never a crash. */
export class ResponseTooLargeError extends CliError {
  constructor(what: string, limit: string, extra?: Record<string, unknown>) {
    super(ExitCode.GENERAL, `Response too large: ${what} passed ${limit}, mmx's limit.`, {
      hint: 'No real answer comes near it: the server kept sending. Check --base-url, or retry.',
      extra,
    });
    this.name = 'ResponseTooLargeError';
  }
}
