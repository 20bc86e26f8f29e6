// Server text as Markdown that cannot become a link, an image, HTML or a command. Pure (no vscode).
//
// Tool input goes into code spans and tool output into fenced code blocks (fence longer than
// any backtick run in it); other server text is escaped and autolinks are broken. Agent
// messages are Markdown as written, but raw HTML is escaped and a link or image keeps its
// target only when the target literally starts with https://, http://, mailto: or # (see
// neutraliseLinks). Every server string passes displayMultiline first: the token is redacted
// before any escaping or cutting could split it.

import { displayMultiline } from '../../common/display';

const MAX_MESSAGE_CHARS = 200_000;

/** Plain text that renders as itself in Markdown: no emphasis, links, images, HTML or autolinks. */
export function escapeMarkdownText(text: string): string {
  return displayMultiline(text)
    .replace(/[\\`*_[\]!|<>~&]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    // a line must not start a heading, list, quote or table of its own
    .replace(/^(\s*)([#+=-]|\d+[.)])/gm, (_m, space: string, mark: string) => `${space}${mark.replace(/([#+=.)-])/, '\\$1')}`)
    // linkify looks for scheme://, www. and e-mail addresses in text: break each with a zero-width joiner
    .replace(/\/\//g, '/\u200d/')
    .replace(/www/gi, (w) => `${w[0]}\u200d${w.slice(1)}`)
    .replace(/@/g, '@\u200d');
}

/** Inline code that cannot be closed early: the fence is longer than any backtick run inside. */
export function codeSpan(text: string): string {
  const clean = displayMultiline(text).replace(/\s*\n\s*/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(clean) + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced code block whose fence no line of `text` can close. */
export function codeBlock(text: string, info = 'text'): string {
  return fencedBlock(displayMultiline(text), info);
}

/** codeBlock for text that already passed displayMultiline (and was only cut since). */
export function fencedBlock(clean: string, info = 'text'): string {
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(clean)) + 1);
  return `${fence}${info}\n${clean}\n${fence}`;
}

function longestBacktickRun(text: string): number {
  if (!text.includes('`')) return 0;
  return Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
}

/** Agent Markdown as written, minus raw HTML and any link or image target but web and mail addresses. */
export function safeAgentMarkdown(text: string): string {
  const clean = displayMultiline(text);
  return neutraliseLinks((clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS)}…` : clean).replace(/</g, '&lt;'))
    .replace(/\b(command|vscode|javascript|vbscript|data):(?=[^\s])/gi, '$1\u200d:');
}

/** Where a link or image target starts: after `](` or a reference definition's `]:`, past spaces and line breaks. */
const TARGET_START_RE = /\](?:\(|:)\s*/g;
/**
 * Targets the renderer takes as they are written. The test is on the raw text, so an entity
 * (`command&colon;`, `&#99;ommand:`), a backslash escape or an angle bracket can never turn
 * into another scheme once markdown-it decodes it: anything else is blocked.
 */
const LITERAL_SAFE_TARGET_RE = /^(?:https?:\/\/|mailto:|#)/i;

/** Every link, image and reference definition keeps its target only when it is a web or mail address or a fragment; the rest point at `#blocked:`. */
function neutraliseLinks(markdown: string): string {
  return markdown.replace(TARGET_START_RE, (start: string, offset: number) =>
    LITERAL_SAFE_TARGET_RE.test(markdown.slice(offset + start.length, offset + start.length + 8)) ? start : `${start}#blocked:`);
}

const HEADING_RE = /^( {0,3})(#{1,6})(?=[ \t]|$)/;
const HEADINGS_RE = new RegExp(HEADING_RE.source, 'gm');
const demote = (_m: string, space: string, marks: string): string => `${space}${'#'.repeat(Math.min(6, marks.length + 3))}`;

/**
 * Agent headings go below the turn and step headings (`#` becomes `####`); fenced lines are left
 * alone. Expects displayMultiline's output (lines end at `\n` only).
 */
export function demoteHeadings(markdown: string): string {
  if (!markdown.includes('#')) return markdown;
  // Without a fence every line is a candidate: one pass over the whole text.
  if (!/^ {0,3}(`{3,}|~{3,})/m.test(markdown)) return markdown.replace(HEADINGS_RE, demote);
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      if (fence === undefined) fence = open[1]![0]!.repeat(open[1]!.length);
      else if (open[1]!.startsWith(fence)) fence = undefined;
      return line;
    }
    if (fence !== undefined) return line;
    return line.replace(HEADING_RE, demote);
  }).join('\n');
}

export function blockquote(text: string): string {
  return text.split('\n').map((l) => `> ${l}`).join('\n');
}

export function escapeHtml(text: string): string {
  const clean = displayMultiline(text);
  return /[&<>"]/.test(clean) ? clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') : clean;
}

/** Whitespace runs (line breaks included) as one space, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
