// Which ids and which API base URLs the client accepts: security policy, not parsing. An id
// that passes cannot change the shape of a URL; a base URL that passes never sends the token
// in clear text (except to loopback) or with credentials in the URL.

import * as l10n from '@vscode/l10n';
import { QoderError } from './errors';
import { excerpt, withoutTrailingSlash } from './util';

// ---------------------------------------------------------------------------------------
// ids

/**
 * Deployment ids are documented as `dep_` + 32 lowercase hex (UUIDv7-looking). We are
 * deliberately a little tolerant so a future id format (upper case, base62, other length)
 * does not lock users out: `dep_` followed by 1–64 ASCII letters/digits. That alphabet
 * cannot express a path separator, dot, percent sign, query or whitespace, so an id that
 * passes can never change the shape of a URL.
 */
const DEPLOYMENT_ID_RE = /^dep_[A-Za-z0-9]{1,64}$/;
/** Same tolerance for run ids (`drun_` + 32 lowercase hex documented). */
const RUN_ID_RE = /^drun_[A-Za-z0-9]{1,64}$/;

export function isDeploymentId(id: unknown): id is string {
  return typeof id === 'string' && DEPLOYMENT_ID_RE.test(id);
}

export function isRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID_RE.test(id);
}

// ---------------------------------------------------------------------------------------
// base URL

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  // Not `localhost.`: a fully qualified name is resolved through DNS, not /etc/hosts.
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  // WHATWG URL has already normalised IPv4 forms (127.1, 0x7f.1, ...) to dotted quads.
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return quad !== null && quad[1] === '127' && quad.slice(2).every((part) => Number(part) <= 255);
}

/**
 * Validate the API base URL. Accepts `https:` anywhere and `http:` only on loopback
 * (127.0.0.0/8, ::1, localhost) — e.g. the local fake API. Returns a URL whose pathname
 * has no trailing slash (except the bare root `/`, which URL cannot express otherwise).
 * Throws QoderError('config') with a message saying why the token will not be sent.
 */
export function validateBaseUrl(url: string): URL {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new QoderError('config', l10n.t('The Qoder API base URL is empty; the access token will not be sent anywhere.'));
  }
  const text = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new QoderError(
      'config',
      l10n.t('The Qoder API base URL "{0}" is not a valid absolute URL (expected e.g. https://api.qoder.com/api/v1/cloud); the access token will not be sent.', excerpt(text, 80)),
    );
  }
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) {
      throw new QoderError(
        'config',
        l10n.t('The Qoder API base URL {0} uses plain http on a non-loopback host. The access token would travel unencrypted, so it will not be sent. Use https:// (plain http is only allowed for 127.0.0.0/8, ::1 and localhost).', shown),
      );
    }
  } else if (parsed.protocol !== 'https:') {
    throw new QoderError(
      'config',
      l10n.t('The Qoder API base URL must use https:// (got "{0}"); the access token will not be sent.', parsed.protocol),
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new QoderError(
      'config',
      l10n.t('The Qoder API base URL must not contain a user name or password; the access token will not be sent.'),
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new QoderError(
      'config',
      l10n.t('The Qoder API base URL {0} must not contain a query string or fragment; the access token will not be sent.', shown),
    );
  }
  parsed.pathname = withoutTrailingSlash(parsed.pathname) || '/';
  return parsed;
}

/** The base URL as a string without a trailing slash (`https://host` or `https://host/api/v1/cloud`). */
export function baseUrlString(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${path}`;
}
