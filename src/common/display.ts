// Server text made safe to show: the one place that decides how a string from the API may
// appear in a modal, message, status bar, notification, log line, tooltip or details document.
// No vscode import: runs under plain Node.
//
// - Credentials are redacted (the tokens in use, in any case and without their `pt-` prefix,
//   and anything that looks like a bearer credential or a PAT).
// - Unicode control and format characters (Cc, Cf: newlines, bidi overrides, zero-width
//   characters, escape sequences) and U+2028/U+2029 are removed, so a name cannot start a
//   new line, reorder the text around it or forge a log entry. Line breaks become spaces.
// - Names are cut to 120 characters with an ellipsis.
// - `[label](target)` is broken up (notifications render it as a link).

import { redact } from '../api/redact';
import { escapeRegExp } from '../api/util';

export const MAX_NAME_CHARS = 120;

const LINE_BREAKS_RE = /[\r\n\u2028\u2029\u0085\t\v\f]+/gu;
const CONTROL_RE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/** Like CONTROL_RE, but keeps `\n` and `\t` (for multi-line text). */
const CONTROL_EXCEPT_LINES_RE = /[^\P{Cc}\n\t]|[\p{Cf}\u2028\u2029]/gu;

const secrets = new Set<string>();

// Quick tests for what a slow path might change; most strings have none of it and are returned
// as they are. Each regex is built from these and the remembered tokens' forms.
/** What redact() replaces: `pt-…`, `Bearer …` and the tokens in use. */
const SECRET_BASE = ['pt-', 'bearer'];
/** displayText: also controls, line breaks and `](`. */
const SUSPECT_BASE = ['[\\p{Cc}\\p{Cf}\\u2028\\u2029]', '\\]\\(', ...SECRET_BASE];
/** displayMultiline: also controls, but `\n` and `\t` alone need nothing (transcripts are full of them). */
const SUSPECT_MULTILINE_BASE = ['[^\\P{Cc}\\n\\t]|[\\p{Cf}\\u2028\\u2029]', ...SECRET_BASE];
let secretRe = new RegExp(SECRET_BASE.join('|'), 'iu');
let suspectRe = new RegExp(SUSPECT_BASE.join('|'), 'iu');
let suspectMultilineRe = new RegExp(SUSPECT_MULTILINE_BASE.join('|'), 'iu');

/** A token in use: from now on it never appears in displayed text. */
export function rememberSecret(secret: string | undefined): void {
  if (!secret || secrets.has(secret)) return;
  secrets.add(secret);
  const forms = [...secrets].flatMap((s) => {
    const bare = s.replace(/^pt-/i, '');
    return [s, bare, encodeURIComponent(s), encodeURIComponent(bare)];
  }).map(escapeRegExp);
  secretRe = new RegExp([...SECRET_BASE, ...forms].join('|'), 'iu');
  suspectRe = new RegExp([...SUSPECT_BASE, ...forms].join('|'), 'iu');
  suspectMultilineRe = new RegExp([...SUSPECT_MULTILINE_BASE, ...forms].join('|'), 'iu');
}

export function redactSecrets(text: string): string {
  let out = String(text);
  if (!secretRe.test(out)) return out;
  for (const secret of secrets) out = redact(out, secret);
  return redact(out, '');
}

/** Control, format and bidi characters removed; line breaks and tabs become one space. */
export function stripControls(text: string): string {
  return String(text).replace(LINE_BREAKS_RE, ' ').replace(CONTROL_RE, '');
}

/** Control, format and bidi characters removed, but lines and tabs kept (`\r\n` and `\r` become `\n`). */
export function stripControlsKeepLines(text: string): string {
  return String(text).replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_LINES_RE, '');
}

/**
 * Any server string for one line of UI or log: redacted, without control characters, and with
 * `[label](target)` broken up, because notifications turn that pattern into a live link.
 */
export function displayText(text: string): string {
  const value = String(text);
  if (!suspectRe.test(value)) return value;
  return stripControls(redactSecrets(value)).replace(/\]\(/g, '] (');
}

/**
 * Server text that may keep its line breaks (a tooltip paragraph, a run's error message, a
 * transcript). Control characters go first, so one hidden inside the token cannot shield it
 * from redaction; escape or cut the result, never the input (that could split the token).
 */
export function displayMultiline(text: string): string {
  const value = String(text);
  if (!suspectMultilineRe.test(value)) return value;
  return redactSecrets(stripControlsKeepLines(value));
}

/** A cut to `max` characters (whole code points) with an ellipsis. */
export function truncate(text: string, max = MAX_NAME_CHARS): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : text;
}

/** A server-provided name for a label, modal, message or log line: displayText on one line, at most 120 characters. */
export function displayName(name: string): string {
  return truncate(displayText(name).replace(/\s+/g, ' ').trim());
}

/** A name quoted for a message: “name”, as displayName. */
export function quote(name: string): string {
  return `“${displayName(name)}”`;
}

/**
 * A name as the last segment of a virtual document's path (the tab title): as displayName, with
 * path separators replaced by look-alikes that separate nothing, and `fallback` for an empty name.
 */
export function titleSafe(name: string, fallback = 'deployment'): string {
  const title = displayName(String(name).replace(/[/\\]/g, '∕'));
  return title === '' || title === '.' || title === '..' ? fallback : title;
}

/**
 * Text for `MarkdownString.appendText`. appendText escapes Markdown punctuation but not `<`, so
 * `<https://…>` would still become an autolink; the entity renders as `<` and links nothing.
 * VS Code's renderer (GFM) also links bare `https://…`, `www.…` and e-mail addresses: a named
 * entity in each renders the same characters and leaves nothing for the autolinker to find
 * (named, because appendText escapes the `#` of a numeric one).
 */
export function markdownSafe(text: string, multiline = false): string {
  const value = multiline ? displayMultiline(text) : displayText(text);
  if (!AUTOLINKABLE_RE.test(value)) return value;
  return value.replace(/</g, '&lt;').replace(/:\/\//g, '&colon;&sol;&sol;').replace(/\b(www)\./gi, '$1&period;').replace(/@/g, '&commat;');
}

const AUTOLINKABLE_RE = /<|:\/\/|www\.|@/i;

/** For inline code spans: nothing that could close the span or start a new block. */
export function codeSpanSafe(text: string): string {
  return displayText(text).replace(/[`\\]/g, '');
}
