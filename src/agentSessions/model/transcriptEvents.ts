// One session event as a Markdown block, and what the events so far say about the session
// (turns, steps, failures, how the last turn ended). Pure (no vscode). Tool output is cut to
// 40 lines, so memory stays bounded per event; see safeMarkdown.ts for how server text is made safe.

import * as l10n from '@vscode/l10n';
import type { SessionEvent } from '../../api/sessions';
import { displayMultiline } from '../../common/display';
import { errorTypeText } from '../../common/errorTypes';
import { blockquote, codeSpan, demoteHeadings, escapeHtml, escapeMarkdownText, fencedBlock, oneLine, safeAgentMarkdown } from './safeMarkdown';

export const TOOL_OUTPUT_LINES = 40;
const MAX_LINE_CHARS = 400;
const MAX_INPUT_CHARS = 200;

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
  const clean = displayMultiline(text);
  let end = clean.length;
  while (end > 0 && clean.charCodeAt(end - 1) === 10) end--; // trailing line breaks
  const kept: string[] = [];
  let total = 0;
  // Lines past maxLines are only counted, never copied.
  for (let start = 0; start < end; ) {
    let stop = clean.indexOf('\n', start);
    if (stop === -1 || stop > end) stop = end;
    if (++total <= maxLines) {
      const line = clean.slice(start, stop);
      kept.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
    }
    start = stop + 1;
  }
  return { text: kept.join('\n'), more: Math.max(0, total - maxLines), total };
}

/** A failed tool call or a session error: where it is (`<a id="…">` in the body) and what to say in the Problems. */
export interface TranscriptFailure {
  anchor: string;
  kind: 'tool' | 'error';
  /** One line, plain text (not Markdown). */
  message: string;
}

/** "Step 7 · Bash": the step's heading and the summary's link text. */
export function stepTitle(step: number, name: string, escapedName = escapeMarkdownText(oneLine(name))): string {
  return `${l10n.t('Step {0}', step)} · ${escapedName}`;
}

function linesText(n: number): string {
  return n === 1 ? l10n.t('1 line') : l10n.t('{0} lines', n);
}

/** The first non-empty line of `text`, cut for a one-line message. */
function firstLine(text: string): string {
  const line = displayMultiline(text).split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Renders events one by one, in order, and keeps what they tell about the session. */
export class TranscriptEvents {
  /** tool_use id → tool name and step number, until its result arrives. */
  private readonly openTools = new Map<string, { name: string; step: number }>();
  private turns = 0;
  private steps = 0;
  /** Failed tool calls and session errors, in order. */
  readonly failed: TranscriptFailure[] = [];
  /** The last failed tool call (its step) and the last session error, for the summary. */
  lastFailedStep: { step: number; name: string; line: string } | undefined;
  lastError: { anchor: string; type: string; message: string } | undefined;
  spanCredits = 0;
  /** 'turn' after a session.status_idle that is not requires_action; 'final' after terminated/deleted. */
  ended: 'turn' | 'final' | undefined;
  stopReason: string | undefined;
  /** `error.type` of the last `session.error`. */
  errorType: string | undefined;
  // Rendered once per session, not per event: a session calls a handful of tools, and most
  // results differ only in their line count.
  private readonly toolNames = new Map<string, { heading: string; label: string }>();
  private readonly resultSummaries = new Map<number, string>();
  private thinking: string | undefined;

  /** The event's Markdown block; '' for events that show nothing. */
  render(ev: SessionEvent): string {
    switch (ev.type) {
      case 'user.message':
        return `## ${l10n.t('Turn {0}', ++this.turns)}\n\n${blockquote(escapeMarkdownText(textOfBlocks(ev.content)))}`;
      case 'agent.message':
        return demoteHeadings(safeAgentMarkdown(textOfBlocks(ev.content)));
      case 'agent.thinking':
        return (this.thinking ??= `*${l10n.t('thinking…')}*`);
      case 'agent.tool_use':
      case 'agent.mcp_tool_use':
      case 'agent.custom_tool_use': {
        const name = typeof ev.name === 'string' ? ev.name : '?';
        const step = ++this.steps;
        this.openTools.set(ev.id, { name, step });
        if (this.openTools.size > 1000) this.openTools.delete(this.openTools.keys().next().value as string);
        const escaped = this.toolName(name);
        return `<a id="step-${step}"></a>\n\n### ${stepTitle(step, name, escaped.heading)}\n\n**${escaped.label}:** ${codeSpan(toolInputSummary(name, ev.input))}`;
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
        const label = isError ? l10n.t('✗ {0} failed · {1}', name, linesText(cut.total)) : '';
        if (isError && tool) {
          const line = firstLine(output);
          this.lastFailedStep = { step: tool.step, name, line };
          this.failed.push({ anchor: `step-${tool.step}`, kind: 'tool', message: line ? l10n.t('{0} failed: {1}', name, line) : l10n.t('{0} failed', name) });
        }
        const more = cut.more > 0 ? `\n\n*${l10n.t('{0} more lines', cut.more)}*` : '';
        const block = `<details${isError ? ' open' : ''}><summary>${isError ? escapeHtml(label) : this.resultSummary(cut.total)}</summary>\n\n${fencedBlock(cut.text)}${more}\n\n</details>`;
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

  private toolName(name: string): { heading: string; label: string } {
    let escaped = this.toolNames.get(name);
    if (!escaped) {
      if (this.toolNames.size >= 100) this.toolNames.clear();
      escaped = { heading: escapeMarkdownText(oneLine(name)), label: escapeMarkdownText(name) };
      this.toolNames.set(name, escaped);
    }
    return escaped;
  }

  /** "result · 12 lines", HTML-escaped for a `<summary>`. */
  private resultSummary(lines: number): string {
    let text = this.resultSummaries.get(lines);
    if (text === undefined) {
      if (this.resultSummaries.size >= 100) this.resultSummaries.clear();
      text = escapeHtml(l10n.t('result · {0}', linesText(lines)));
      this.resultSummaries.set(lines, text);
    }
    return text;
  }
}
