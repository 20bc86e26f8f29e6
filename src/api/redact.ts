// Removes credentials from any text before it is shown, logged or thrown.

import { escapeRegExp } from './util';

// A bearer value must look like a credential (≥ 8 chars with a digit) so that prose such
// as "Invalid bearer token." survives; our own token is removed verbatim anyway.
const BEARER_RE = /\bBearer\s+(?=[^\s"',;]*\d)[^\s"',;]{8,}/gi;
const PAT_RE = /(?<![A-Za-z0-9])pt-[A-Za-z0-9._~+/=-]{6,}/gi;
/** The part after `pt-` is matched on its own only when it is long enough not to hit ordinary words. */
const MIN_BARE_SECRET = 8;


const secretPatterns = new Map<string, RegExp>();

/** The token, URL-encoded or not, in any letter case, with or without its `pt-` prefix. */
function secretPattern(secret: string): RegExp {
  let re = secretPatterns.get(secret);
  if (!re) {
    const forms = new Set([secret, encodeURIComponent(secret)]);
    const bare = secret.replace(/^pt-/i, '');
    if (bare !== secret && bare.length >= MIN_BARE_SECRET) forms.add(bare).add(encodeURIComponent(bare));
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    re = new RegExp(alternatives.join('|'), 'gi');
    if (secretPatterns.size > 16) secretPatterns.clear();
    secretPatterns.set(secret, re);
  }
  return re;
}

/**
 * Replace every occurrence of `secret` (also URL-encoded, in any letter case, and without its
 * `pt-` prefix) and anything that looks like a bearer credential (`Bearer <x>`, x ≥ 8 chars
 * containing a digit) or a Qoder PAT (`pt-` + ≥ 6 token chars, any case, not preceded by a
 * letter/digit) by `***`.
 */
export function redact(text: string, secret: string): string {
  let out = String(text);
  if (typeof secret === 'string' && secret !== '') out = out.replace(secretPattern(secret), '***');
  return out.replace(BEARER_RE, '***').replace(PAT_RE, '***');
}
