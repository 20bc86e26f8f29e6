// Removes credentials from any text before it is shown, logged or thrown.

// A bearer value must look like a credential (≥ 8 chars with a digit) so that prose such
// as "Invalid bearer token." survives; our own token is removed verbatim anyway.
const BEARER_RE = /\bBearer\s+(?=[^\s"',;]*\d)[^\s"',;]{8,}/gi;
const PAT_RE = /(?<![A-Za-z0-9])pt-[A-Za-z0-9._~+/=-]{6,}/g;

/**
 * Replace every occurrence of `secret` (also URL-encoded) and anything that looks like a
 * bearer credential (`Bearer <x>`, x ≥ 8 chars containing a digit) or a Qoder PAT
 * (`pt-` + ≥ 6 token chars, not preceded by a letter/digit) by `***`.
 */
export function redact(text: string, secret: string): string {
  let out = String(text);
  if (typeof secret === 'string' && secret !== '') {
    out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out.replace(BEARER_RE, '***').replace(PAT_RE, '***');
}
