// Where the look for waiting runs keeps, across reloads, which idle sessions it found not
// waiting and at which updated_at (see waitingWatch.ts). One account at a time, named by a hash
// of its API origin and token (Connection.accountName; the token itself is never stored);
// another account's list is ignored and replaced. What is read back is checked like server
// data: it may come from an older version, or be edited by hand. Pure: the Memento is
// structural, so this runs under plain Node.

/**
 * Kept across reloads: a session seen idle and not waiting at `updatedAt` (`stopReason` is how
 * its last turn ended), or a terminated one (`final`), which never changes again.
 */
export type RememberedLook = { sessionId: string; updatedAt: string; stopReason?: string; final?: undefined } | { sessionId: string; final: true };

/** Storage for what earlier looks learned (the host keeps one account's list, never the token). */
export interface WaitingMemory {
  load(): readonly RememberedLook[];
  save(looks: RememberedLook[]): void;
}

/** How many remembered looks are kept (the newest). */
export const REMEMBERED_LOOKS = 500;

/** The part of vscode.Memento used here. */
export interface MementoLike {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const WAITING_MEMORY_KEY = 'qoder.waitingLooks';

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function readLook(v: unknown): RememberedLook | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { sessionId, updatedAt, stopReason, final } = v as Record<string, unknown>;
  if (!isText(sessionId, 200)) return undefined;
  if (final === true) return { sessionId, final: true };
  if (!isText(updatedAt, 64)) return undefined;
  if (stopReason !== undefined && !isText(stopReason, 64)) return undefined;
  return { sessionId, updatedAt, ...(stopReason !== undefined ? { stopReason } : {}) };
}

export function waitingMemory(memento: MementoLike, account: string): WaitingMemory {
  return {
    load() {
      const stored = memento.get(WAITING_MEMORY_KEY);
      if (!stored || typeof stored !== 'object') return [];
      const { account: owner, looks } = stored as Record<string, unknown>;
      if (owner !== account || !Array.isArray(looks)) return [];
      const out: RememberedLook[] = [];
      for (const l of looks.slice(0, REMEMBERED_LOOKS)) {
        const look = readLook(l);
        if (look) out.push(look);
      }
      return out;
    },
    save(looks) {
      void Promise.resolve(memento.update(WAITING_MEMORY_KEY, { account, looks: looks.slice(0, REMEMBERED_LOOKS) })).catch(() => undefined);
    },
  };
}
