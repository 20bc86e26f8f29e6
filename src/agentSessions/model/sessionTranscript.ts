// A session as a Markdown document: events in, bounded Markdown out. Pure (no vscode): the
// document provider feeds it events and asks for the text.
//
// Safety: server text never becomes a link, an image, HTML or a command. Tool input goes into
// code spans and tool output into fenced code blocks (fence longer than any backtick run in
// it); other server text is escaped and autolinks are broken. Agent messages are Markdown as
// written, but raw HTML is escaped and a link or image keeps its target only when the target
// literally starts with https://, http://, mailto: or # (see neutraliseLinks). Tool output is
// cut to 40 lines, so memory stays bounded per event. Every server string passes
// displayMultiline first: the token is redacted before any escaping or cutting could split it.

import * as l10n from '@vscode/l10n';
import type { SessionEvent } from '../../api/sessions';
import { displayMultiline } from '../../common/display';
import { errorTypeText } from '../../common/errorTypes';

export const TOOL_OUTPUT_LINES = 40;
const MAX_LINE_CHARS = 400;
const MAX_INPUT_CHARS = 200;
const MAX_MESSAGE_CHARS = 200_000;
/** The transcript's body never grows past this: the first events up to HEAD_CHARS stay, then the latest ones (see TranscriptBody). */
export const MAX_BODY_CHARS = 2_000_000;
const HEAD_CHARS = 500_000;


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
  const longest = Math.max(0, ...Array.from(clean.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced code block whose fence no line of `text` can close. */
export function codeBlock(text: string, info = 'text'): string {
  text = displayMultiline(text);
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
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

export function textOfBlocks(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block !== 'object' || block === null) continue;
    const b = block as { type?: unknown; text?: unknown; title?: unknown };
    if (typeof b.text === 'string') parts.push(b.text);
    else if (b.type === 'image') parts.push(l10n.t('[image]'));
    else if (b.type === 'document') parts.push(typeof b.title === 'string' ? l10n.t('[document: {0}]', b.title) : l10n.t('[document]'));
    else if (typeof b.type === 'string') parts.push(`[${b.type}]`);
  }
  return parts.join('');
}

/** `Bash: git status --short` — the one input field that says what the call does. */
export function toolInputSummary(name: string, input: unknown): string {
  const i = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const pick = (...keys: string[]): string | undefined => {
    for (const k of keys) if (typeof i[k] === 'string' && i[k] !== '') return i[k] as string;
    return undefined;
  };
  let summary: string | undefined;
  switch (name) {
    case 'Bash': summary = pick('command'); break;
    case 'Read': case 'Write': case 'Edit': summary = pick('file_path', 'path'); break;
    case 'Grep': {
      const pattern = pick('pattern');
      const where = pick('path', 'glob');
      summary = pattern === undefined ? undefined : where ? `${pattern} (${where})` : pattern;
      break;
    }
    case 'Glob': summary = pick('pattern'); break;
    case 'WebFetch': summary = pick('url'); break;
    case 'WebSearch': summary = pick('query'); break;
    default: summary = undefined;
  }
  if (summary === undefined) {
    try {
      summary = JSON.stringify(input) ?? '';
    } catch {
      summary = '';
    }
  }
  summary = displayMultiline(summary);
  return summary.length > MAX_INPUT_CHARS ? `${summary.slice(0, MAX_INPUT_CHARS)}…` : summary;
}

/** The first `TOOL_OUTPUT_LINES` lines (each capped) and how many were left out. */
export function cutLines(text: string, maxLines = TOOL_OUTPUT_LINES): { text: string; more: number; total: number } {
  const clean = displayMultiline(text).replace(/\n+$/, '');
  const lines = clean === '' ? [] : clean.split('\n');
  const kept = lines.slice(0, maxLines).map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l));
  return { text: kept.join('\n'), more: Math.max(0, lines.length - maxLines), total: lines.length };
}

export type LiveState = 'live' | 'reconnecting' | 'cancelling' | undefined;

/** A failed tool call or a session error: where it is (`<a id="…">` in the body) and what to say in the Problems. */
export interface TranscriptFailure {
  anchor: string;
  kind: 'tool' | 'error';
  /** One line, plain text (not Markdown). */
  message: string;
}

/** Where each failure stands in the document: the line of its step heading or error quote (0-based). Failures the bounded body left out are not found. */
export function failureLines(text: string, failures: readonly TranscriptFailure[]): (TranscriptFailure & { line: number })[] {
  if (failures.length === 0) return [];
  const wanted = new Map(failures.map((f) => [f.anchor, f]));
  const found: (TranscriptFailure & { line: number })[] = [];
  let line = 0;
  let from = 0;
  for (const m of text.matchAll(/^<a id="((?:step|error)-\d+)"><\/a>$/gm)) {
    for (let i = text.indexOf('\n', from); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    from = m.index;
    const f = wanted.get(m[1]!);
    if (!f) continue;
    wanted.delete(m[1]!); // the real anchor comes first; a tool's output cannot move it
    found.push({ ...f, line: line + 2 }); // anchor, blank line, then the heading or the quote
  }
  return found;
}

/** Agent headings go below the turn and step headings (`#` becomes `####`); fenced lines are left alone. */
export function demoteHeadings(markdown: string): string {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      if (fence === undefined) fence = open[1]![0]!.repeat(open[1]!.length);
      else if (open[1]!.startsWith(fence)) fence = undefined;
      return line;
    }
    if (fence !== undefined) return line;
    return line.replace(/^( {0,3})(#{1,6})(?=[ \t]|$)/, (_m, space: string, marks: string) => `${space}${'#'.repeat(Math.min(6, marks.length + 3))}`);
  }).join('\n');
}

function linesText(n: number): string {
  return n === 1 ? l10n.t('1 line') : l10n.t('{0} lines', n);
}

/** The first non-empty line of `text`, cut for a one-line message. */
function firstLine(text: string): string {
  const line = displayMultiline(text).split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export interface TranscriptHeader {
  title: string;
  /** Session status in words (already localised). */
  status: string;
  live: LiveState;
  agent: string;
  environment: string;
  started: string;
  duration: string;
  credits: string;
  /** Outcome verdicts in words ("✓ satisfied — All criteria met"). */
  outcomes?: string[];
  sessionId: string;
}

export class SessionTranscript {
  private readonly body = new TranscriptBody(MAX_BODY_CHARS, HEAD_CHARS);

  /** `onChunk` sees every rendered event, also those the bounded body leaves out (Save Session Transcript writes them all). */
  constructor(private readonly onChunk?: (chunk: string) => void) {}
  private readonly ids = new Set<string>();
  /** tool_use id → tool name and step number, until its result arrives. */
  private readonly openTools = new Map<string, { name: string; step: number }>();
  private turns = 0;
  private steps = 0;
  private readonly failed: TranscriptFailure[] = [];
  /** The last failed tool call (its step) and the last session error, for the summary. */
  private lastFailedStep: { step: number; name: string; line: string } | undefined;
  private lastError: { anchor: string; type: string; message: string } | undefined;
  private spanCredits = 0;
  private last: string | undefined;
  private ended: 'turn' | 'final' | undefined;
  private stopReason: string | undefined;
  private errorType: string | undefined;

  get size(): number {
    return this.ids.size;
  }
  get lastEventId(): string | undefined {
    return this.last;
  }
  /** Credits summed from model spans (used while the session's own total is not known). */
  get creditsFromSpans(): number {
    return Math.round(this.spanCredits * 100) / 100;
  }
  /** 'turn' after a session.status_idle that is not requires_action; 'final' after terminated/deleted. */
  /** A new turn is expected (a message or an answer was sent): the transcript is open again. */
  reopen(): void {
    if (this.ended === 'turn') this.ended = undefined;
  }
  get end(): 'turn' | 'final' | undefined {
    return this.ended;
  }
  get lastStopReason(): string | undefined {
    return this.stopReason;
  }
  /** `error.type` of the last `session.error`. */
  get lastErrorType(): string | undefined {
    return this.errorType;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Failed tool calls and session errors, in order. */
  get failures(): readonly TranscriptFailure[] {
    return this.failed;
  }

  /** Adds an event; false when it was already there (a replay). */
  add(ev: SessionEvent): boolean {
    if (this.ids.has(ev.id)) return false;
    this.ids.add(ev.id);
    this.last = ev.id;
    const chunk = this.render(ev);
    if (chunk !== '') {
      this.body.add(chunk);
      this.onChunk?.(chunk);
    }
    return true;
  }

  private render(ev: SessionEvent): string {
    switch (ev.type) {
      case 'user.message':
        return `## ${l10n.t('Turn {0}', ++this.turns)}\n\n${blockquote(escapeMarkdownText(textOfBlocks(ev.content)))}`;
      case 'agent.message':
        return demoteHeadings(safeAgentMarkdown(textOfBlocks(ev.content)));
      case 'agent.thinking':
        return `*${l10n.t('thinking…')}*`;
      case 'agent.tool_use':
      case 'agent.mcp_tool_use':
      case 'agent.custom_tool_use': {
        const name = typeof ev.name === 'string' ? ev.name : '?';
        const step = ++this.steps;
        this.openTools.set(ev.id, { name, step });
        if (this.openTools.size > 1000) this.openTools.delete(this.openTools.keys().next().value as string);
        return `<a id="step-${step}"></a>\n\n### ${stepTitle(step, name)}\n\n**${escapeMarkdownText(name)}:** ${codeSpan(toolInputSummary(name, ev.input))}`;
      }
      case 'agent.tool_result':
      case 'agent.mcp_tool_result': {
        const useId = typeof ev.tool_use_id === 'string' ? ev.tool_use_id : typeof ev.mcp_tool_use_id === 'string' ? ev.mcp_tool_use_id : '';
        const tool = this.openTools.get(useId);
        this.openTools.delete(useId);
        const name = tool?.name ?? l10n.t('tool');
        const isError = ev.is_error === true;
        const output = textOfBlocks(ev.content);
        const cut = cutLines(output);
        const label = isError
          ? l10n.t('✗ {0} failed · {1}', name, linesText(cut.total))
          : l10n.t('result · {0}', linesText(cut.total));
        if (isError && tool) {
          const line = firstLine(output);
          this.lastFailedStep = { step: tool.step, name, line };
          this.failed.push({ anchor: `step-${tool.step}`, kind: 'tool', message: line ? l10n.t('{0} failed: {1}', name, line) : l10n.t('{0} failed', name) });
        }
        const more = cut.more > 0 ? `\n\n*${l10n.t('{0} more lines', cut.more)}*` : '';
        const block = `<details${isError ? ' open' : ''}><summary>${escapeHtml(label)}</summary>\n\n${codeBlock(cut.text)}${more}\n\n</details>`;
        return isError ? `> **${escapeMarkdownText(label)}**\n\n${block}` : block;
      }
      case 'span.model_request_end': {
        const usage = ev.model_usage as { credits?: unknown } | undefined;
        if (typeof usage?.credits === 'number' && Number.isFinite(usage.credits)) this.spanCredits += usage.credits;
        return '';
      }
      case 'span.model_request_start':
        return '';
      case 'session.status_running':
        this.ended = undefined;
        return `*${l10n.t('● running')}*`;
      case 'session.status_rescheduled':
        return `*${l10n.t('↻ rescheduling')}*`;
      case 'session.status_idle': {
        const reason = (ev.stop_reason as { type?: unknown } | undefined)?.type;
        this.stopReason = typeof reason === 'string' ? reason : undefined;
        if (reason !== 'requires_action') this.ended = this.ended ?? 'turn';
        if (reason === 'cancelled') return `---\n\n**${l10n.t('■ cancelled')}**`;
        if (reason === 'requires_action') return `*${l10n.t('⏸ waiting for a decision')}*`;
        return `---\n\n*${l10n.t('✓ turn ended ({0})', escapeMarkdownText(typeof reason === 'string' ? reason : '?'))}*`;
      }
      case 'session.error': {
        const err = (ev.error ?? {}) as { type?: unknown; message?: unknown };
        const type = typeof err.type === 'string' ? err.type : 'error';
        if (typeof err.type === 'string') this.errorType = err.type;
        const message = typeof err.message === 'string' ? err.message : '';
        const anchor = `error-${this.failed.filter((f) => f.kind === 'error').length + 1}`;
        this.lastError = { anchor, type, message: firstLine(message) };
        this.failed.push({ anchor, kind: 'error', message: this.lastError.message ? `${errorTypeText(type)}: ${this.lastError.message}` : errorTypeText(type) });
        return `<a id="${anchor}"></a>\n\n> **${l10n.t('✗ Error')}** ${codeSpan(type)}\n>\n> ${escapeMarkdownText(message).replace(/\n/g, '\n> ')}`;
      }
      case 'session.status_terminated':
        this.ended = 'final';
        return `---\n\n**${l10n.t('✗ terminated')}**`;
      case 'session.deleted':
        this.ended = 'final';
        return `---\n\n**${l10n.t('session deleted')}**`;
      case 'event_start':
      case 'event_delta':
        return '';
      default:
        if (/^agent\.(message|content_block)_/.test(ev.type)) return '';
        return `*${escapeMarkdownText(ev.type)}*`;
    }
  }

  markdown(h: TranscriptHeader): string {
    const rows: string[] = [];
    const row = (label: string, value: string): void => {
      rows.push(`**${label}:** ${value}  `);
    };
    const live = h.live === 'reconnecting' ? l10n.t('reconnecting…') : h.live === 'cancelling' ? l10n.t('cancelling…') : h.live === 'live' ? l10n.t('live') : undefined;
    // A report: the outcome, what went wrong and where (links to anchors in the body), then the facts.
    row(l10n.t('Status'), escapeMarkdownText(h.status) + (live ? ` · *${live}*` : ''));
    const error = this.lastError;
    if (error) row(l10n.t('Error'), `[${escapeMarkdownText(oneLine(errorTypeText(error.type)))}](#${error.anchor})${error.message ? `: ${escapeMarkdownText(error.message)}` : ''}`);
    const step = this.lastFailedStep;
    if (step) row(l10n.t('Failed step'), `[${stepTitle(step.step, step.name)}](#step-${step.step})${step.line ? `: ${escapeMarkdownText(step.line)}` : ''}`);
    row(l10n.t('Tool errors'), String(this.failed.filter((f) => f.kind === 'tool').length));
    // Our own figures are plain; names come from the server and are escaped.
    row(l10n.t('Duration'), plainFigure(h.duration));
    row(l10n.t('Credits'), plainFigure(h.credits));
    row(l10n.t('Agent'), escapeMarkdownText(h.agent));
    row(l10n.t('Environment'), escapeMarkdownText(h.environment));
    row(l10n.t('Started'), plainFigure(h.started));
    for (const o of h.outcomes ?? []) row(l10n.t('Outcome'), escapeMarkdownText(o));
    row(l10n.t('Session'), codeSpan(h.sessionId));
    const body = this.body.text() ?? `*${l10n.t('No events yet.')}*`;
    return `# ${escapeMarkdownText(h.title)}\n\n${rows.join('\n')}\n\n---\n\n${body}\n`;
  }
}

/** "Step 7 · Bash": the step's heading and the summary's link text. */
function stepTitle(step: number, name: string): string {
  return `${l10n.t('Step {0}', step)} · ${escapeMarkdownText(oneLine(name))}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A figure the extension formatted (a time, a duration, credits): shown as is unless it holds Markdown. */
function plainFigure(text: string): string {
  return /^[\p{L}\p{N}\s.,:;/()+\u2013\u2014\u00a0\u202f-]*$/u.test(text) ? text : escapeMarkdownText(text);
}

function blockquote(text: string): string {
  return text.split('\n').map((l) => `> ${l}`).join('\n');
}

function escapeHtml(text: string): string {
  return displayMultiline(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The rendered events, bounded: the first ones up to `headChars` are kept as one string, then
 * the latest ones up to `maxChars` in all; the events between are dropped and counted, and a
 * notice stands where they were. Adding an event costs its own size; drawing costs at most
 * the bound, whatever the session's length.
 */
export class TranscriptBody {
  private head = '';
  private readonly tail: string[] = [];
  private tailChars = 0;
  private tailText: string | undefined;
  private cutEvents = 0;
  private cutChars = 0;

  constructor(
    private readonly maxChars: number,
    private readonly headChars: number,
  ) {}

  add(chunk: string): void {
    if (this.tail.length === 0 && this.cutEvents === 0 && this.head.length + chunk.length <= this.headChars) {
      this.head = this.head === '' ? chunk : `${this.head}\n\n${chunk}`;
      return;
    }
    this.tail.push(chunk);
    this.tailChars += chunk.length + 2;
    this.tailText = undefined;
    const budget = this.maxChars - this.head.length;
    while (this.tailChars > budget && this.tail.length > 1) {
      const dropped = this.tail.shift()!;
      this.tailChars -= dropped.length + 2;
      this.cutEvents++;
      this.cutChars += dropped.length;
    }
  }

  /** Events left out so far and their rendered size. */
  get cut(): { events: number; chars: number } {
    return { events: this.cutEvents, chars: this.cutChars };
  }

  text(): string | undefined {
    if (this.head === '' && this.tail.length === 0) return undefined;
    this.tailText ??= this.tail.join('\n\n');
    const parts = [this.head, this.cutEvents > 0 ? this.notice() : '', this.tailText].filter((p) => p !== '');
    return parts.join('\n\n');
  }

  private notice(): string {
    const mb = (this.cutChars / 1_000_000).toFixed(1);
    return `---\n\n> **${l10n.t('{0} events ({1} MB) are not shown here', this.cutEvents, mb)}**  \n> ${l10n.t('This document keeps the first events and the latest ones, about {0} MB in all, so the editor stays responsive. To read every event, save the whole session with Qoder: Save Session Transcript… (the Save icon in this document\'s title bar).', Math.round(this.maxChars / 1_000_000))}\n\n---`;
  }
}

/**
 * The whole session as Markdown, written chunk by chunk (never held in memory as one string):
 * a title, then every event of `pages` rendered like the document does, without its bound.
 */
export async function writeWholeTranscript(
  title: string,
  pages: AsyncIterable<{ data: SessionEvent[] }>,
  write: (text: string) => Promise<void>,
): Promise<number> {
  await write(`# ${escapeMarkdownText(title)}\n\n`);
  const pending: string[] = [];
  const transcript = new SessionTranscript((chunk) => pending.push(chunk));
  let first = true;
  for await (const page of pages) {
    for (const ev of page.data) transcript.add(ev);
    for (const chunk of pending.splice(0)) {
      await write(first ? chunk : `\n\n${chunk}`);
      first = false;
    }
  }
  await write('\n');
  return transcript.size;
}
