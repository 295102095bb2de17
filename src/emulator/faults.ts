import type { AuthFamily, Fault } from './types.js';
import { anthropicError, baseRespError, jsonResponse, textResponse, type EmuResponse } from './responses.js';
import { intervalResetAt, isoSeconds } from './quota.js';
import { headerRejectionResponse } from './auth.js';

/** True when the fault applies to `path`: no scope, an exact match, or a `prefix*` match. */
export function faultMatches(fault: Fault, path: string): boolean {
  if (fault.path === undefined) return true;
  if (fault.path.endsWith('*')) return path.startsWith(fault.path.slice(0, -1));
  return path === fault.path;
}

/**
 * Per-emulator fault bookkeeping: persistent faults plus a FIFO of one-shot entries. Each request takes the
 * first queued entry whose faults all match its path, so "429 then 529" is two `enqueueFault` calls.
 */
export class FaultBook {
  #persistent: Fault[] = [];
  #queue: (readonly Fault[])[] = [];

  set(fault: Fault): void {
    this.#persistent = this.#persistent.filter((f) => f.kind !== fault.kind || f.path !== fault.path);
    this.#persistent.push(fault);
  }

  enqueue(entry: Fault | readonly Fault[]): void {
    const faults: readonly Fault[] = Array.isArray(entry) ? [...(entry as readonly Fault[])] : [entry as Fault];
    if (faults.length > 0) this.#queue.push(faults);
  }

  clear(): void {
    this.#persistent = [];
    this.#queue = [];
  }

  /** Consumes the matching queued entry (if any); queued faults come first so they win over persistent ones. */
  take(path: string): Fault[] {
    const index = this.#queue.findIndex((entry) => entry.every((f) => faultMatches(f, path)));
    const queued = index >= 0 ? (this.#queue.splice(index, 1)[0] ?? []) : [];
    return [...queued, ...this.#persistent.filter((f) => faultMatches(f, path))];
  }
}

const REPLACING_KINDS = new Set<Fault['kind']>(['rate-limit', 'overloaded', 'server-error', 'non-json', 'status', 'header-rejection']);

const SERVER_ERROR_MESSAGES: Record<1000 | 1008 | 1033, string> = {
  1000: 'unknown error',
  1008: 'insufficient balance',
  1033: 'system error',
};

const HTML_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export interface FaultResponseContext {
  family: AuthFamily | undefined;
  requestId: string;
  now: number;
}

/**
 * The canned response of the first response-replacing fault, or undefined. These model the gateway, so they
 * fire before routing and auth. Native families (`/v1`, `/account`) get HTTP 200 + base_resp like the real
 * business errors there; everything else gets the Anthropic envelope.
 */
export function faultResponse(faults: readonly Fault[], ctx: FaultResponseContext): EmuResponse | undefined {
  const fault = faults.find((f) => REPLACING_KINDS.has(f.kind));
  if (fault === undefined) return undefined;
  const native = ctx.family === 'v1' || ctx.family === 'account';
  switch (fault.kind) {
    case 'rate-limit': {
      const message =
        fault.message ??
        `usage limit exceeded, 5-hour usage limit reached for Token Plan Starter (0/0 used), resets at ${isoSeconds(intervalResetAt(ctx.now))}`;
      return native ? baseRespError(200, 2056, message) : anthropicError(429, 'rate_limit_error', `${message} (2056)`, ctx.requestId);
    }
    case 'overloaded': {
      const message = fault.message ?? 'The server cluster is currently under high load, please retry later';
      return native ? baseRespError(200, 2064, message) : anthropicError(529, 'overloaded_error', `${message} (2064) (529)`, ctx.requestId);
    }
    case 'server-error': {
      const message = SERVER_ERROR_MESSAGES[fault.code];
      return native
        ? baseRespError(200, fault.code, message)
        : anthropicError(500, 'api_error', `${message} (${fault.code})`, ctx.requestId);
    }
    case 'non-json':
      return textResponse(fault.status ?? 200, HTML_PAGE, 'text/html');
    case 'status': {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(fault.headers ?? {})) headers[name.toLowerCase()] = value;
      if (NULL_BODY_STATUSES.has(fault.status) || fault.body === undefined) {
        return { status: fault.status, headers, body: { kind: 'empty' } };
      }
      const response =
        typeof fault.body === 'string'
          ? textResponse(fault.status, fault.body, fault.contentType ?? 'text/plain; charset=utf-8')
          : jsonResponse(fault.status, fault.body);
      if (fault.contentType !== undefined) response.headers['content-type'] = fault.contentType;
      return { ...response, headers: { ...response.headers, ...headers } };
    }
    case 'header-rejection':
      return headerRejectionResponse(fault.signature, fault.field, ctx.requestId);
    default:
      return undefined;
  }
}

/** How the body is put on the wire; derived from the non-replacing faults. */
export interface TransportPlan {
  eol: '\n' | '\r\n';
  firstByteDelayMs: number;
  pieceDelayMs: number;
  chunkBytes?: number;
  cut?: { afterEvents?: number; afterBytes?: number; abort: boolean };
  streamError?: { afterTextDeltas: number; message: string };
  /** Stop after this many text deltas and never end the body. */
  stallAfterTextDeltas?: number;
}

export function transportPlan(faults: readonly Fault[]): TransportPlan {
  const plan: TransportPlan = { eol: '\n', firstByteDelayMs: 0, pieceDelayMs: 0 };
  for (const fault of faults) {
    switch (fault.kind) {
      case 'crlf':
        plan.eol = '\r\n';
        break;
      case 'slow-first-byte':
        plan.firstByteDelayMs += fault.ms;
        break;
      case 'slow-stream':
        plan.pieceDelayMs = Math.max(plan.pieceDelayMs, fault.ms);
        break;
      case 'chunking':
        if (fault.bytes >= 1) plan.chunkBytes = Math.floor(fault.bytes);
        break;
      case 'cut-stream': {
        const cut: NonNullable<TransportPlan['cut']> = { abort: fault.abort === true };
        if (fault.afterEvents !== undefined) cut.afterEvents = fault.afterEvents;
        if (fault.afterBytes !== undefined) cut.afterBytes = fault.afterBytes;
        plan.cut ??= cut;
        break;
      }
      case 'stall-stream':
        plan.stallAfterTextDeltas ??= fault.afterTextDeltas ?? 1;
        break;
      case 'stream-error':
        plan.streamError ??= {
          afterTextDeltas: fault.afterTextDeltas ?? 1,
          message: `${fault.message ?? 'The server cluster is currently under high load, please retry later'} (2064)`,
        };
        break;
      default:
        break;
    }
  }
  return plan;
}
