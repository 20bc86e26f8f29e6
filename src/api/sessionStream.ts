// A session's live events over SSE (sessions-api.md §7) as an async iterator: parsed with
// sseParser.ts, resumed with Last-Event-ID after a drop (capped back-off), merged with the
// history list whenever there is no cursor (a connection without one is tail-only, §7.3) or the
// server no longer knows ours, deduplicated by event id, and stopped after a final event or the
// caller's abort.

import { isApiError, QoderApiError, QoderError } from './errors';
import type { OpenStream } from './streams';
import { isEventId, isFinalEventType, type SessionEvent } from './sessions';
import { SseFrameTooLarge, SseParser, type SseFrame } from './sseParser';
import type { ListPage } from './types';

export type StreamState =
  | { kind: 'open'; resumedFrom: string | undefined }
  /** The connection is down; `downSince` is when it was last open (or first tried). */
  | { kind: 'reconnecting'; attempt: number; delayMs: number; downSince: number; reason: string }
  /** The server refused our Last-Event-ID (400); history is listed instead. */
  | { kind: 'fallback'; lastEventId: string }
  | { kind: 'closed'; reason: 'final' | 'aborted' };

export interface StreamSessionOptions {
  /** Resume after this event. Without it the stream is tail-only, so history is listed and merged once it is open. */
  lastEventId?: string;
  signal?: AbortSignal;
  /** Whether the caller already holds this event; when given, no ids are remembered here. */
  isKnown?: (id: string) => boolean;
  /** Without `isKnown`: how many recent ids are remembered to drop boundary replays (default 256). */
  dedupeWindow?: number;
  onState?: (state: StreamState) => void;
  /** Frames whose data is not a usable event (reported, skipped). */
  onMalformed?: (reason: string) => void;
  /** A connection silent for this long (no event, no heartbeat) is dropped and resumed. Default 45 s. */
  idleTimeoutMs?: number;
  /** Give up after this many failed attempts in a row (default 30). */
  maxAttempts?: number;
}

export interface StreamDeps {
  open(lastEventId: string | undefined, signal: AbortSignal): Promise<OpenStream>;
  /** Full history, oldest first, page by page. */
  history(signal: AbortSignal): AsyncIterable<ListPage<SessionEvent>>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  now(): number;
  redact(text: string): string;
}

export const STREAM_BACKOFF_START_MS = 500;
export const STREAM_BACKOFF_MAX_MS = 10_000;
export const STREAM_IDLE_TIMEOUT_MS = 45_000;
/** A frame (or run of bytes without one) larger than this ends the connection. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
const IGNORED_FRAME_TYPES = new Set(['heartbeat', 'ping', 'event_start', 'event_delta']);

/** Back-off before reconnect attempt `n` (0-based): 0.5 s doubling to 10 s, jittered to 50–100 %. */
export function streamBackoffMs(attempt: number, random: () => number): number {
  const step = Math.min(STREAM_BACKOFF_START_MS * 2 ** attempt, STREAM_BACKOFF_MAX_MS);
  let r = random();
  if (!Number.isFinite(r) || r < 0) r = 0;
  if (r > 1) r = 1;
  return step * (0.5 + 0.5 * r);
}

/** Bounded memory of the most recent ids (insertion order). */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

/** Turn one SSE frame into an event, or a reason to skip it. */
export function frameToEvent(frame: SseFrame): SessionEvent | { skip: string } | null {
  const type = frame.event;
  if (type !== undefined && IGNORED_FRAME_TYPES.has(type)) return null;
  const text = frame.data.trim();
  if (text === '' || text === '{}' || text === '[DONE]') return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { skip: `frame${frame.id ? ` ${frame.id.slice(0, 60)}` : ''} is not JSON` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { skip: 'frame data is not an object' };
  const event = json as Record<string, unknown>;
  if (typeof event.type === 'string' && IGNORED_FRAME_TYPES.has(event.type)) return null;
  // [old] frames carried the payload without id/type: take them from the SSE lines.
  if ((typeof event.id !== 'string' || event.id === '') && frame.id) event.id = frame.id;
  if ((typeof event.type !== 'string' || event.type === '') && type) event.type = type;
  if (typeof event.id !== 'string' || event.id === '') return { skip: 'frame has no event id' };
  // The id becomes the Last-Event-ID header of the next connection: CR/LF, non-ASCII or an
  // oversized id would make every reconnect fail, so such a frame is skipped like bad JSON.
  if (!isEventId(event.id)) return { skip: `frame has an event id that cannot be resumed from (${describeBadId(event.id)})` };
  if (typeof event.type !== 'string' || event.type === '') return { skip: `frame ${event.id.slice(0, 60)} has no type` };
  return event as SessionEvent;
}

function describeBadId(id: string): string {
  return id.length > 200 ? `${id.length} characters` : 'control, space or non-ASCII characters';
}

function retryable(e: unknown): boolean {
  if (e instanceof QoderApiError) return e.status === 408 || e.status === 429 || e.status >= 500;
  return e instanceof QoderError ? e.kind === 'network' || e.kind === 'timeout' : true;
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class ConnectionLost extends Error {}

/**
 * Yields the events of the history that were not seen yet, in order. Returns the id of the
 * last event listed (seen or not) and whether a final event ended the session.
 */
async function* unseenHistory(
  pages: AsyncIterable<ListPage<SessionEvent>>,
  known: (id: string) => boolean,
  remember: (id: string) => void,
  malformed: (reason: string) => void,
): AsyncGenerator<SessionEvent, { last: string | undefined; final: boolean }, undefined> {
  let last: string | undefined;
  for await (const page of pages) {
    for (const event of page.data) {
      if (!isEventId(event.id)) {
        malformed(`listed event has an id that cannot be resumed from (${describeBadId(event.id)})`);
        continue;
      }
      last = event.id;
      if (known(event.id)) continue;
      remember(event.id);
      yield event;
      if (isFinalEventType(event.type)) return { last, final: true };
    }
  }
  return { last, final: false };
}

/**
 * Async iterator of a session's events. Ends after `session.status_terminated` /
 * `session.deleted` or when `signal` aborts; throws a QoderError when the server refuses the
 * stream for good (401, 404, …) or `maxAttempts` attempts in a row failed.
 */
export async function* streamEvents(deps: StreamDeps, opts: StreamSessionOptions = {}): AsyncGenerator<SessionEvent, void, undefined> {
  const outer = opts.signal ?? new AbortController().signal;
  const recent = opts.isKnown ? undefined : new RecentIds(Math.max(1, opts.dedupeWindow ?? 256));
  const known = (id: string): boolean => (opts.isKnown ? opts.isKnown(id) : recent!.has(id));
  const remember = (id: string): void => recent?.add(id);
  const state = (s: StreamState): void => {
    try {
      opts.onState?.(s);
    } catch {
      // a listener must not break the stream
    }
  };
  const malformed = (reason: string): void => {
    try {
      opts.onMalformed?.(deps.redact(reason));
    } catch {
      // ignore
    }
  };
  const idleMs = opts.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS;
  const maxAttempts = opts.maxAttempts ?? 30;

  let cursor = opts.lastEventId;
  let failures = 0;
  let fallbacks = 0;
  let downSince = deps.now();

  while (!outer.aborted) {
    let conn: OpenStream;
    try {
      conn = await deps.open(cursor, outer);
    } catch (e) {
      if (outer.aborted) break;
      if (isApiError(e, 400) && cursor !== undefined && fallbacks < 3) {
        fallbacks++;
        state({ kind: 'fallback', lastEventId: cursor });
        const replayed = yield* unseenHistory(deps.history(outer), known, remember, malformed);
        if (replayed.final) {
          state({ kind: 'closed', reason: 'final' });
          return;
        }
        cursor = replayed.last;
        continue;
      }
      if (!retryable(e)) throw e;
      failures++;
      if (failures >= maxAttempts) throw e;
      // The server's Retry-After may lengthen the back-off, never shorten it: `Retry-After: 0`
      // on every 503 would otherwise burn all attempts within a second.
      const backoff = streamBackoffMs(failures - 1, deps.random);
      const asked = e instanceof QoderApiError && e.retryAfterSeconds !== undefined && e.retryAfterSeconds <= 60 ? e.retryAfterSeconds * 1000 : 0;
      const delayMs = Math.max(backoff, asked);
      state({ kind: 'reconnecting', attempt: failures, delayMs, downSince, reason: reasonOf(e) });
      try {
        await deps.sleep(delayMs, outer);
      } catch {
        break;
      }
      continue;
    }

    state({ kind: 'open', resumedFrom: cursor });
    const queue: (SessionEvent | { skip: string })[] = [];
    const parser = new SseParser(MAX_FRAME_BYTES, (frame) => {
      const ev = frameToEvent(frame);
      if (ev !== null) queue.push(ev);
    });
    const decoder = new TextDecoder();
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const armIdle = (): void => {
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => conn.close(), idleMs);
    };
    let lostReason = 'the server closed the stream';
    try {
      if (cursor === undefined) {
        // Tail-only connection (§7.3): what happened before it opened comes from the list,
        // on every connection until there is a cursor (a first stream may drop before any event).
        const merged = yield* unseenHistory(deps.history(outer), known, remember, malformed);
        if (merged.last !== undefined) cursor = merged.last;
        if (merged.final) {
          state({ kind: 'closed', reason: 'final' });
          return;
        }
      }
      armIdle();
      for await (const chunk of conn.body) {
        armIdle();
        const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
        try {
          parser.feed(text);
        } catch (e) {
          if (e instanceof SseFrameTooLarge) throw new ConnectionLost('a frame exceeded 8 MiB');
          throw e;
        }
        while (queue.length > 0) {
          const item = queue.shift()!;
          if ('skip' in item && typeof item.skip === 'string' && !('id' in item)) {
            malformed(item.skip);
            continue;
          }
          const event = item as SessionEvent;
          // Only complete frames get here, so the cursor always names a whole event.
          cursor = event.id;
          if (known(event.id)) continue;
          remember(event.id);
          failures = 0;
          fallbacks = 0;
          yield event;
          if (isFinalEventType(event.type)) {
            state({ kind: 'closed', reason: 'final' });
            return;
          }
          if (outer.aborted) break;
        }
        if (outer.aborted) break;
      }
    } catch (e) {
      if (outer.aborted) break;
      if (e instanceof QoderError && !retryable(e)) throw e;
      lostReason = reasonOf(e);
    } finally {
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      conn.close();
    }
    if (outer.aborted) break;
    // Dropped (EOF, reset, idle timeout): resume from the last complete frame.
    downSince = deps.now();
    const delayMs = streamBackoffMs(failures, deps.random);
    failures++;
    if (failures >= maxAttempts) throw new QoderError('network', deps.redact(`The event stream kept dropping (${lostReason}).`));
    state({ kind: 'reconnecting', attempt: failures, delayMs, downSince, reason: deps.redact(lostReason) });
    try {
      await deps.sleep(delayMs, outer);
    } catch {
      break;
    }
  }
  state({ kind: 'closed', reason: 'aborted' });
}
