// Public surface of the API layer (plain Node; never imports 'vscode').

export * from './types';
export * from './errors';
export * from './editTypes';
export { redact } from './redact';
export { parseRetryAfterMs, backoffMs, defaultSleep } from './retry';
export { nodeFetch, type FetchLike, type FetchInit, type ResponseLike, type HeadersLike } from './transport';
export { bodyExcerpt } from './envelope';
export {
  defaultUserAgent,
  HttpClient,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_RETRIES,
  type RequestLogEntry,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResult,
  type OpenStream,
} from './http';
export { parseDeployment, parseRun, parseListPage } from './parse';
export { isDeploymentId, isRunId, validateBaseUrl, baseUrlString } from './validate';
export { hostOf, withoutTrailingSlash } from './util';
export { RequestBudget, MAX_HOST_PAUSE_MS, type BudgetOptions } from './budget';
export { QoderClient, WALK_PAGE_SIZE, RUNS_PAGE_SIZE, type QoderClientOptions } from './client';
export * from './sessions';
export type { StreamState, StreamSessionOptions, StreamDeps } from './sessionStream';
