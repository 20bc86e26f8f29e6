// The rendered events of a session document, bounded (see TranscriptBody). Pure (no vscode).

import * as l10n from '@vscode/l10n';

/** The transcript's body never grows past this: the first events up to HEAD_CHARS stay, then the latest ones (see TranscriptBody). */
export const MAX_BODY_CHARS = 2_000_000;
export const HEAD_CHARS = 500_000;

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
