// Words for a failure, for the user. Pure (strings via @vscode/l10n). Branches on HTTP status
// and error kind, never on the server's message text.

import { QoderApiError, QoderError } from '../api/errors';
import * as l10n from '@vscode/l10n';
import { displayText } from './display';

export function requestIdOf(e: unknown): string | undefined {
  return e instanceof QoderError ? e.requestId : undefined;
}

/** The reason, without what was being done: "the token was rejected (401)". */
export function reasonText(e: unknown): string {
  if (e instanceof QoderApiError) {
    switch (e.status) {
      case 400: return l10n.t('the request was refused as invalid (400): {0}', e.message);
      case 401: return l10n.t('Qoder rejected the Personal Access Token (401); it may have expired or been revoked');
      case 403: return l10n.t('the token has no permission for this (403)');
      case 404: return l10n.t('it was not found (404); it may have been deleted');
      case 409: return l10n.t('it conflicts with the current state (409): {0}', e.message);
      case 429: return e.retryAfterSeconds !== undefined
        ? l10n.t('Qoder is limiting requests (429); try again in {0} s', Math.ceil(e.retryAfterSeconds))
        : l10n.t('Qoder is limiting requests (429); try again shortly');
      default:
        if (e.status >= 500) return l10n.t('Qoder answered with a server error ({0}): {1}', e.status, e.message);
        return l10n.t('Qoder answered {0}: {1}', e.status, e.message);
    }
  }
  if (e instanceof QoderError) {
    switch (e.kind) {
      case 'network': return networkText(e);
      case 'timeout': return l10n.t('Qoder did not answer in time: {0}', e.message);
      case 'aborted': return l10n.t('the request was cancelled');
      case 'invalid_response': return l10n.t('Qoder sent a response this extension cannot read: {0}', e.message);
      case 'response_too_large': return l10n.t('Qoder sent a response too large to read: {0}', e.message);
      default: return e.message; // 'config' messages are already worded for the user
    }
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A transport failure in words, by the system's code, never the raw chain of messages. */
export function networkReason(code: string | undefined): string {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return l10n.t('DNS lookup failed');
    case 'ECONNREFUSED': return l10n.t('the connection was refused');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return l10n.t('the connection was reset');
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return l10n.t('the connection timed out');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return l10n.t('no network route to it');
    default:
      if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) return l10n.t('its TLS certificate was not accepted');
      return code ? l10n.t('network error {0}', code) : l10n.t('network error');
  }
}

/** "api.qoder.com.cn could not be reached (DNS lookup failed)". */
function networkText(e: QoderError): string {
  const reason = networkReason(e.code);
  return e.host ? l10n.t('{0} could not be reached ({1})', e.host, reason) : l10n.t('Qoder could not be reached ({0})', reason);
}

/** "Archiving “x” failed: <reason>. (Request ID: …)" — one line, redacted, ready to show or log. */
export function failureText(what: string, e: unknown): string {
  const id = requestIdOf(e);
  const reason = reasonText(e).replace(/[.。…]+$/u, '');
  const text = l10n.t('{0} failed: {1}.', what, reason);
  return displayText(id ? `${text} ${l10n.t('(Request ID: {0})', id)}` : text);
}

export function isAuthError(e: unknown): boolean {
  return e instanceof QoderApiError && e.status === 401;
}

/**
 * The request may have been processed although we got no usable answer (a timeout, a dropped
 * connection, an unreadable body). After a mutation fails like this, reload to show the truth.
 */
export function mayHaveReachedServer(e: unknown): boolean {
  return e instanceof QoderError && !(e instanceof QoderApiError) && (e.kind === 'timeout' || e.kind === 'network' || e.kind === 'invalid_response');
}

/**
 * Why signing in or loading failed, as a fixed kind: the welcome view's text is static (it
 * cannot carry a message), so a context key picks the sentence for the kind.
 */
export type ProblemKind = 'rejected' | 'dns' | 'refused' | 'timeout' | 'tls' | 'unreachable' | 'other';

export function problemKind(e: unknown): ProblemKind {
  if (isAuthError(e)) return 'rejected';
  if (e instanceof QoderError && !(e instanceof QoderApiError)) {
    if (e.kind === 'timeout') return 'timeout';
    if (e.kind === 'network') {
      switch (e.code) {
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
        case 'EAI_NONAME':
          return 'dns';
        case 'ECONNREFUSED': return 'refused';
        case 'ETIMEDOUT':
        case 'UND_ERR_CONNECT_TIMEOUT':
          return 'timeout';
        default:
          return e.code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(e.code) ? 'tls' : 'unreachable';
      }
    }
  }
  return 'other';
}
