// A server-sent events parser (the WHATWG event-stream grammar: lines end in CR, LF or CRLF;
// `data:` lines join with `\n`; `:` starts a comment; one leading space after the colon is
// dropped) with two bounds a hostile server cannot get past:
// - every character is scanned once: an unterminated line is kept as a list of pieces, not
//   re-concatenated and re-scanned on each chunk, so a line dripped byte by byte costs linear CPU;
// - the pending event is counted whole, whatever arrives between its lines (comments, unknown
//   fields, the unterminated line), so it can never grow past `maxFrameChars`.

export interface SseFrame {
  /** The `id:` line of this frame, if any (one containing NUL is ignored, as the standard says). */
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** The pending frame (or line) grew past the cap; the connection should be dropped. */
export class SseFrameTooLarge extends Error {}

export class SseParser {
  private pieces: string[] = [];
  private piecesLength = 0;
  private afterCr = false;
  private first = true;
  private data: string[] = [];
  private id: string | undefined;
  private event: string | undefined;
  /** Characters of the frame being collected, counted from its first field line. */
  private frameChars = 0;
  private framePending = false;

  constructor(
    private readonly maxFrameChars: number,
    private readonly onFrame: (frame: SseFrame) => void,
  ) {}

  /** Parse one chunk; throws SseFrameTooLarge once the pending frame passes the cap. */
  feed(chunk: string): void {
    let start = 0;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.afterCr && start < chunk.length) {
      this.afterCr = false;
      if (chunk.charCodeAt(start) === 10) start++;
    }
    const ends = /[\r\n]/g;
    ends.lastIndex = start;
    for (let m = ends.exec(chunk); m !== null; m = ends.exec(chunk)) {
      const end = m.index;
      let line = chunk.slice(start, end);
      if (this.piecesLength > 0) {
        this.pieces.push(line);
        line = this.pieces.join('');
        this.pieces = [];
        this.piecesLength = 0;
      }
      start = end + 1;
      if (chunk.charCodeAt(end) === 13) {
        if (start < chunk.length) {
          if (chunk.charCodeAt(start) === 10) start++;
        } else {
          this.afterCr = true;
        }
      }
      ends.lastIndex = start;
      this.line(line);
    }
    if (start < chunk.length) {
      const rest = chunk.slice(start);
      this.pieces.push(rest);
      this.piecesLength += rest.length;
      if (this.frameChars + this.piecesLength > this.maxFrameChars) throw new SseFrameTooLarge();
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    // A comment or an unknown field between the lines of a frame still belongs to it.
    if (this.framePending || line.charCodeAt(0) !== 58 /* : */) {
      this.framePending = true;
      this.frameChars += line.length + 1;
      if (this.frameChars > this.maxFrameChars) throw new SseFrameTooLarge();
    }
    if (line.charCodeAt(0) === 58) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        this.id = value.includes('\0') ? undefined : value;
        break;
      default:
        // `retry:` and unknown fields are ignored (sessions-api.md §7.1).
        break;
    }
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const frame: SseFrame = { id: this.id, event: this.event || undefined, data: this.data.join('\n') };
      this.reset();
      this.onFrame(frame);
      return;
    }
    this.reset();
  }

  private reset(): void {
    this.data = [];
    this.id = undefined;
    this.event = undefined;
    this.frameChars = 0;
    this.framePending = false;
  }
}
