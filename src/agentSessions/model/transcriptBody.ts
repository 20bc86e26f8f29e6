// The rendered events of a session document, bounded (see TranscriptBody). Pure (no vscode).

import * as l10n from '@vscode/l10n';

/** The transcript's body never grows past this: the first events up to HEAD_CHARS stay, then the latest ones (see TranscriptBody). */
export const MAX_BODY_CHARS = 2_000_000;
export const HEAD_CHARS = 500_000;

/**
 * The rendered events, bounded: the first ones up to `headChars` are kept, then the latest ones
 * up to `maxChars` in all; the events between are dropped and counted, and a notice stands where
 * they were. Adding an event costs its own size; the text is joined once after each change
 * (redraws without a new event reuse it) and costs at most the bound, whatever the session's length.
 */
export class TranscriptBody {
  private readonly head: string[] = [];
  /** Length of the head's chunks joined by blank lines. */
  private headLength = 0;
  /** The latest chunks are tail[first…]; dropped ones before `first` are cleared now and then. */
  private tail: string[] = [];
  private first = 0;
  private tailChars = 0;
  private cutEvents = 0;
  private cutChars = 0;
  private joined: string | undefined;

  constructor(
    private readonly maxChars: number,
    private readonly headChars: number,
  ) {}

  add(chunk: string): void {
    this.joined = undefined;
    if (this.tail.length === 0 && this.cutEvents === 0 && this.headLength + chunk.length <= this.headChars) {
      this.headLength += (this.head.length > 0 ? 2 : 0) + chunk.length;
      this.head.push(chunk);
      return;
    }
    this.tail.push(chunk);
    this.tailChars += chunk.length + 2;
    const budget = this.maxChars - this.headLength;
    while (this.tailChars > budget && this.tail.length - this.first > 1) {
      const dropped = this.tail[this.first++]!;
      this.tailChars -= dropped.length + 2;
      this.cutEvents++;
      this.cutChars += dropped.length;
    }
    if (this.first > 1024 && this.first * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.first);
      this.first = 0;
    }
  }

  /** Events left out so far and their rendered size. */
  get cut(): { events: number; chars: number } {
    return { events: this.cutEvents, chars: this.cutChars };
  }

  text(): string | undefined {
    if (this.head.length === 0 && this.tail.length === 0) return undefined;
    if (this.joined === undefined) {
      const parts = this.first === 0 ? this.head.concat(this.tail) : this.head.concat(this.tail.slice(this.first));
      if (this.cutEvents > 0) parts.splice(this.head.length, 0, this.notice());
      this.joined = parts.join('\n\n');
    }
    return this.joined;
  }

  private notice(): string {
    const mb = (this.cutChars / 1_000_000).toFixed(1);
    return `---\n\n> **${l10n.t('{0} events ({1} MB) are not shown here', this.cutEvents, mb)}**  \n> ${l10n.t('This document keeps the first events and the latest ones, about {0} MB in all, so the editor stays responsive. To read every event, save the whole session with Qoder: Save Session Transcript… (the Save icon in this document\'s title bar).', Math.round(this.maxChars / 1_000_000))}\n\n---`;
  }
}
