// What the session commands share besides Services: the open session documents and the caches.

import type { SessionStatusCache } from '../model/sessionCache';
import type { SessionDocumentsHost } from '../sessionHost';

export interface SessionServices {
  documents: SessionDocumentsHost;
  statuses: SessionStatusCache;
}

/** A clicked run: the tree passes its RunNode; the row's own command passes (deploymentId, runId, sessionId). */
export interface RunTarget {
  deploymentId: string;
  runId: string;
  sessionId: string | null;
  createdAt: string | undefined;
}

export function runTargetOf(a: unknown, b?: unknown, c?: unknown): RunTarget | undefined {
  if (a && typeof a === 'object' && 'run' in a && 'deploymentId' in a) {
    const node = a as { deploymentId: unknown; run: { id?: unknown; session_id?: unknown; created_at?: unknown } };
    if (typeof node.deploymentId !== 'string' || typeof node.run?.id !== 'string') return undefined;
    return {
      deploymentId: node.deploymentId,
      runId: node.run.id,
      sessionId: typeof node.run.session_id === 'string' ? node.run.session_id : null,
      createdAt: typeof node.run.created_at === 'string' ? node.run.created_at : undefined,
    };
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return { deploymentId: a, runId: b, sessionId: typeof c === 'string' ? c : null, createdAt: undefined };
  }
  return undefined;
}
