// Typed errors of the API layer. None of them may carry the token: messages are built
// from the server's envelope or a short excerpt of the body, and are redacted anyway.

export type QoderErrorKind =
  | 'api' // the server answered with an HTTP error status
  | 'network' // connection refused/reset, DNS, TLS
  | 'timeout' // our total per-request timeout fired
  | 'aborted' // the caller's AbortSignal fired
  | 'invalid_response' // 2xx but the body is not what the API documents
  | 'response_too_large' // the body passed the client's byte cap (never retried)
  | 'config'; // we refused to send: bad base URL, bad id, missing token

export class QoderError extends Error {
  readonly kind: QoderErrorKind;
  /** Method and path (never the query's secrets, never the host's credentials). */
  readonly operation: string | undefined;
  /** The request id of the server's answer this error is about (also for an unreadable 2xx body). */
  readonly requestId: string | undefined;
  /** For a network error: the host that could not be reached and the system's code (`ENOTFOUND`). */
  readonly host: string | undefined;
  readonly code: string | undefined;

  constructor(kind: QoderErrorKind, message: string, operation?: string, options?: { cause?: unknown; requestId?: string; host?: string; code?: string }) {
    super(message, options);
    this.name = 'QoderError';
    this.kind = kind;
    this.operation = operation;
    this.requestId = options?.requestId;
    this.host = options?.host;
    this.code = options?.code;
  }
}

/** The server answered with an HTTP error status. Parsed from the documented envelope when present. */
export class QoderApiError extends QoderError {
  readonly status: number;
  /** `error.type` from the envelope (e.g. `not_found_error`), or a synthetic `http_<status>`. */
  readonly type: string;
  readonly param: string | undefined;
  /** Seconds the server asked us to wait (Retry-After / retry-after-ms), if any. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    type: string;
    message: string;
    param?: string;
    requestId?: string;
    retryAfterSeconds?: number;
    operation?: string;
  }) {
    super('api', init.message, init.operation, { requestId: init.requestId });
    this.name = 'QoderApiError';
    this.status = init.status;
    this.type = init.type;
    this.param = init.param;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export function isApiError(e: unknown, status?: number): e is QoderApiError {
  return e instanceof QoderApiError && (status === undefined || e.status === status);
}

/** The error for an answer that does not have the documented shape. */
export function invalidResponse(message: string): QoderError {
  return new QoderError('invalid_response', message);
}
