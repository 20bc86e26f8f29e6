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
      case 'network': return l10n.t('Qoder could not be reached: {0}', e.message);
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
