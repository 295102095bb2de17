/**
 * Exit codes and the error classes that carry them. The exit-code contract is
 * mmx-cli's (0/1/2/3/4/5/6/10/130); `exitCodeForApi` is the one table that maps
 * an API failure (HTTP status, MiniMax code, Anthropic error type) onto it.
 */

export const ExitCode = {
  OK: 0,
  GENERAL: 1,
  USAGE: 2,
  AUTH: 3,
  QUOTA: 4,
  TIMEOUT: 5,
  NETWORK: 6,
  CONTENT_FILTER: 10,
  INTERRUPTED: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  /** MiniMax `base_resp.status_code` or the `(NNNN)` code inside an Anthropic error message. */
  apiCode?: number | undefined;
  requestId?: string | undefined;
  httpStatus?: number | undefined;
  /** Extra fields for the JSON error object (e.g. the partial answer of a cut stream). */
  extra?: Record<string, unknown> | undefined;
}

export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly apiCode: number | undefined;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  /** Extra fields of the JSON error object; `addExtra` adds to them where they become known. */
  extra: Record<string, unknown> | undefined;

  constructor(exitCode: ExitCodeValue, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.apiCode = options.apiCode;
    this.requestId = options.requestId;
    this.httpStatus = options.httpStatus;
    this.extra = options.extra;
  }

  /** Adds fields to the JSON error object (a task id, known to the caller, not to where the error was made). */
  addExtra(fields: Record<string, unknown>): this {
    this.extra = { ...this.extra, ...fields };
    return this;
  }
}

export class UsageError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(ExitCode.USAGE, message, options);
    this.name = 'UsageError';
  }
}

export class AuthError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(ExitCode.AUTH, message, options);
    this.name = 'AuthError';
  }
}

export class NetworkError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(ExitCode.NETWORK, message, options);
    this.name = 'NetworkError';
  }
}

export class TimeoutError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(ExitCode.TIMEOUT, message, options);
    this.name = 'TimeoutError';
  }
}

/**
 * The user interrupted (Ctrl-C): exit 130. Text output prints "Interrupted." and the hint;
 * JSON output the error object with the hint and `extra`. Work left running on the server
 * (a task) is named there: its id, and the command that picks it up again.
 */
export class InterruptedError extends CliError {
  constructor(options: Pick<CliErrorOptions, 'hint' | 'extra'> = {}) {
    super(ExitCode.INTERRUPTED, 'Interrupted.', options);
    this.name = 'InterruptedError';
  }
}

/** A failure the API reported: an HTTP error, a `base_resp` error inside HTTP 200, or an `error` stream event. */
export class ApiError extends CliError {
  constructor(exitCode: ExitCodeValue, message: string, options: CliErrorOptions = {}) {
    super(exitCode, message, options);
    this.name = 'ApiError';
  }
}

/**
 * MiniMax business codes with a meaning of their own. Anything not listed falls
 * back to the HTTP status, then to GENERAL. Meanings and sources: docs/minimax-api-notes.md, Errors.
 */
const CODE_EXITS: Readonly<Record<number, ExitCodeValue>> = {
  1001: ExitCode.TIMEOUT, // "request timeout"
  1002: ExitCode.QUOTA, // rate limit (mmx-cli wrongly maps this to the content filter)
  1004: ExitCode.AUTH, // not authorized / header missing
  1008: ExitCode.QUOTA, // insufficient balance
  1026: ExitCode.CONTENT_FILTER, // input flagged
  1027: ExitCode.CONTENT_FILTER, // output flagged
  1028: ExitCode.QUOTA,
  1030: ExitCode.QUOTA,
  1039: ExitCode.QUOTA, // token (TPM) limit
  2045: ExitCode.QUOTA, // rate growth limit
  2049: ExitCode.AUTH, // invalid api key (often: the other region's key)
  2056: ExitCode.QUOTA, // Token Plan usage limit, with a reset time
  2061: ExitCode.QUOTA, // model not in the plan
};

const STATUS_EXITS: Readonly<Record<number, ExitCodeValue>> = {
  401: ExitCode.AUTH,
  403: ExitCode.AUTH,
  408: ExitCode.TIMEOUT,
  429: ExitCode.QUOTA,
  504: ExitCode.TIMEOUT,
};

/** Anthropic-style `error.type` of an `error` event inside a stream, which has no HTTP status of its own. */
const TYPE_EXITS: Readonly<Record<string, ExitCodeValue>> = {
  authentication_error: ExitCode.AUTH,
  authorized_error: ExitCode.AUTH,
  permission_error: ExitCode.AUTH,
  rate_limit_error: ExitCode.QUOTA,
  insufficient_balance_error: ExitCode.QUOTA,
};

/** The one place an API failure becomes an exit code. */
export function exitCodeForApi(failure: {
  status?: number | undefined;
  apiCode?: number | undefined;
  errorType?: string | undefined;
}): ExitCodeValue {
  if (failure.apiCode !== undefined) {
    const byCode = CODE_EXITS[failure.apiCode];
    if (byCode !== undefined) return byCode;
  }
  if (failure.status !== undefined) {
    const byStatus = STATUS_EXITS[failure.status];
    if (byStatus !== undefined) return byStatus;
  }
  // Own keys only: a server-sent type such as "constructor" must not reach Object.prototype.
  if (failure.errorType !== undefined && Object.hasOwn(TYPE_EXITS, failure.errorType)) {
    const byType = TYPE_EXITS[failure.errorType];
    if (byType !== undefined) return byType;
  }
  return ExitCode.GENERAL;
}

/** Exposed so a test can check that every listed code maps to a documented exit code. */
export const API_CODE_TABLE = CODE_EXITS;
export const HTTP_STATUS_TABLE = STATUS_EXITS;
