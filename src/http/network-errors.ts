/**
 * The one table of connection errors: what each code means in words, whether
 * the request can have reached the server, and whether trying again can help.
 * The retry rule (api/retry.ts) and the error messages (api/client.ts) read it.
 */

export interface NetworkErrorInfo {
  /** For messages: "Cannot reach <origin>: <text> (<code>)". */
  readonly text: string;
  /** `never`: failed before a request could be written (refused, DNS, TLS); `maybe`: it may have been sent. */
  readonly delivered: 'never' | 'maybe';
  /** A failure that often clears by itself (a reset, a busy resolver), so a retry can help. */
  readonly transient: boolean;
}

export const NETWORK_ERRORS: Readonly<Record<string, NetworkErrorInfo>> = {
  ECONNREFUSED: { text: 'connection refused', delivered: 'never', transient: true },
  ECONNRESET: { text: 'connection reset', delivered: 'maybe', transient: true },
  ENOTFOUND: { text: 'host not found', delivered: 'never', transient: false },
  EAI_AGAIN: { text: 'DNS lookup failed', delivered: 'never', transient: true },
  EHOSTUNREACH: { text: 'host unreachable', delivered: 'never', transient: false },
  ENETUNREACH: { text: 'network unreachable', delivered: 'never', transient: false },
  ETIMEDOUT: { text: 'connection timed out', delivered: 'maybe', transient: true },
  EPIPE: { text: 'connection closed', delivered: 'maybe', transient: true },
  UND_ERR_SOCKET: { text: 'socket error', delivered: 'maybe', transient: true },
  UND_ERR_CONNECT_TIMEOUT: { text: 'connection timed out', delivered: 'never', transient: true },
  ERR_TLS_CERT_ALTNAME_INVALID: { text: 'TLS certificate does not match the host', delivered: 'never', transient: false },
  DEPTH_ZERO_SELF_SIGNED_CERT: { text: 'self-signed TLS certificate', delivered: 'never', transient: false },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { text: 'TLS certificate not trusted', delivered: 'never', transient: false },
  // A proxy's answers (see ProxyError): the request never left the proxy.
  ERR_PROXY_REFUSED: { text: 'the proxy refused the connection', delivered: 'never', transient: false },
  ERR_PROXY_AUTH: { text: 'the proxy wants other credentials', delivered: 'never', transient: false },
  ERR_PROXY_UPSTREAM: { text: 'the proxy could not reach the host', delivered: 'never', transient: true },
  ERR_PROXY_PROTOCOL: { text: 'the proxy answered in a way mmx does not understand', delivered: 'never', transient: false },
};

/**
 * A failure at the proxy rather than at the target: it cannot be reached, refused the
 * tunnel, or wanted credentials. Its message names the proxy (masked) and the setting
 * that chose it, because "Cannot reach api.minimaxi.com" would send the user looking at
 * the wrong host. Callers turn it into the user's NetworkError as it is.
 */
export class ProxyError extends Error {
  constructor(
    message: string,
    /** A code of the table above (ECONNREFUSED, ERR_PROXY_AUTH…), for the retry rule. */
    readonly code: string | undefined,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProxyError';
  }
}

export function networkErrorInfo(code: string | undefined): NetworkErrorInfo | undefined {
  return code !== undefined && Object.hasOwn(NETWORK_ERRORS, code) ? NETWORK_ERRORS[code] : undefined;
}

/** The error code of a Node or undici error, or of its cause. */
export function errorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown })?.code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}
