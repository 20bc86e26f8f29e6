// A session as a Markdown document: events in, bounded Markdown out. Pure (no vscode): the
// document provider feeds it events and asks for the text. The summary at the top is
// transcriptSummary.ts, each event's block transcriptEvents.ts (safe Markdown: safeMarkdown.ts),
// and the bounded body transcriptBody.ts.

import * as l10n from '@vscode/l10n';
import type { SessionEvent } from '../../api/sessions';
import { escapeMarkdownText } from './safeMarkdown';
import { HEAD_CHARS, MAX_BODY_CHARS, TranscriptBody } from './transcriptBody';
import { TranscriptEvents, type TranscriptFailure } from './transcriptEvents';
import { summaryMarkdown, type TranscriptHeader } from './transcriptSummary';

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

export class SessionTranscript {
  private readonly body = new TranscriptBody(MAX_BODY_CHARS, HEAD_CHARS);
  private readonly events = new TranscriptEvents();
  private readonly ids = new Set<string>();
  private last: string | undefined;

  /** `onChunk` sees every rendered event, also those the bounded body leaves out (Save Session Transcript writes them all). */
  constructor(private readonly onChunk?: (chunk: string) => void) {}

  get size(): number {
    return this.ids.size;
  }
  get lastEventId(): string | undefined {
    return this.last;
  }
  /** Credits summed from model spans (used while the session's own total is not known). */
  get creditsFromSpans(): number {
    return Math.round(this.events.spanCredits * 100) / 100;
  }
  /** A new turn is expected (a message or an answer was sent): the transcript is open again. */
  reopen(): void {
    if (this.events.ended === 'turn') this.events.ended = undefined;
  }
  /** 'turn' after a session.status_idle that is not requires_action; 'final' after terminated/deleted. */
  get end(): 'turn' | 'final' | undefined {
    return this.events.ended;
  }
  get lastStopReason(): string | undefined {
    return this.events.stopReason;
  }
  /** `error.type` of the last `session.error`. */
  get lastErrorType(): string | undefined {
    return this.events.errorType;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Failed tool calls and session errors, in order. */
  get failures(): readonly TranscriptFailure[] {
    return this.events.failed;
  }

  /** Adds an event; false when it was already there (a replay). */
  add(ev: SessionEvent): boolean {
    if (this.ids.has(ev.id)) return false;
    this.ids.add(ev.id);
    this.last = ev.id;
    const chunk = this.events.render(ev);
    if (chunk !== '') {
      this.body.add(chunk);
      this.onChunk?.(chunk);
    }
    return true;
  }

  markdown(h: TranscriptHeader): string {
    const body = this.body.text() ?? `*${l10n.t('No events yet.')}*`;
    return `${summaryMarkdown(h, this.events)}\n\n---\n\n${body}\n`;
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
